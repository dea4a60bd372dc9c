/**
 * The TUI's engine (ui/engine.ts) over the real modules: one card source (PC/SC, or the demo's in-process
 * reader) kept open for the session, one CardAccess per reader that was read, and the network opened on
 * the first check. The same check and rewrite code as the headless commands.
 */
import type { Options, ScenarioName } from '../options.js';
import { SCENARIOS } from '../options.js';
import { MoicaError } from '../errors.js';
import type { CardSource } from '../card/open.js';
import { openSource, type EngineSource } from './card-source.js';
import type { CardInfo } from '../card/types.js';
import { buildDemoScenario, type BuiltScenario } from './demo.js';
import type { Verdict } from '../check/types.js';
import type { CheckEvents, CheckResult, Engine, RewritePath } from '../ui/engine.js';
import { openCardAccess, type CardAccess } from './card-access.js';
import { EventLog, eventLineText, tapTransport, withEventLog } from './events.js';
import { isAbsolute, resolve } from 'node:path';
import { runCheck } from './check.js';
import { openNetwork, type OpenNetwork } from './session.js';
import type { SuppliedCertificate } from '../check/supplied.js';

/** The helpdesk report's writer (commands/report.ts), handed in by the composition root (cli.tsx). */
/**
 * The card's write lock held by this very process: the TUI writes the same card (its number) in another
 * tab, through another reader. Still 'card-busy' (nothing was written); said as what it is, with the
 * other tab's reader, instead of "another program".
 */
function inAnotherTab(e: unknown): unknown {
  if (!(e instanceof MoicaError) || e.code !== 'card-busy') return e;
  const holder = e.detail.holder as { pid?: unknown; reader?: unknown } | undefined;
  if (holder?.pid !== process.pid) return e;
  const where = typeof holder.reader === 'string' ? ` (${holder.reader})` : '';
  return new MoicaError('card-busy', `This card is being written in another tab${where}: nothing was written. Wait for that rewrite to finish.`,
    { ...e.detail, inAnotherTab: true }, { cause: e });
}

export interface ReportWriter {
  defaultReportPath(now: Date): string;
  writeReport(options: Options, extras: { eventLog?: string[]; now?: Date }): Promise<string>;
}
/** What the composition root wires into the engine: the pieces that live above it. */
export interface EngineWiring {
  /** Loaded on first use (key e): the first frame does not wait on the doctor and the report's code. */
  report?: () => Promise<ReportWriter>;
  /** Called after each check that reached a verdict (tui-session.ts: the code caches are worth keeping then). */
  afterCheck?: () => void;
  /**
   * Called when the session runs code a usual check start does not: the demo building its certificates
   * (its cache lacked them), a scenario switch, a rewrite. tui-session.ts then keeps no code cache from the
   * session: every later start would read that code too, and never run it.
   */
  unusual?: () => void;
}

