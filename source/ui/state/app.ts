/** The root reducer: slices composed, plus the facts that span them (card identity, exit code). */
import { exitCodeOf } from '../../exit.js';
import type { Lang, ScenarioName } from '../../options.js';
import { cardFor, checkDone, checkFailed, initialCard, readDone, readFailed, recheck, reread } from './card.js';
import { applyReaders, initialReaders, moveSelection, selectedCardKey } from './readers.js';
import {
  askLastTry, closeRewrite, initialRewrite, leaveConfirm, openRewrite, pathKnown, pinDigits, pinTooShort, progress, rewriteDone,
  rewriteFailed, rewriteForCard, startRewrite,
} from './rewrite.js';
import { certAdded, certBusy, certContinue, certFailed, certText } from './rewrite.js';
import { cardInfo } from './card.js';
import type { Action, AppState, ReadersState } from './types.js';

export function initialState(lang: Lang, scenario: ScenarioName | null = null): AppState {
  return {
    lang,
    readers: initialReaders,
    card: initialCard,
    rewrite: initialRewrite,
    service: { registry: { state: 'unknown' }, ocsp: null },
    help: { open: false, scroll: 0 },
    scroll: 0,
    scenario,
    rewritten: null,
    pinBlocked: [],
    activity: null,
    switching: false,
    quitPending: false,
  };
}

/** The selection or its card changed: clear or re-read the card panel, drop a stale rewrite flow. */
function withReaders(state: AppState, readers: ReadersState): AppState {
  const key = selectedCardKey(readers);
  const rewritten = state.rewritten === key ? state.rewritten : null;
  return { ...state, readers, card: cardFor(state.card, key), rewrite: rewriteForCard(state.rewrite, key), rewritten };
}

const REGISTRY_CODES = new Set(['registry-unreachable', 'registry-timeout', 'registry-http', 'registry-invalid']);

/** The selected card's PIN is known to be blocked: the rewrite is not offered. */
export function isPinBlocked(state: AppState): boolean {
  const card = cardInfo(state.card);
  return card !== null && state.pinBlocked.includes(card.number);
}

/** A rewrite that ended on a blocked PIN marks the card, so `r` is no longer offered for it. */
function withPinBlocked(state: AppState): AppState {
  const card = cardInfo(state.card);
  if (state.rewrite.stage !== 'failed' || state.rewrite.error.code !== 'pin-blocked' || card === null) return state;
  if (state.pinBlocked.includes(card.number)) return state;
  return { ...state, pinBlocked: [...state.pinBlocked, card.number] };
}

/** Actions after which the focus panel shows something else: its scroll starts again at the top. */
const RESETS_SCROLL = new Set<Action['type']>([
  'select-move', 'read-done', 'check-done', 'check-failed', 'rewrite-open', 'rewrite-path', 'rewrite-start', 'rewrite-done',
  'rewrite-failed', 'rewrite-close', 'help-toggle', 'lang-toggle', 'scenario',
]);

export function reduce(state: AppState, action: Action): AppState {
  const next = step(state, action);
  return RESETS_SCROLL.has(action.type) && next !== state && next.scroll !== 0 ? { ...next, scroll: 0 } : next;
}

