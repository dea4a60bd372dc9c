/** The TUI's state and the actions that change it. Reducers in this folder are pure; hooks do the I/O. */
import type { CardInfo, ReaderState, TransportEvent } from '../../card/types.js';
import type { RewriteProgress, RewriteStep } from '../../check/types.js';
import type { OcspReport } from '../../registry/types.js';
import type { ErrorCode } from '../../errors.js';
import type { Lang, ScenarioName } from '../../options.js';
import type { CheckResult, RewritePath, RewriteResult } from '../engine.js';

/** A MoicaError as plain data (never holds a PIN: MoicaError's contract). */
export interface UiError {
  code: ErrorCode;
  message: string;
  detail: Record<string, unknown>;
}

export interface ReadersState {
  list: ReaderState[];
  serviceUp: boolean;
  selected: string | null;
  /** The user picked a reader: automatic selection no longer moves it while it exists. */
  manual: boolean;
  /** Insertions seen per reader: a change means a new card, even when remove+insert merged into one event. */
  insertions: Record<string, number>;
}

/** `key` names one insertion of one card (reader + insertion count); `run` numbers each read/check started. */
export type CardState =
  | { phase: 'idle'; key: null; run: number }
  | { phase: 'reading'; key: string; run: number }
  | { phase: 'read-failed'; key: string; run: number; error: UiError }
  /** `previous`: a re-check keeps the last result on screen (dimmed) so the frame does not shrink. */
  | { phase: 'checking'; key: string; run: number; card: CardInfo; previous?: CheckResult }
  | { phase: 'checked'; key: string; run: number; card: CardInfo; result: CheckResult }
  | { phase: 'check-failed'; key: string; run: number; card: CardInfo; error: UiError };

export type RewriteState =
  | { stage: 'idle' }
  | { stage: 'path'; key: string }
  /**
   * No registry, a superseded card (B-1) or an expired one whose holder renewed: the new certificates'
   * files first (engine.supplyCertificate reads and checks each), then the write path and the PIN as usual.
   */
  | { stage: 'certificates'; key: string; text: string; given: Array<{ slot: 0 | 1; serialNumber: string }>; busy?: boolean; error?: UiError }
  | { stage: 'unavailable'; key: string; path: RewritePath }
  | {
      stage: 'pin';
      key: string;
      path: RewritePath;
      /** Digits held (shown as mask glyphs) and digits refused past the 8th (shown as refused marks). */
      digits: number;
      extra: number;
      /** From the card before any VERIFY (engine.pinStatus) or from a wrong PIN; 1 = the last try. */
      triesLeft?: number;
      /** The last PIN entered was wrong (kept until the next submit). */
      wrong?: boolean;
      /** What the last key did not do, said until the next accepted key. */
      notice?: PinNotice;
      /** Enter on the last try: the PIN is held until the user confirms (y) or goes back (n, Esc). */
      confirming?: boolean;
    }
  | {
      stage: 'running';
      key: string;
      path: RewritePath;
      steps: RewriteStep[];
      progress: RewriteProgress | null;
      /** The furthest track position reached: the track never goes backwards. */
      furthest: number;
      /** Bytes written per slot, as the machine reports them. */
      bytes: Partial<Record<0 | 1, { done: number; total: number }>>;
    }
  | { stage: 'done'; key: string; result: RewriteResult }
  | { stage: 'failed'; key: string; error: UiError };

/** Why the PIN prompt refused a key or a submit (each said on screen, nothing sent). */
export type PinNotice = 'need-digits' | 'too-long' | 'not-digit';

export interface ServiceState {
  /** Last word from the registry: unknown until a check ran; none when no registry is configured. */
  registry: { state: 'unknown' | 'ok' | 'error' | 'none'; code?: ErrorCode };
  /** OCSP report of the last verdict. */
  ocsp: OcspReport | null;
}

