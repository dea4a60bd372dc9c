/**
 * The rewrite flow: write path (shown before any PIN) → PIN → progress → B-2 or an error. A wrong PIN
 * goes back to the prompt with the tries left and waits for the user: it is never retried by itself.
 */
import type { RewriteProgress } from '../../check/types.js';
import type { RewritePath, RewriteResult } from '../engine.js';
import type { CardState, PinNotice, RewriteState, UiError } from './types.js';

/** The error a blocked PIN is shown with when the card said so before any VERIFY (tries 0). */
export const PIN_BLOCKED: UiError = { code: 'pin-blocked', message: 'The PIN is blocked.', detail: {} };

/**
 * The track's positions. Each slot's write and commit is one position (a second slot's write comes after
 * the first's commit), the machine's own `pin` step is the PIN's verification, and the track only moves
 * forward: its position is the furthest reached.
 */
export const TRACK = ['fresh-check', 'download', 'prove', 'verify-pin', 'key-proof', 'backup', 'write-0', 'write-1', 'read-back', 'record'] as const;

export function trackPosition(p: RewriteProgress): number {
  switch (p.step) {
    case 'pin':
      return TRACK.indexOf('verify-pin');
    case 'write':
    case 'commit':
      return TRACK.indexOf(p.slot === 1 ? 'write-1' : 'write-0');
    case 'done':
      return TRACK.length;
    default:
      return TRACK.indexOf(p.step as (typeof TRACK)[number]);
  }
}

export const initialRewrite: RewriteState = { stage: 'idle' };

/**
 * No registry: the card's new certificates must be given (as files) before the rewrite: a superseded card
 * (B-1, basis superseded), or an expired card (C, not compared) whose holder renewed online.
 */
export function needsCertificates(card: CardState): boolean {
  if (card.phase !== 'checked' || card.result.registry !== null) return false;
  const v = card.result.verdict;
  return v.basis === 'superseded' || (v.verdict === 'C' && v.status === 'expired');
}

/** Only a checked card with verdict B-1 can be rewritten (with no registry, also an expired card given new certificates). */
export function openRewrite(state: RewriteState, card: CardState): RewriteState {
  if (state.stage !== 'idle' && state.stage !== 'done' && state.stage !== 'failed') return state;
  if (card.phase !== 'checked') return state;
  if (needsCertificates(card)) return { stage: 'certificates', key: card.key, text: '', given: [] };
  if (card.result.verdict.verdict !== 'B-1') return state;
  return { stage: 'path', key: card.key };
}

/** The path being typed (a paste arrives whole). */
export function certText(state: RewriteState, text: string): RewriteState {
  return state.stage === 'certificates' && !state.busy ? { ...state, text, error: undefined } : state;
}

export function certBusy(state: RewriteState): RewriteState {
  return state.stage === 'certificates' ? { ...state, busy: true } : state;
}

/** A file read and checked: listed; the second (one per slot) goes on to the write path. */
export function certAdded(state: RewriteState, key: string, item: { slot: 0 | 1; serialNumber: string }): RewriteState {
  if (state.stage !== 'certificates' || state.key !== key) return state;
  const given = [...state.given.filter((g) => g.slot !== item.slot), item].sort((a, b) => a.slot - b.slot);
  return given.length >= 2 ? { stage: 'path', key } : { ...state, given, text: '', busy: false, error: undefined };
}

export function certFailed(state: RewriteState, key: string, error: UiError): RewriteState {
  return state.stage === 'certificates' && state.key === key ? { ...state, busy: false, error } : state;
}

/** Enter on an empty line with a certificate given: go on with what was given. */
export function certContinue(state: RewriteState): RewriteState {
  return state.stage === 'certificates' && state.given.length > 0 && !state.busy ? { stage: 'path', key: state.key } : state;
}

/**
 * The write path is known (and, when the engine can tell, the PIN tries left, read without spending one):
 * tries 0 never reaches the prompt (a blocked PIN is never sent); 1 makes the prompt say it is the last.
 */