function step(state: AppState, action: Action): AppState {
  switch (action.type) {
    case 'readers':
      return withReaders(state, applyReaders(state.readers, action.readers, action.serviceUp, action.event));
    case 'select-move':
      return withReaders(state, moveSelection(state.readers, action.delta));
    case 'reread':
      return { ...state, card: reread(state.card) };
    case 'read-done':
      return { ...state, card: readDone(state.card, action.run, action.card) };
    case 'read-failed':
      return { ...state, card: readFailed(state.card, action.run, action.error) };
    case 'recheck':
      return { ...state, card: recheck(state.card) };
    case 'check-done': {
      const card = checkDone(state.card, action.run, action.result);
      if (card === state.card) return state;
      const registry = action.result.registry === null ? { state: 'none' as const } : { state: 'ok' as const };
      return { ...state, card, service: { registry, ocsp: action.result.verdict.ocsp } };
    }
    case 'check-failed': {
      const card = checkFailed(state.card, action.run, action.error);
      if (card === state.card) return state;
      const registry = REGISTRY_CODES.has(action.error.code) ? { state: 'error' as const, code: action.error.code } : state.service.registry;
      return { ...state, card, service: { ...state.service, registry } };
    }
    case 'rewrite-open':
      if (isPinBlocked(state)) return state;
      return { ...state, rewrite: openRewrite(state.rewrite, state.card), help: { open: false, scroll: 0 } };
    case 'cert-text':
      return { ...state, rewrite: certText(state.rewrite, action.text) };
    case 'cert-busy':
      return { ...state, rewrite: certBusy(state.rewrite) };
    case 'cert-added':
      return { ...state, rewrite: certAdded(state.rewrite, action.key, action) };
    case 'cert-failed':
      return { ...state, rewrite: certFailed(state.rewrite, action.key, action.error) };
    case 'cert-continue':
      return { ...state, rewrite: certContinue(state.rewrite) };
    case 'rewrite-path':
      return withPinBlocked({ ...state, rewrite: pathKnown(state.rewrite, action.key, action.path, action.triesLeft) });
    case 'pin-digits':
      return { ...state, rewrite: pinDigits(state.rewrite, action.digits, action.extra, action.notice) };
    case 'pin-too-short':
      return { ...state, rewrite: pinTooShort(state.rewrite) };
    case 'pin-confirm-ask':
      return { ...state, rewrite: askLastTry(state.rewrite) };
    case 'pin-confirm-back':
      return { ...state, rewrite: leaveConfirm(state.rewrite) };
    case 'rewrite-start':
      return { ...state, rewrite: startRewrite(state.rewrite, action.lastTryConfirmed) };
    case 'rewrite-progress':
      return { ...state, rewrite: progress(state.rewrite, action.key, action.progress) };
    case 'rewrite-done': {
      const rewrite = rewriteDone(state.rewrite, action.key, action.result);
      // Read the card again so the panel shows what is on it now (and the check confirms it).
      const card = rewrite !== state.rewrite && state.card.key === action.key ? reread(state.card) : state.card;
      return { ...state, rewrite, card, rewritten: rewrite.stage === 'done' ? action.key : state.rewritten };
    }
    case 'rewrite-failed':
      return withPinBlocked({ ...state, rewrite: rewriteFailed(state.rewrite, action.key, action.error) });
    case 'rewrite-close':
      return { ...state, rewrite: closeRewrite(state.rewrite) };
    case 'help-toggle':
      return { ...state, help: { open: !state.help.open, scroll: 0 } };
    case 'help-scroll':
      return { ...state, help: { ...state.help, scroll: Math.min(action.max, Math.max(0, state.help.scroll + action.delta)) } };
    case 'scroll':
      return { ...state, scroll: Math.min(action.max, Math.max(0, state.scroll + action.delta)) };
    case 'lang-toggle':
      return { ...state, lang: state.lang === 'zh-TW' ? 'en' : 'zh-TW' };
    case 'scenario':
      return { ...state, scenario: action.name };
    case 'switching':
      return { ...state, switching: action.on };
    case 'activity':
      return { ...state, activity: action.activity };
    case 'quit-pending':
      return { ...state, quitPending: true };
  }
}

/** One line for the normal screen after the alternate screen is left: what the screen said last. */
export function summaryOf(state: AppState, words: (key: string, params?: Record<string, string | number>) => string): string {
  const { card, rewrite } = state;
  const number = card.phase === 'checking' || card.phase === 'checked' || card.phase === 'check-failed' ? card.card.number : null;
  const parts: string[] = [];
  if (number !== null) parts.push(number);
  if (rewrite.stage === 'done' || (state.rewritten !== null && state.rewritten === card.key)) parts.push(words('summary.b2'));
  if (rewrite.stage === 'failed') parts.push(words('summary.error', { code: rewrite.error.code }));
  else if (card.phase === 'checked') parts.push(words('summary.verdict', { code: card.result.verdict.verdict, status: words(`status.${card.result.verdict.status}`) }));
  else if (card.phase === 'read-failed' || card.phase === 'check-failed') parts.push(words('summary.error', { code: card.error.code }));
  else if (card.phase === 'idle') parts.push(words('summary.noCard'));
  return parts.join(' · ');
}

/**
 * The exit code when the user quits: what the screen said last, in the CLI's codes (cli.md). A failed
 * rewrite its error's code; the verdict shown (A 0, B-1 left unrewritten 10, C 20) — after a completed
 * rewrite (B-2) that is the re-check's verdict, and 0 while the re-check runs;
 * a card or registry error its code; no reader or no card 3; quitting while a read or check runs 130.
 */
export function exitCodeOnQuit(state: AppState): number {
  const { rewrite, card, readers } = state;
  if (rewrite.stage === 'failed') return exitCodeOf(rewrite.error.code);
  const b2 = rewrite.stage === 'done' || (state.rewritten !== null && state.rewritten === card.key);
  switch (card.phase) {
    case 'checked':
      return exitCodeOf(card.result.verdict.verdict);
    case 'read-failed':
    case 'check-failed':
      return exitCodeOf(card.error.code);
    case 'reading':
    case 'checking':
      // Re-reading after a completed rewrite: B-2 is still what the screen says.
      return b2 ? 0 : exitCodeOf('cancelled');
    case 'idle':
      return exitCodeOf(readers.list.length === 0 || !readers.serviceUp ? 'no-reader' : 'no-card');
  }
}
