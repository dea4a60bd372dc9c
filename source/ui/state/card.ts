/**
 * The selected card's life: read → check → result. A card that is read is checked at once, without a
 * keystroke: the check only reads (registry + OCSP), and a verdict is what the user came for; the
 * issuer's page needed a button press (檢查卡片憑證狀態) only because a browser could not do otherwise.
 * Every read/check gets a new `run`; answers from an older run (a card pulled or swapped meanwhile) are dropped.
 */
import type { CardInfo } from '../../card/types.js';
import type { CheckResult } from '../engine.js';
import type { CardState, UiError } from './types.js';

export const initialCard: CardState = { phase: 'idle', key: null, run: 0 };

/** The card in the selected reader changed (or is gone): clear the panels and read the new one. */
export function cardFor(state: CardState, key: string | null): CardState {
  if (key === state.key) return state;
  return key === null ? { phase: 'idle', key: null, run: state.run + 1 } : { phase: 'reading', key, run: state.run + 1 };
}

export function reread(state: CardState): CardState {
  return state.key === null ? state : { phase: 'reading', key: state.key, run: state.run + 1 };
}

export function readDone(state: CardState, run: number, card: CardInfo): CardState {
  if (state.phase !== 'reading' || state.run !== run) return state;
  return { phase: 'checking', key: state.key, run: run + 1, card };
}

export function readFailed(state: CardState, run: number, error: UiError): CardState {
  if (state.phase !== 'reading' || state.run !== run) return state;
  return { phase: 'read-failed', key: state.key, run, error };
}

export function recheck(state: CardState): CardState {
  if (state.phase !== 'checked' && state.phase !== 'check-failed') return state;
  const previous = state.phase === 'checked' ? { previous: state.result } : {};
  return { phase: 'checking', key: state.key, run: state.run + 1, card: state.card, ...previous };
}

export function checkDone(state: CardState, run: number, result: CheckResult): CardState {
  if (state.phase !== 'checking' || state.run !== run) return state;
  return { phase: 'checked', key: state.key, run, card: state.card, result };
}

export function checkFailed(state: CardState, run: number, error: UiError): CardState {
  if (state.phase !== 'checking' || state.run !== run) return state;
  return { phase: 'check-failed', key: state.key, run, card: state.card, error };
}

/** The card as read, in any phase that has one. */
export function cardInfo(state: CardState): CardInfo | null {
  return state.phase === 'checking' || state.phase === 'checked' || state.phase === 'check-failed' ? state.card : null;
}