export async function createEngine(options: Options, wiring: EngineWiring = {}): Promise<Engine> {
  const source: EngineSource = await openSource(options);
  if (source.built === true) wiring.unusual?.();
  let demo: BuiltScenario | undefined = source.demo;
  let scenario: ScenarioName | undefined = options.demo;
  let network: Promise<OpenNetwork> | undefined;
  const accesses = new Map<string, CardAccess>();
  const verdicts = new Map<string, Verdict>();
  /** No registry: the certificate files given for the next rewrite of the card in a reader. */
  const supplied = new Map<string, SuppliedCertificate[]>();
  // The Output panel's log; cards are opened through a transport whose channels log each APDU (redacted).
  const log = new EventLog();
  const tapped: CardSource = { ...source, transport: tapTransport(source.transport, log) };

  const crlListeners = new Set<NonNullable<CheckEvents['onCrlProgress']>>();
  const net = () => {
    // A CRL download's progress goes to the checks waiting (the network, its CRL cache, is shared by them).
    network ??= openNetwork(options, demo, { onCrlProgress: (p) => { for (const listener of crlListeners) listener(p); } });
    // A failed open (no registry configured) is reported to this check and tried again on the next.
    network.catch(() => { network = undefined; });
    return network;
  };
  const drop = async (reader: string) => {
    const access = accesses.get(reader);
    accesses.delete(reader);
    verdicts.delete(reader);
    supplied.delete(reader);
    await access?.close().catch(() => undefined);
  };
  const accessFor = (card: CardInfo): CardAccess => {
    const access = accesses.get(card.reader);
    if (access === undefined || access.info.number !== card.number) {
      throw new MoicaError('card-removed', 'The card is no longer in the reader. Insert it again.');
    }
    return access;
  };
  // A pulled or swapped card invalidates what was read from it.
  const unsubscribe = source.transport.on((event) => {
    if (event.type === 'card-removed' || event.type === 'reader-removed') void drop(event.reader);
  });

  const engine: Omit<Engine, 'events'> = {
    info: () => ({ registry: demo ? 'in-process (demo)' : (options.registry ?? '—'), demo: demo !== undefined, ...(demo ? { demoPin: demo.pin } : {}) }),
    readers: () => source.transport.readers(),
    onReaderEvent: (listener) => source.transport.on(listener),
    ready: () => source.transport.ready(),
    serviceUp: () => source.transport.serviceUp(),
    async readCard(reader) {
      await drop(reader);
      const opened = { ...options, reader, pkcs11Token: undefined };
      // A directory torn by a pulled rewrite: the card is shown by its number, and the check offers the
      // rewrite that puts the directory back from the backup and finishes.
      const access = await openCardAccess(opened, tapped, {}, { acceptTorn: true });
      accesses.set(reader, access);
      return access.info;
    },
    async check(card, events): Promise<CheckResult> {
      const access = accessFor(card);
      // An interrupted rewrite (a slot reads inconsistent) is offered the rewrite that finishes it; the card
      // panel marks the torn slot.
      const listener = events?.onCrlProgress;
      if (listener !== undefined) crlListeners.add(listener);
      let outcome;
      try {
        outcome = await runCheck(access, await net(), new Date(), { inconsistentAsStale: true });
      } finally {
        if (listener !== undefined) crlListeners.delete(listener);
      }
      verdicts.set(card.reader, outcome.verdict);
      wiring.afterCheck?.();
      return { verdict: outcome.verdict, guidance: outcome.guidance, registry: outcome.registry };
    },
    async rewritePath(card): Promise<RewritePath> {
      const path = accessFor(card).writePath();
      return path.path === 'unavailable' ? { path: 'unavailable', code: path.code, detail: path.detail } : { path: path.path, detail: path.detail };
    },
    async pinStatus(card) {
      const writer = await accessFor(card).writer();
      try {
        return { triesLeft: writer.pinTries ? await writer.pinTries() : null };
      } finally {
        await writer.end().catch(() => undefined);
      }
    },
    async supplyCertificate(card, path) {
      const access = accessFor(card);
      const { checkAgainstCard, readCertificateFile } = await import('./supplied.js');
      const given = await readCertificateFile(path);
      const set = checkAgainstCard(access.info, [...(supplied.get(card.reader) ?? []).filter((s) => s.slot !== given.slot), given]);
      supplied.set(card.reader, set);
      return { slot: given.slot, serialNumber: given.serialNumber };
    },
    async rewrite(card, pin, onProgress, rewriteOptions = {}) {
      const access = accessFor(card);
      wiring.unusual?.();
      const lastTryConfirmed = rewriteOptions.lastTryConfirmed === true;
      const opened = await net();
      // No registry: the files given stand in for the registry's record; the machine's own fresh check
      // (OCSP on their serials) and every proof decide, so the verdict on screen is not passed on.
      const given = opened.registry === null ? supplied.get(card.reader) : undefined;
      // The rewrite's code (proofs, backup, @peculiar/x509) loads when a rewrite starts, not with the check.
      const [{ rewriteCard }, { suppliedNetwork }] = await Promise.all([import('./rewrite.js'), import('./supplied.js')]);
      const result = await rewriteCard(access, given ? suppliedNetwork(opened, access.info, given) : opened, {
        // The machine zeroes what it is given; the UI zeroes its own buffer when this settles.
        askPin: async () => pin.slice(),
        confirmLastTry: async () => lastTryConfirmed,
        onProgress,
        backupDir: options.backupDir,
        previousVerdict: given ? undefined : verdicts.get(card.reader),
      }).catch((e: unknown) => {
        throw inAnotherTab(e);
      });
      supplied.delete(card.reader);
      return { serialNumbers: result.serialNumbers, backup: result.backup };
    },
    async report() {
      if (wiring.report === undefined) throw new MoicaError('report-unwritable', 'No helpdesk report writer is wired into this engine.', { reason: 'not-wired' });
      const { defaultReportPath, writeReport } = await wiring.report();
      const now = new Date();
      const path = resolve(options.out ?? defaultReportPath(now));
      // The scenario on screen (a demo switched since the start reads the card the holder is looking at).
      const reportOptions: Options = { ...options, ...(scenario === undefined ? {} : { demo: scenario }), out: path, full: false };
      try {
        await writeReport(reportOptions, { eventLog: log.lines().map(eventLineText), now });
      } catch (e) {
        const reason = e instanceof MoicaError ? e.message : (e as NodeJS.ErrnoException).code ?? (e instanceof Error ? e.message : String(e));
        throw new MoicaError('report-unwritable', `The helpdesk report cannot be written to ${path}: ${reason}`, { path, reason }, { cause: e });
      }
      log.push('check', `helpdesk report written to ${path}`, 'ok');
      return { path: isAbsolute(path) ? path : resolve(path), initialsOnly: true };
    },
    async redetect() {
      for (const reader of [...accesses.keys()]) await drop(reader);
    },
    ...(scenario !== undefined && demo !== undefined && source.replaceCard !== undefined
      ? {
          scenarios: {
            list: () => SCENARIOS,
            current: () => scenario!,
            async switchTo(name: ScenarioName) {
              wiring.unusual?.();
              const next = await buildDemoScenario(name);
              const replaceCard = source.replaceCard!;
              const old = network;
              network = undefined;
              demo = next;
              scenario = name;
              await (await old?.catch(() => undefined))?.close();
              replaceCard(next);
            },
          },
        }
      : {}),
    async close() {
      unsubscribe();
      for (const reader of [...accesses.keys()]) await drop(reader);
      await (await network?.catch(() => undefined))?.close();
      await source.close();
    },
  };
  return withEventLog(engine, log, source.transport);
}
