/**
 * A scripted engine for the UI tests: readers and cards that can be plugged and pulled, a check that
 * answers any verdict or fails with any code, a rewrite that reports progress, takes a wrong PIN or
 * blocks. It records every call, and copies of the PIN bytes rewrite() received (to prove they got
 * there, and nowhere else).
 */
import type { CardInfo, ReaderState, TransportEvent } from '../../source/card/types.js';
import type { RewriteProgress } from '../../source/check/types.js';
import { MoicaError, type ErrorCode } from '../../source/errors.js';
import type { ScenarioName } from '../../source/options.js';
import type { CheckEvents, CheckResult, Engine, PinStatus, RewriteChoices, RewritePath, RewriteResult } from '../../source/ui/engine.js';
import { EventLog } from '../../source/engine/events.js';
import { RESULTS, VIRTUAL_ATR, card as makeCard } from './fixtures.js';

export type RewriteOutcome =
  | { kind: 'ok'; progress?: RewriteProgress[]; result?: RewriteResult }
  | { kind: 'error'; code: ErrorCode; detail?: Record<string, unknown> }
  /** Stays pending until release() is called. */
  | { kind: 'hold' };

export class FakeEngine implements Engine {
  private list: ReaderState[] = [];
  private listeners = new Set<(e: TransportEvent) => void>();
  private up = true;
  cards = new Map<string, CardInfo | { error: ErrorCode }>();
  checkAnswer: CheckResult | { error: ErrorCode } = RESULTS.A();
  /** Per card number, an answer that wins over checkAnswer (two cards, two verdicts). */
  checkAnswers = new Map<string, CheckResult>();
  /**
   * Card numbers being written: a second rewrite of one is refused with 'card-busy' as the real engine's
   * per-card lock refuses it (source/card/card-lock.ts: this process writes it already).
   */
  writing = new Set<string>();
  /** The reader each card being written is in (the lock file's holder names it). */
  private writerOf = new Map<string, string>();
  path: RewritePath = { path: 'virtual-apdu' };
  /** What pinStatus() answers (null: the card does not say); rewrite() gates on it as the real engine does. */
  triesLeft: number | null = null;
  rewriteOutcomes: RewriteOutcome[] = [];
  calls: Array<{ method: string; args: unknown[] }> = [];
  /** Copies of the PIN bytes as rewrite() received them. */
  pinsReceived: number[][] = [];
  /** The buffers themselves, to check the UI zeroed them afterwards. */
  pinBuffers: Uint8Array[] = [];
  release: () => void = () => {};
  /** The options each rewrite() call was given (lastTryConfirmed). */
  rewriteOptions: RewriteChoices[] = [];
  closed = false;
  /** The real ring the engine uses: tests push lines into it (events.push) and read what the UI shows. */
  events = new EventLog();
  scenarios?: Engine['scenarios'];
  /** What report() answers: a path (the event log's lines are written there), an error code, or held until releaseReport(). */
  reportAnswer: { path: string } | { error: ErrorCode; detail?: Record<string, unknown> } | { hold: true } = { path: '/tmp/moica-check-report-fake.txt' };
  releaseReport: () => void = () => {};

  constructor(options: { demo?: boolean } = {}) {
    if (options.demo) {
      let current: ScenarioName = 'rewrite';
      this.scenarios = {
        list: () => ['valid', 'rewrite', 'revoked', 'suspended', 'expired'] as const,
        current: () => current,
        switchTo: async (name) => {
          this.calls.push({ method: 'switchTo', args: [name] });
          current = name;
        },
      };
    }
  }

  info() {
    return { registry: 'fake', demo: this.scenarios !== undefined, ...(this.scenarios ? { demoPin: '123456' } : {}) };
  }
  readers(): ReaderState[] {
    return this.list.map((r) => ({ ...r }));
  }
  onReaderEvent(listener: (e: TransportEvent) => void): () => void {
    this.listeners.add(listener);
    return () => this.listeners.delete(listener);
  }
  async ready(): Promise<void> {}
  serviceUp(): boolean {
    return this.up;
  }
  listenerCount(): number {
    return this.listeners.size;
  }

  private emit(event: TransportEvent): void {
    for (const l of this.listeners) l(event);
  }

  // ---------------------------------------------------------------- test controls
  addReader(name: string): void {
    this.list.push({ name, cardPresent: false, eventCount: 0 });
    this.emit({ type: 'reader-added', reader: name });
  }
  removeReader(name: string): void {
    this.list = this.list.filter((r) => r.name !== name);
    this.emit({ type: 'reader-removed', reader: name });
  }
  insert(reader: string, info: CardInfo | { error: ErrorCode } = makeCard(reader)): void {
    this.cards.set(reader, info);
    const r = this.list.find((x) => x.name === reader)!;
    r.cardPresent = true;
    r.atr = VIRTUAL_ATR;
    r.eventCount++;
    this.emit({ type: 'card-inserted', reader, atr: VIRTUAL_ATR });
  }
  pull(reader: string): void {
    this.cards.delete(reader);
    const r = this.list.find((x) => x.name === reader)!;
    r.cardPresent = false;
    delete r.atr;
    r.eventCount++;
    this.emit({ type: 'card-removed', reader });
  }
  service(up: boolean): void {
    this.up = up;
    this.emit({ type: 'service', up });
  }

