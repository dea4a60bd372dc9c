/** The root reducer: slices composed, plus the facts that span them (card identity, exit code). */
import { exitCodeOf } from '../../exit.js';
import type { Lang, ScenarioName } from '../../options.js';
import { cardFor, checkDone, checkFailed, initialCard, readDone, readFailed, recheck, reread } from './card.js';
import { applyReaders, cardKeyIn, initialReaders, moveSelection, moveTab, readerOfKey, selectedCardKey } from './readers.js';
import {
  askLastTry, closeRewrite, initialRewrite, leaveConfirm, openRewrite, pathKnown, pinDigits, pinTooShort, progress, rewriteDone,
  rewriteFailed, rewriteForCard, startRewrite,
} from './rewrite.js';
import { certAdded, certBusy, certContinue, certFailed, certText } from './rewrite.js';
import { cardInfo } from './card.js';
import type { Action, AppState, ReadersState, TabState } from './types.js';

export function initialState(lang: Lang, scenario: ScenarioName | null = null): AppState {
  return {
    lang,
    readers: initialReaders,
    card: initialCard,
    rewrite: initialRewrite,
    tabs: {},
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

const initialTab: TabState = { card: initialCard, rewrite: initialRewrite, rewritten: null };

function shownTab(state: AppState): TabState {
  return { card: state.card, rewrite: state.rewrite, rewritten: state.rewritten };
}

/** A tab's card changed (or is gone): a prompt for the old one goes; a write under way and an outcome stay. */
function tabFor(tab: TabState, key: string | null, read: boolean): TabState {
  // A tab not shown reads nothing by itself: a new card in it is read when its tab is shown (as before
  // tabs, nothing is read until its reader is picked), so it only forgets the old card.
  const card = read ? cardFor(tab.card, key) : key === tab.card.key ? tab.card : cardFor(tab.card, null);
  const rewritten = tab.rewritten === key ? tab.rewritten : null;
  const rewrite = rewriteForCard(tab.rewrite, key);
  return card === tab.card && rewrite === tab.rewrite && rewritten === tab.rewritten ? tab : { card, rewrite, rewritten };
}

/**
 * The selection or a card changed: the tab of the reader newly selected is shown (the one shown before is
 * parked with all it holds), the shown card is read if new, the parked ones forget a card that left.
 */
function withReaders(state: AppState, readers: ReadersState): AppState {
  const before = state.readers.selected;
  const after = readers.selected;
  let tabs = state.tabs;
  let shown = shownTab(state);
  if (before !== after) {
    tabs = { ...tabs };
    // The empty selection holds nothing worth keeping (no card, so no read, check or rewrite).
    if (before !== null) tabs[before] = shown;
    shown = (after === null ? undefined : tabs[after]) ?? initialTab;
    if (after !== null) delete tabs[after];
  }
  for (const [reader, tab] of Object.entries(tabs)) {
    const next = tabFor(tab, cardKeyIn(readers, reader), false);
    if (next !== tab) tabs = { ...tabs, [reader]: next };
  }
  const key = selectedCardKey(readers);
  // As before tabs: with no reader selected, the rewrite outcome that was on screen is dropped with it.
  const { card, rewrite, rewritten } = tabFor(shown, key, true);
  return { ...state, readers, tabs, card, rewrite, rewritten };
}

/**
 * Applies `change` to one tab: the shown one when `reader` is absent or is the selection, else the parked
 * tab of that reader (an answer for a tab that is not there any more changes nothing).
 */
function onTab(state: AppState, reader: string | undefined, change: (tab: TabState, shown: boolean) => TabState): AppState {
  if (reader === undefined || reader === state.readers.selected) {
    const tab = shownTab(state);
    const next = change(tab, true);
    return next === tab ? state : { ...state, card: next.card, rewrite: next.rewrite, rewritten: next.rewritten };
  }
  const tab = state.tabs[reader];
  if (tab === undefined) return state;
  const next = change(tab, false);
  return next === tab ? state : { ...state, tabs: { ...state.tabs, [reader]: next } };
}

/** The tab of a card key (rewrite answers carry the key they were started for). */
const onKey = (state: AppState, key: string, change: (tab: TabState, shown: boolean) => TabState): AppState => onTab(state, readerOfKey(key), change);

/** Some tab writes a card (shown or not): leaving waits for it, and nothing may close what it writes through. */
export function anyRewriteRunning(state: AppState): boolean {
  return state.rewrite.stage === 'running' || Object.values(state.tabs).some((tab) => tab.rewrite.stage === 'running');
}

const withCard = (tab: TabState, card: TabState['card']): TabState => (card === tab.card ? tab : { ...tab, card });
const withRewrite = (tab: TabState, rewrite: TabState['rewrite']): TabState => (rewrite === tab.rewrite ? tab : { ...tab, rewrite });

const REGISTRY_CODES = new Set(['registry-unreachable', 'registry-timeout', 'registry-http', 'registry-invalid']);

/** The selected card's PIN is known to be blocked: the rewrite is not offered. */
export function isPinBlocked(state: AppState): boolean {
  const card = cardInfo(state.card);
  return card !== null && state.pinBlocked.includes(card.number);
}

/** A rewrite that ended on a blocked PIN marks the card, so `r` is no longer offered for it (in any tab). */
function withPinBlocked(state: AppState, key: string): AppState {
  const reader = readerOfKey(key);
  const tab = reader === state.readers.selected ? shownTab(state) : state.tabs[reader];
  const card = tab === undefined ? null : cardInfo(tab.card);
  if (tab === undefined || tab.rewrite.stage !== 'failed' || tab.rewrite.error.code !== 'pin-blocked' || card === null) return state;
  if (state.pinBlocked.includes(card.number)) return state;
  return { ...state, pinBlocked: [...state.pinBlocked, card.number] };
}

/** Actions after which the focus panel shows something else: its scroll starts again at the top. */
const RESETS_SCROLL = new Set<Action['type']>([
  'select-move', 'tab-move', 'read-done', 'check-done', 'check-failed', 'rewrite-open', 'rewrite-path', 'rewrite-start', 'rewrite-done',
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
    case 'tab-move': {
      const readers = moveTab(state.readers, action.delta);
      return readers === state.readers ? state : withReaders(state, readers);
    }
    case 'reread': {
      // 重新偵測 dropped what the engine read from every card: the shown one is read again at once, the
      // parked tabs forget theirs and read it again when shown (never a check against a dropped read).
      const tabs: Record<string, TabState> = {};
      for (const [reader, tab] of Object.entries(state.tabs)) tabs[reader] = tab.card.key === null ? tab : { ...tab, card: cardFor(tab.card, null) };
      return { ...state, card: reread(state.card), tabs };
    }
    case 'read-done':
      return onTab(state, action.reader, (tab) => withCard(tab, readDone(tab.card, action.run, action.card)));
    case 'read-failed':
      return onTab(state, action.reader, (tab) => withCard(tab, readFailed(tab.card, action.run, action.error)));
    case 'recheck':
      return { ...state, card: recheck(state.card) };
    case 'check-done': {
      // onTab gives back the very state when the tab's card is unchanged (an answer for a stale run).
      const next = onTab(state, action.reader, (tab) => withCard(tab, checkDone(tab.card, action.run, action.result)));
      if (next === state) return state;
      const registry = action.result.registry === null ? { state: 'none' as const } : { state: 'ok' as const };
      // The status bar's OCSP word is the shown card's; the registry's last word is anyone's.
      const shown = action.reader === undefined || action.reader === state.readers.selected;
      return { ...next, service: { registry, ocsp: shown ? action.result.verdict.ocsp : next.service.ocsp } };
    }
    case 'check-failed': {
      const next = onTab(state, action.reader, (tab) => withCard(tab, checkFailed(tab.card, action.run, action.error)));
      if (next === state) return state;
      const registry = REGISTRY_CODES.has(action.error.code) ? { state: 'error' as const, code: action.error.code } : state.service.registry;
      return { ...next, service: { ...next.service, registry } };
    }
    case 'rewrite-open':
      if (isPinBlocked(state)) return state;
      return { ...state, rewrite: openRewrite(state.rewrite, state.card), help: { open: false, scroll: 0 } };
    case 'cert-text':
      return { ...state, rewrite: certText(state.rewrite, action.text) };
    case 'cert-busy':
      return { ...state, rewrite: certBusy(state.rewrite) };
    case 'cert-added':
      return onKey(state, action.key, (tab) => withRewrite(tab, certAdded(tab.rewrite, action.key, action)));
    case 'cert-failed':
      return onKey(state, action.key, (tab) => withRewrite(tab, certFailed(tab.rewrite, action.key, action.error)));
    case 'cert-continue':
      return { ...state, rewrite: certContinue(state.rewrite) };
    case 'rewrite-path':
      return withPinBlocked(onKey(state, action.key, (tab) => withRewrite(tab, pathKnown(tab.rewrite, action.key, action.path, action.triesLeft))), action.key);
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
      return onKey(state, action.key, (tab) => withRewrite(tab, progress(tab.rewrite, action.key, action.progress)));
    case 'rewrite-done':
      return onKey(state, action.key, (tab) => {
        const rewrite = rewriteDone(tab.rewrite, action.key, action.result);
        if (rewrite === tab.rewrite) return tab;
        // Read the card again so the panel shows what is on it now (and the check confirms it).
        const card = tab.card.key === action.key ? reread(tab.card) : tab.card;
        return { card, rewrite, rewritten: rewrite.stage === 'done' ? action.key : tab.rewritten };
      });
    case 'rewrite-failed':
      return withPinBlocked(onKey(state, action.key, (tab) => withRewrite(tab, rewriteFailed(tab.rewrite, action.key, action.error))), action.key);
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
