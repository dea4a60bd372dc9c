/**
 * SIGINT, SIGTERM and SIGHUP during a headless `rewrite` (issue 14 item 1). Before the first write a signal
 * cancels: the step machine's AbortSignal is raised, and whatever the command is waiting for (the check,
 * a question, the PIN) is given up at once; nothing is written (exit 130). Once writing has begun the write
 * is finished, never cut off: the machine runs to its end (two certificate writes, bounded by the card
 * timeout), and a second signal only says how long it has been finishing. The command then reports the
 * card's state, the backup and the one command that finishes the job if it could not be finished.
 */
import { MoicaError } from '../errors.js';
import type { Lang } from '../options.js';
import { t } from '../i18n/t.js';
import '../i18n/commands.js';

export const REWRITE_SIGNALS = ['SIGINT', 'SIGTERM', 'SIGHUP'] as const;
export type RewriteSignal = (typeof REWRITE_SIGNALS)[number] | 'Ctrl-C';

export class Interrupts {
  readonly controller = new AbortController();
  /** 'writing' from the first certificate write on: a signal then no longer cancels. */
  phase: 'before-write' | 'writing' | 'done' = 'before-write';
  /** The first signal, if any, and when it came. */
  signal: RewriteSignal | undefined;
  private firstAt = 0;
  private readonly waiters = new Set<(e: MoicaError) => void>();
  private readonly handler = (sig: NodeJS.Signals) => this.interrupt(sig as RewriteSignal);
  private installed = false;

  constructor(private readonly note: (line: string) => void, private readonly lang: Lang) {}

  install(): void {
    if (this.installed) return;
    this.installed = true;
    for (const s of REWRITE_SIGNALS) process.on(s, this.handler);
  }

  uninstall(): void {
    if (!this.installed) return;
    this.installed = false;
    for (const s of REWRITE_SIGNALS) process.off(s, this.handler);
  }

  /** True once a signal came while writing: the write went on to its end. */
  get finishedAfterSignal(): boolean {
    return this.signal !== undefined && this.phase !== 'before-write';
  }

  interrupt(sig: RewriteSignal): void {
    const seconds = () => Math.max(0, Math.round((Date.now() - this.firstAt) / 1000));
    if (this.signal !== undefined) {
      this.note(t(this.lang, this.phase === 'before-write' ? 'interrupt.still-cancelling' : 'interrupt.still-finishing', { seconds: seconds() }));
      return;
    }
    this.signal = sig;
    this.firstAt = Date.now();
    if (this.phase === 'before-write') {
      this.note(t(this.lang, 'interrupt.cancelling', { signal: sig }));
      this.controller.abort();
      const error = this.cancelled();
      for (const reject of this.waiters) reject(error);
      this.waiters.clear();
    } else {
      this.note(t(this.lang, 'interrupt.finishing', { signal: sig }));
    }
  }

  cancelled(): MoicaError {
    return new MoicaError('cancelled', t(this.lang, 'interrupt.cancelled', { signal: this.signal ?? 'SIGINT' }), { signal: this.signal });
  }

  /** Throws `cancelled` if a signal came before the write phase. */
  check(): void {
    if (this.signal !== undefined && this.phase === 'before-write') throw this.cancelled();
  }

  /** `p`, unless a signal comes first (before the write phase): then `cancelled` at once. */
  race<T>(p: Promise<T>): Promise<T> {
    this.check();
    return new Promise<T>((resolve, reject) => {
      const onCancel = (e: MoicaError) => reject(e);
      this.waiters.add(onCancel);
      p.then((v) => { this.waiters.delete(onCancel); resolve(v); }, (e: unknown) => { this.waiters.delete(onCancel); reject(e); });
    });
  }
}

/** A shell word, quoted only when it needs it. */
export function shellWord(word: string): string {
  return /^[\w@%+=:,./-]+$/.test(word) ? word : `'${word.replace(/'/g, `'\\''`)}'`;
}