  // ---------------------------------------------------------------- Engine
  async readCard(reader: string): Promise<CardInfo> {
    this.calls.push({ method: 'readCard', args: [reader] });
    const info = this.cards.get(reader);
    if (info === undefined) throw new MoicaError('no-card', `No card in ${reader}.`);
    if ('error' in info) throw new MoicaError(info.error, `read failed: ${info.error}`);
    return info;
  }
  async check(card: CardInfo, _events?: CheckEvents): Promise<CheckResult> {
    this.calls.push({ method: 'check', args: [card.number] });
    const answer = this.checkAnswers.get(card.number) ?? this.checkAnswer;
    if ('error' in answer) throw new MoicaError(answer.error, `check failed: ${answer.error}`);
    return answer;
  }
  async rewritePath(card: CardInfo): Promise<RewritePath> {
    this.calls.push({ method: 'rewritePath', args: [card.number] });
    return this.path;
  }
  async pinStatus(card: CardInfo): Promise<PinStatus> {
    this.calls.push({ method: 'pinStatus', args: [card.number] });
    return { triesLeft: this.triesLeft };
  }
  async rewrite(card: CardInfo, pin: Uint8Array, onProgress: (p: RewriteProgress) => void, options: RewriteChoices = {}): Promise<RewriteResult> {
    this.calls.push({ method: 'rewrite', args: [card.number, options] });
    this.rewriteOptions.push(options);
    // As the real engine: a blocked card is sent nothing; the last try only when confirmed.
    if (this.triesLeft === 0) throw new MoicaError('pin-blocked', 'The card\'s PIN is blocked.', { triesLeft: 0 });
    if (this.triesLeft === 1 && options.lastTryConfirmed !== true) {
      throw new MoicaError('pin-last-try-unconfirmed', 'One PIN try left: not confirmed.', { triesLeft: 1 });
    }
    if (this.writing.has(card.number)) {
      // As the real engine says it when its own process holds the lock (engine/index.ts inAnotherTab).
      const holder = { pid: process.pid, reader: this.writerOf.get(card.number) };
      throw new MoicaError('card-busy', `This card is being written in another tab (${holder.reader}): nothing was written.`, { holder, inAnotherTab: true });
    }
    this.writing.add(card.number);
    this.writerOf.set(card.number, card.reader);
    try {
      return await this.write(card, pin, onProgress);
    } finally {
      this.writing.delete(card.number);
      this.writerOf.delete(card.number);
    }
  }
  private async write(card: CardInfo, pin: Uint8Array, onProgress: (p: RewriteProgress) => void): Promise<RewriteResult> {
    this.pinsReceived.push([...pin]);
    this.pinBuffers.push(pin);
    const outcome = this.rewriteOutcomes.shift() ?? { kind: 'ok' };
    if (outcome.kind === 'error') throw new MoicaError(outcome.code, `rewrite failed: ${outcome.code}`, outcome.detail ?? {});
    if (outcome.kind === 'hold') {
      onProgress({ step: 'write', slot: 0, done: 512, total: 1792 });
      await new Promise<void>((resolve) => {
        this.release = resolve;
      });
      this.rewritten(card.number);
      return { serialNumbers: ['5A', '5B'] };
    }
    // As on a real card: once rewritten, the card matches the registry.
    this.rewritten(card.number);
    for (const p of outcome.progress ?? [{ step: 'verify-pin' }, { step: 'write', slot: 0, done: 1792, total: 1792 }, { step: 'done' }]) onProgress(p);
    return outcome.result ?? { serialNumbers: ['5A', '5B'], backup: '/tmp/backup.json' };
  }
  async report(): Promise<{ path: string; initialsOnly: boolean }> {
    this.calls.push({ method: 'report', args: [] });
    if ('hold' in this.reportAnswer) await new Promise<void>((resolve) => (this.releaseReport = resolve));
    // Read after the hold: a test may set the answer before releasing it.
    const answer = this.reportAnswer;
    if ('error' in answer) throw new MoicaError(answer.error, `fake ${answer.error}`, answer.detail ?? {});
    return { path: 'path' in answer ? answer.path : '/tmp/held-report.txt', initialsOnly: true };
  }
  /** Once rewritten, the card matches the registry (its own answer, when it has one). */
  private rewritten(number: string): void {
    if (this.checkAnswers.has(number)) this.checkAnswers.set(number, RESULTS.A());
    else this.checkAnswer = RESULTS.A();
  }
  async redetect(): Promise<void> {
    this.calls.push({ method: 'redetect', args: [] });
  }
  async close(): Promise<void> {
    this.closed = true;
  }
}
