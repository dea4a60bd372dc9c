/**
 * The rewrite flow: write path (shown before any PIN) → PIN → progress → B-2 or an error. A wrong PIN
 * goes back to the prompt with the tries left and waits for the user: it is never retried by itself.
 */
import type { RewriteProgress } from '../../check/types.js';
import type { RewritePath, RewriteResult } from '../engine.js';
import type { CardState, RewriteState, UiError } from './types.js';

export const initialRewrite: RewriteState = { stage: 'idle' };

/** Only a checked card with verdict B-1 can be rewritten. */
export function openRewrite(state: RewriteState, card: CardState): RewriteState {
  if (state.stage !== 'idle' && state.stage !== 'done' && state.stage !== 'failed') return state;
  if (card.phase !== 'checked' || card.result.verdict.verdict !== 'B-1') return state;
  return { stage: 'path', key: card.key };
}

export function pathKnown(state: RewriteState, key: string, path: RewritePath): RewriteState {
  if (state.stage !== 'path' || state.key !== key) return state;
  return path.path === 'unavailable' ? { stage: 'unavailable', key, path } : { stage: 'pin', key, path, digits: 0 };
}

export function pinDigits(state: RewriteState, digits: number): RewriteState {
  if (state.stage !== 'pin') return state;
  return { ...state, digits, notice: state.notice === 'need-digits' ? undefined : state.notice };
}

export function pinTooShort(state: RewriteState): RewriteState {
  return state.stage === 'pin' ? { ...state, notice: 'need-digits' } : state;
}

export function startRewrite(state: RewriteState): RewriteState {
  if (state.stage !== 'pin' || state.digits < 6 || state.digits > 8) return state;
  return { stage: 'running', key: state.key, path: state.path, steps: [], progress: null };
}

export function progress(state: RewriteState, key: string, p: RewriteProgress): RewriteState {
  if (state.stage !== 'running' || state.key !== key) return state;
  const steps = state.steps.at(-1) === p.step ? state.steps : [...state.steps, p.step];
  return { ...state, steps, progress: p };
}

export function rewriteDone(state: RewriteState, key: string, result: RewriteResult): RewriteState {
  if (state.stage !== 'running' || state.key !== key) return state;
  return { stage: 'done', key, result };
}

export function rewriteFailed(state: RewriteState, key: string, error: UiError): RewriteState {
  if (state.stage !== 'running' || state.key !== key) return state;
  if (error.code === 'pin-wrong') {
    const tries = error.detail.triesLeft;
    return { stage: 'pin', key, path: state.path, digits: 0, notice: 'wrong', triesLeft: typeof tries === 'number' ? tries : undefined };
  }
  return { stage: 'failed', key, error };
}

/** Esc: leave the prompt or a result. A running rewrite cannot be left. */
export function closeRewrite(state: RewriteState): RewriteState {
  return state.stage === 'running' ? state : initialRewrite;
}

/** A different card: forget the flow, unless a write is under way (its outcome must still be shown). */
export function rewriteForCard(state: RewriteState, key: string | null): RewriteState {
  if (state.stage === 'idle' || state.stage === 'running' || state.key === key) return state;
  return initialRewrite;
}
