/**
 * What the TUI needs from the rest of the program. ui/ has no I/O of its own: the integrator's engine
 * (source/engine/) implements this over the real card, registry and check modules or the demo, and the
 * tests implement it with a fake. Types only.
 */
import type { CardInfo, ReaderState, TransportEvent } from '../card/types.js';
import type { GuidanceItem, RewriteProgress, Verdict } from '../check/types.js';
import type { RewriteResult as MachineRewriteResult } from '../check/rewrite.js';
import type { RegistryCard } from '../registry/types.js';
import type { ErrorCode } from '../errors.js';
import type { ScenarioName } from '../options.js';

/**
 * What a check learned: the verdict, what to do about it, and the registry's record it was based on
 * (null when no registry is configured: the statuses then come from OCSP/CRL, verdict.basis says so).
 */
export interface CheckResult {
  verdict: Verdict;
  guidance: GuidanceItem[];
  registry: RegistryCard | null;
}

/**
 * How a rewrite would reach the card, asked BEFORE the PIN prompt so the user knows where the PIN goes.
 * `unavailable` carries the error code that explains why (e.g. 'pkcs11-unavailable' for a real card
 * with no issuer module configured) and a human detail.
 */
export type RewritePath =
  | { path: 'virtual-apdu' | 'pkcs11'; detail?: string }
  | { path: 'unavailable'; code: ErrorCode; detail: string };

/**
 * What the TUI shows of a completed rewrite: the rewrite machine's own result (check/rewrite.ts), cut to
 * the serial numbers now on the card (slot 0, slot 1) and where the backup of the old certificates went
 * (when one was made).
 */
export type RewriteResult = Pick<MachineRewriteResult, 'serialNumbers'> & Partial<Pick<MachineRewriteResult, 'backup'>>;

export interface PinStatus {
  /** A number only when the card or module says it; never a guess. */
  triesLeft: number | null;
}

export interface RewriteChoices {
  /** The user confirmed spending the card's last PIN try; without it a card with 1 try left gets nothing. */
  lastTryConfirmed?: boolean;
}

/** Static facts for the status bar. */
export interface EngineInfo {
  /** Where the registry is: a URL, or a label such as "in-process (demo)". */
  registry: string;
  /** True for --demo: the UI offers scenario switching. */
  demo: boolean;
  /** The demo card's PIN, said on the demo's PIN prompt (never set for a real card). */
  demoPin?: string;
}

/** Where a line of the event log came from. */
export type EventSource = 'reader' | 'card' | 'apdu' | 'net' | 'check' | 'rewrite';

/** One line of the live event log (the Output panel, and the helpdesk report). Text is already sanitised. */
export interface EventLine {
  /** Numbers every line ever logged (so a view knows how many the ring has dropped). */
  seq: number;
  /** Epoch milliseconds. */
  at: number;
  source: EventSource;
  level: 'info' | 'ok' | 'warn' | 'error';
  text: string;
}

/** The engine's event log: a bounded ring (the last 1,000 lines) and a subscription to new lines. */
export interface EventFeed {
  /** The lines kept, oldest first. */
  lines(): EventLine[];
  /** Called after each new line; returns an unsubscribe function. Listeners must not block. */
  subscribe(listener: (line: EventLine) => void): () => void;
}

/** A CRL download under way (issue 11 item 5): bytes so far, and the length when the server said it. */
export interface CrlDownload {
  url: string;
  bytes: number;
  total: number | undefined;
}

/** What a check tells while it runs. */
export interface CheckEvents {
  /** A CRL download's progress, from its first bytes to its last (then the check goes on). */
  onCrlProgress?: (progress: CrlDownload) => void;
}

/** Where the helpdesk report went (key e). */
export interface ReportWritten {
  /** The file's absolute path. */
  path: string;
  /** The holder's name appears as initials only (the TUI never asks for --full's whole name). */
  initialsOnly: boolean;
}

export interface Engine {
  /**
   * What the program is doing, live: reader and card events, each APDU as a one-line summary (PIN bytes
   * redacted as in --trace), each network request, each rewrite step.
   */
  events: EventFeed;
  info(): EngineInfo;
  /** Current readers (live snapshot). */
  readers(): ReaderState[];
  /** Reader and card events (hot-plug, service up/down). Returns an unsubscribe function. */
  onReaderEvent(listener: (event: TransportEvent) => void): () => void;
  /** Resolves once the first reader enumeration is done (or the service is known down). */
  ready(): Promise<void>;
  /** True while the PC/SC service (or the in-process transport) answers. */
  serviceUp(): boolean;
  /** Read the card in a reader (no PIN, no network). Rejects with a MoicaError. */
  readCard(reader: string): Promise<CardInfo>;
  /** Registry + OCSP + verdict for a card that was read. Rejects with a MoicaError (registry-*, card-not-found…). */
  check(card: CardInfo, events?: CheckEvents): Promise<CheckResult>;
  /** Which write path a rewrite of this card would take. Never asks for a PIN, never writes. */
  rewritePath(card: CardInfo): Promise<RewritePath>;
  /**
   * Rewrite the issued certificates onto the card. `pin` is a buffer the UI zeroes as soon as this
   * settles: implementations must not keep it or copy it anywhere lasting. Rejects with a MoicaError
   * ('pin-wrong' with detail.triesLeft, 'pin-blocked', 'pin-malformed', 'rewrite-*', 'card-removed' …).
   */
  rewrite(card: CardInfo, pin: Uint8Array, onProgress: (progress: RewriteProgress) => void, options?: RewriteChoices): Promise<RewriteResult>;
  /**
   * The PIN tries left, asked BEFORE the PIN prompt; never consumes a try (the virtual card's VERIFY with no
   * data, the PKCS#11 token flags). 0: blocked (no rewrite: show the unlock route); 1: the last try, which
   * rewrite() spends only with `lastTryConfirmed`; null: the card or module does not say (real cards: 3).
   */
  pinStatus(card: CardInfo): Promise<PinStatus>;
  /**
   * No registry: a certificate file for the next rewrite of this card (DER or PEM), read and checked
   * (one certificate, its slot from the key usage, a slot the card holds; every proof still runs in the
   * rewrite). Rejects with certificate-file-unreadable / certificate-file-invalid.
   */
  supplyCertificate?(card: CardInfo, path: string): Promise<{ slot: 0 | 1; serialNumber: string }>;
  /**
   * Write the helpdesk report (moica-check report: versions, doctor, the read, the check) with this
   * session's event log (the Output panel's lines, PIN bytes redacted as in --trace). Rejects with
   * report-unwritable (detail path, reason) when the file cannot be written.
   */
  report(): Promise<ReportWritten>;
  /** Re-enumerate readers (重新偵測卡片); events follow as usual. */
  redetect(): Promise<void>;
  /** Demo only: the scenarios and the current one; switching swaps the virtual card (events follow). */
  scenarios?: {
    list(): readonly ScenarioName[];
    current(): ScenarioName;
    switchTo(name: ScenarioName): Promise<void>;
  };
  /** Release everything so the process can exit. */
  close(): Promise<void>;
}

/** The factory the integrator provides in source/engine/index.ts. */
export type CreateEngine = (options: import('../options.js').Options) => Promise<Engine> | Engine;