export function pathKnown(state: RewriteState, key: string, path: RewritePath, triesLeft?: number | null): RewriteState {
  if (state.stage !== 'path' || state.key !== key) return state;
  if (path.path === 'unavailable') return { stage: 'unavailable', key, path };
  if (triesLeft === 0) return { stage: 'failed', key, error: PIN_BLOCKED };
  return { stage: 'pin', key, path, digits: 0, extra: 0, ...(typeof triesLeft === 'number' ? { triesLeft } : {}) };
}

/** A key changed what is typed (or was refused: `notice` says why); any key leaves the confirmation. */
export function pinDigits(state: RewriteState, digits: number, extra = 0, notice?: PinNotice): RewriteState {
  if (state.stage !== 'pin') return state;
  return { ...state, digits, extra, notice, confirming: false };
}

export function pinTooShort(state: RewriteState, notice: PinNotice = 'need-digits'): RewriteState {
  return state.stage === 'pin' ? { ...state, notice, confirming: false } : state;
}

/** Enter on the last try with a well-formed PIN: ask before it is spent. */
export function askLastTry(state: RewriteState): RewriteState {
  if (state.stage !== 'pin' || state.triesLeft !== 1 || !wellFormed(state)) return state;
  return { ...state, confirming: true, notice: undefined };
}

export function leaveConfirm(state: RewriteState): RewriteState {
  return state.stage === 'pin' && state.confirming ? { ...state, confirming: false } : state;
}

function wellFormed(state: Extract<RewriteState, { stage: 'pin' }>): boolean {
  return state.extra === 0 && state.digits >= 6 && state.digits <= 8;
}

/** Only a well-formed PIN starts a rewrite, and on the last try only once it was confirmed. */
export function startRewrite(state: RewriteState, lastTryConfirmed = false): RewriteState {
  if (state.stage !== 'pin' || !wellFormed(state)) return state;
  if (state.triesLeft === 1 && !(lastTryConfirmed && state.confirming)) return state;
  return { stage: 'running', key: state.key, path: state.path, steps: [], progress: null, furthest: 0, bytes: {} };
}

export function progress(state: RewriteState, key: string, p: RewriteProgress): RewriteState {
  if (state.stage !== 'running' || state.key !== key) return state;
  const steps = state.steps.at(-1) === p.step ? state.steps : [...state.steps, p.step];
  const furthest = Math.max(state.furthest, trackPosition(p));
  const bytes = (p.step === 'write' || p.step === 'commit') && p.total !== undefined
    ? { ...state.bytes, [p.slot ?? 0]: { done: p.done ?? 0, total: p.total } }
    : state.bytes;
  return { ...state, steps, progress: p, furthest, bytes };
}

export function rewriteDone(state: RewriteState, key: string, result: RewriteResult): RewriteState {
  if (state.stage !== 'running' || state.key !== key) return state;
  return { stage: 'done', key, result };
}

export function rewriteFailed(state: RewriteState, key: string, error: UiError): RewriteState {
  if (state.stage !== 'running' || state.key !== key) return state;
  if (error.code === 'pin-wrong') {
    const tries = error.detail.triesLeft;
    if (tries === 0) return { stage: 'failed', key, error: PIN_BLOCKED };
    return { stage: 'pin', key, path: state.path, digits: 0, extra: 0, wrong: true, ...(typeof tries === 'number' ? { triesLeft: tries } : {}) };
  }
  // The engine found one try left that the prompt did not know of: nothing was sent; ask again, as the last.
  if (error.code === 'pin-last-try-unconfirmed') return { stage: 'pin', key, path: state.path, digits: 0, extra: 0, triesLeft: 1 };
  return { stage: 'failed', key, error };
}

/** Esc: leave the prompt or a result. A running rewrite cannot be left. */
export function closeRewrite(state: RewriteState): RewriteState {
  return state.stage === 'running' ? state : initialRewrite;
}

/**
 * A different card (or the same one seen again after a pull or a reset): the prompt goes (it was for a card
 * no longer there), but a write under way and an outcome stay on screen until the user acts: a failure's
 * next step ("put it back and press r") is what a pulled card needs, and must not flash away.
 */
export function rewriteForCard(state: RewriteState, key: string | null): RewriteState {
  if (state.stage === 'idle' || state.stage === 'running' || state.stage === 'done' || state.stage === 'failed' || state.key === key) return state;
  return initialRewrite;
}