/**
 * One card's tab (issue 16): its read and check, its rewrite flow, and whether a rewrite completed on it.
 * The shown tab's are AppState's own `card`, `rewrite` and `rewritten` (what every screen reads); every
 * other tab's is parked in `tabs` by reader name, so each tab's state exists exactly once.
 */
export interface TabState {
  card: CardState;
  rewrite: RewriteState;
  rewritten: string | null;
}

export interface AppState {
  lang: Lang;
  readers: ReadersState;
  /** The shown tab (the selected reader's card). */
  card: CardState;
  rewrite: RewriteState;
  /**
   * The tabs not shown, by reader name: each keeps its own read, check and rewrite while another is shown
   * (a rewrite running in one never stops another from being read). Kept for readers that went away, so a
   * tab's run numbers never start again (a late answer can never be taken for a new run's).
   */
  tabs: Record<string, TabState>;
  service: ServiceState;
  help: { open: boolean; scroll: number };
  /** The focus panel's scroll (result and guidance, or the rewrite panel); reset when its content changes. */
  scroll: number;
  scenario: ScenarioName | null;
  /** The card (key) a rewrite completed on (B-2) in the shown tab, kept after its panel is closed, for the exit code. */
  rewritten: string | null;
  /** Card numbers whose PIN is blocked (tries 0): no rewrite is offered for them, the unlock route is shown. */
  pinBlocked: string[];
  /** Something the user asked for is under way (d: re-detecting): said at once, with a spinner. */
  activity: 'redetect' | null;
  /** A demo scenario switch is under way: the old card's panels are hidden so highlight and verdict agree. */
  switching: boolean;
  /** Ctrl-C during a running rewrite: leave once it settles (interrupting a write could damage the card). */
  quitPending: boolean;
}

export type Action =
  | { type: 'readers'; readers: ReaderState[]; serviceUp: boolean; event?: TransportEvent }
  | { type: 'select-move'; delta: 1 | -1 }
  /** Tab / Shift-Tab: the next or previous reader holding a card (the side bar's selection moves with it). */
  | { type: 'tab-move'; delta: 1 | -1 }
  | { type: 'reread' }
  /** `reader`: the tab the answer belongs to (absent: the shown one). */
  | { type: 'read-done'; run: number; card: CardInfo; reader?: string }
  | { type: 'read-failed'; run: number; error: UiError; reader?: string }
  | { type: 'recheck' }
  | { type: 'check-done'; run: number; result: CheckResult; reader?: string }
  | { type: 'check-failed'; run: number; error: UiError; reader?: string }
  | { type: 'rewrite-open' }
  | { type: 'cert-text'; text: string }
  | { type: 'cert-busy' }
  | { type: 'cert-added'; key: string; slot: 0 | 1; serialNumber: string }
  | { type: 'cert-failed'; key: string; error: UiError }
  | { type: 'cert-continue' }
  | { type: 'rewrite-path'; key: string; path: RewritePath; triesLeft?: number | null }
  | { type: 'pin-digits'; digits: number; extra?: number; notice?: PinNotice }
  | { type: 'pin-too-short' }
  | { type: 'pin-confirm-ask' }
  | { type: 'pin-confirm-back' }
  | { type: 'rewrite-start'; lastTryConfirmed?: boolean }
  | { type: 'rewrite-progress'; key: string; progress: RewriteProgress }
  | { type: 'rewrite-done'; key: string; result: RewriteResult }
  | { type: 'rewrite-failed'; key: string; error: UiError }
  | { type: 'rewrite-close' }
  | { type: 'help-toggle' }
  | { type: 'help-scroll'; delta: number; max: number }
  | { type: 'scroll'; delta: number; max: number }
  | { type: 'lang-toggle' }
  | { type: 'scenario'; name: ScenarioName }
  | { type: 'switching'; on: boolean }
  | { type: 'activity'; activity: 'redetect' | null }
  | { type: 'quit-pending' };
