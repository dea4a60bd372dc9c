/**
 * `moica-check rewrite --pin-stdin [--yes] [--json]`: only from verdict B-1, or to finish a rewrite that
 * was interrupted (the card reads inconsistent, or its directory does not parse: the backup is its
 * journal). The PIN comes from standard input only, never argv. Without --yes the rewrite is confirmed
 * at the terminal; with the PIN piped in, --yes is required.
 */
import { MoicaError, isMoicaError, toMoicaError } from '../errors.js';
import type { Options } from '../options.js';
import type { Learned } from '../card/open.js';
import { cardJson } from './card-report.js';
import { t, text } from '../i18n/t.js';
import type { RewriteResult } from '../check/rewrite.js';
import { openSession, type Session } from '../engine/session.js';
import { runCheck, type CheckOutcome } from '../engine/check.js';
import { needsCertificates, rewriteCard, type RewriteRequest } from '../engine/rewrite.js';
import { checkJson, checkText } from './check-output.js';
import { exitCodeOf } from '../exit.js';
import { TerminalPinEntry, readPin } from './pin-input.js';
import { fail, printJson, type Io, printText } from './io.js';
import '../i18n/commands.js';
import { alreadyOnCard, checkSupplied, type SuppliedCertificate } from '../check/supplied.js';
import { checkAgainstCard, downloadSerials, readCertificateFiles, suppliedJson, suppliedNetwork } from '../engine/supplied.js';
import { Interrupts, shellWord } from './interrupts.js';
import { crlProgressOnStderr, type CrlProgress } from './progress.js';

export async function run(options: Options, io: Io): Promise<number> {
  if (!options.pinStdin) {
    return fail(io, options.json, {}, new MoicaError('usage', t(options.lang, 'usage.pin-stdin')));
  }
  const stdin = io.stdin as NodeJS.ReadStream;
  if (!options.yes && !stdin.isTTY) {
    return fail(io, options.json, {}, new MoicaError('usage', t(options.lang, 'usage.needs-yes')));
  }
  const learned: Learned = {};
  const doc: Record<string, unknown> = {};
  const say = (line: string) => { if (!options.json) printText(io.stderr, `${line}\n`); };
  // At a terminal, echo goes off before the first question and stays off until the PIN is read.
  const entry = stdin.isTTY && typeof stdin.setRawMode === 'function' ? new TerminalPinEntry(stdin, io.stderr, options.lang) : undefined;
  // Signals: cancel before the first write, finish the write after it (interrupts.ts). A hung-up terminal
  // (SIGHUP) makes writes fail: those errors must not end the process mid-write.
  const quiet = () => undefined;
  io.stdout.on('error', quiet);
  io.stderr.on('error', quiet);
  const interrupts = new Interrupts((line) => { try { printText(io.stderr, `${line}\n`); } catch { /* the terminal is gone */ } }, options.lang);
  interrupts.install();
  if (entry) entry.onInterrupt = () => interrupts.interrupt('Ctrl-C');

  /** The warning, the confirmation, then the step machine (`go`) with the PIN from stdin; prints B-2. */
  const rewrite = async (cardNumber: string, pathDetail: string, go: (request: RewriteRequest) => Promise<RewriteResult>, previous?: CheckOutcome) => {
    say(t(options.lang, 'rewrite.path', { path: pathDetail }));
    say(t(options.lang, 'rewrite.warning', {}));
    entry?.begin();
    if (!options.yes && !(await interrupts.race(entry!.confirm(t(options.lang, 'rewrite.confirm', { cardNumber }))))) {
      throw new MoicaError('cancelled', 'Cancelled: nothing was written.');
    }
    interrupts.check();
    let lastSaid: string | undefined;
    const result = await go({
      askPin: () => {
        interrupts.check();
        return interrupts.race(entry ? entry.readPin(t(options.lang, 'rewrite.pin-prompt', {})) : readPin(stdin, options.lang));
      },
      // The last PIN try: spent with --last-try, or after a question at the terminal; --yes alone never spends it.
      ...(options.lastTry ? { confirmLastTry: async () => true }
        : entry ? { confirmLastTry: () => interrupts.race(entry.confirm(t(options.lang, 'pin.last-try.question'))) } : {}),
      onProgress: (p) => {
        // The machine honours its AbortSignal up to the first write; from then on a signal finishes the job.
        if (p.step === 'write' && interrupts.phase === 'before-write') interrupts.phase = 'writing';
        if (p.step === 'done') interrupts.phase = 'done';
        // One line per step and slot: the write's rising byte counter is the TUI's (the text says no bytes).
        const line = `… ${t(options.lang, `rewrite.step.${p.step}`)}${p.slot === undefined ? '' : ` ${p.slot}`}`;
        if (line !== lastSaid) say(line);
        lastSaid = line;
      },
      backupDir: options.backupDir,
      previousVerdict: previous?.verdict,
      signal: interrupts.controller.signal,
    });
    if (interrupts.finishedAfterSignal) doc.interrupted = { signal: interrupts.signal, finished: true };
    doc.rewrite = { result: result.result, backup: result.backup, serialNumbers: result.serialNumbers, recorded: result.recorded };
    doc.verdict = 'B-2';
    doc.message = t(options.lang, 'rewrite.done', {});
    if (options.json) printJson(io, doc);
    else {
      printText(io.stdout, `${t(options.lang, 'rewrite.done', {})}\n${t(options.lang, 'rewrite.backup-saved', { file: result.backup })}\n`);
      if (!result.recorded && !noRegistry) printText(io.stdout, `${t(options.lang, 'rewrite.record-failed', {})}\n`);
      if (interrupts.finishedAfterSignal) printText(io.stderr, `${t(options.lang, 'interrupt.completed', { signal: interrupts.signal! })}\n`);
    }
    return 0;
  };
  const supplying = (options.certificates?.length ?? 0) + (options.serials?.length ?? 0) > 0;

  /**
   * No registry, the new certificates given (files) or fetched (serials): the card's own status first
   * (a card revoked or suspended for cause is never rewritten; an expired card whose holder renewed online,
   * a superseded one, or one checked A "not compared" may take certificates the CA issued for its keys),
   * then the step machine with the given certificates standing in for the registry: its fresh check,
   * every proof, the backup and the read-back as always.
   */
  const rewriteSupplied = async (access: Session['access'], net: Session['net'], files: SuppliedCertificate[]): Promise<number> => {
    let outcome: CheckOutcome | undefined;
    try {
      outcome = await runCheck(access, net);
    } catch (e) {
      // No status for the card's current certificates, or an interrupted rewrite: the given certificates'
      // own check (the machine's fresh check, OCSP on their serials) decides.
      if (!isMoicaError(e, 'status-unavailable') && !isMoicaError(e, 'card-inconsistent')) throw e;
      say(t(options.lang, isMoicaError(e, 'card-inconsistent') ? 'error.card-inconsistent' : 'error.status-unavailable', {}));
    }
    if (outcome !== undefined) {
      Object.assign(doc, checkJson(access.reader, access.info, outcome, options.lang));
      if (!options.json) printText(io.stdout, checkText(access.reader, access.info, outcome, options.lang));
      if (outcome.verdict.verdict === 'C' && outcome.verdict.status !== 'expired') return notRewritten(io, options, doc, outcome);
    }
    if ((options.serials?.length ?? 0) > 0) say(`… ${t(options.lang, 'rewrite.step.download')}`);
    const supplied = checkAgainstCard(access.info, [...files, ...(await downloadSerials(options.serials ?? [], options.timeoutMs))]);
    doc.certificates = suppliedJson(supplied);
    if (alreadyOnCard(access.info, supplied)) {
      doc.rewrite = { result: 'not-needed' };
      if (options.json) printJson(io, doc);
      else printText(io.stdout, `${t(options.lang, 'rewrite.already-on-card', {})}\n`);
      return 0;
    }
    const given = suppliedNetwork(net, access.info, supplied);
    return await rewrite(access.info.number, writePathDetail(access), (request) => rewriteCard(access, given, request));
  };
  const noRegistry = options.registry === undefined && options.demo === undefined;

  let session: Session | undefined;
  const progress = options.json ? undefined : crlProgressOnStderr(io.stderr, options.lang);
  const crlHooks = progress ? { onCrlProgress: (p: CrlProgress) => progress.onProgress(p) } : {};
  try {
    if (supplying && !noRegistry) {
      throw new MoicaError('usage', '--certificate and --serial rewrite a card with no registry; with a registry configured (--registry, MOICA_REGISTRY_URL or --demo) the registry serves the certificates.');
    }
    // Files first: a bad file is refused before the card or the network is touched.
    const files = supplying ? await readCertificateFiles(options.certificates ?? []) : [];
    if (files.length > 0) checkSupplied(files); // two files for one slot: refused before the card is touched
    session = await interrupts.race(openSession(options, learned, crlHooks, { acceptTorn: true }));
    const { access, net } = session;
    if (access.directory === 'torn') {
      // The directory does not parse: an interrupted rewrite; the newest backup of this card puts it back
      // (the step machine's first step), then the rewrite goes on as usual. No check first: nothing reads.
      say(t(options.lang, 'error.card-inconsistent', {}));
      Object.assign(doc, { reader: access.reader, card: { number: access.info.number, consistent: false } });
      return await rewrite(access.info.number, writePathDetail(access), (request) => rewriteCard(access, net, request));
    }
    Object.assign(doc, { reader: access.reader, card: cardJson(access.info) });
    if (supplying) return await rewriteSupplied(access, net, files);

    let outcome: CheckOutcome | undefined;
    try {
      outcome = await interrupts.race(runCheck(access, net));
    } catch (e) {
      // An interrupted rewrite left the card inconsistent: the rewrite itself is how it is finished.
      if (!isMoicaError(e, 'card-inconsistent')) throw e;
      say(t(options.lang, 'error.card-inconsistent', {}));
    }
    if (outcome !== undefined) {
      Object.assign(doc, checkJson(access.reader, access.info, outcome, options.lang));
      if (outcome.verdict.verdict !== 'B-1') return notRewritten(io, options, doc, outcome);
      if (!options.json) printText(io.stdout, checkText(access.reader, access.info, outcome, options.lang));
    }
    // No registry and no certificates given: nothing to write (before the warning and the PIN).
    if (net.registry === null) throw needsCertificates();
    return await rewrite(access.info.number, writePathDetail(access), (request) => rewriteCard(access, net, request), outcome);
  } catch (e) {
    if (doc.reader === undefined && learned.reader !== undefined) doc.reader = learned.reader;
    if (isMoicaError(e, 'pin-last-try-unconfirmed') && entry === undefined) {
      return fail(io, options.json, doc, new MoicaError(e.code, t(options.lang, 'pin.last-try.headless'), e.detail));
    }
    const err = toMoicaError(e);
    // Stopped after the backup (a write failed, the card was pulled): where the card's old certificates
    // are, and the one command that finishes the job.
    if (err.detail.resumable === true && typeof err.detail.backup === 'string') {
      const command = finishCommand(options);
      if (options.json) return fail(io, true, doc, new MoicaError(err.code, err.message, { ...err.detail, next: command }, { cause: err }));
      const code = fail(io, false, doc, err);
      printText(io.stderr, `${t(options.lang, 'state.unfinished', { stage: String(err.detail.stage ?? '?'), backup: err.detail.backup })}\n`);
      printText(io.stderr, `${t(options.lang, 'state.finish-with', { command })}\n`);
      return code;
    }
    return fail(io, options.json, doc, err);
  } finally {
    progress?.end();
    entry?.end();
    interrupts.uninstall();
    await session?.close();
    io.stdout.off('error', quiet);
    io.stderr.off('error', quiet);
  }
}

/** What the rewrite will go through, said before the warning; no write path (no module) is the error. */
function writePathDetail(access: Session['access']): string {
  const path = access.writePath();
  if (path.path === 'unavailable') throw new MoicaError(path.code, path.detail);
  return path.detail;
}

/** The command that finishes an interrupted rewrite: this one again, with the flags that choose the card. */
export function finishCommand(options: Options): string {
  const words = ['moica-check', 'rewrite', '--pin-stdin'];
  const add = (flag: string, value: string | undefined) => { if (value !== undefined) words.push(flag, shellWord(value)); };
  add('--reader', options.reader);
  add('--registry', options.registry);
  if (options.ocsp === false) words.push('--no-ocsp');
  else add('--ocsp', options.ocsp);
  add('--pkcs11-module', options.pkcs11Module);
  add('--pkcs11-token', options.pkcs11Token);
  add('--backup-dir', options.backupDir);
  for (const file of options.certificates ?? []) add('--certificate', file);
  for (const serial of options.serials ?? []) add('--serial', serial);
  if (options.timeoutMs !== 10_000) add('--timeout', String(options.timeoutMs));
  return words.join(' ');
}

/** `rewrite --certificate FILE` / `--serial HEX` with no registry: see rewriteSupplied in run(). */

/** A or C: nothing is written. A exits 0 (nothing to do), C exits 20 with the reason. */
function notRewritten(io: Io, options: Options, doc: Record<string, unknown>, outcome: CheckOutcome): number {
  const { verdict } = outcome.verdict;
  if (verdict === 'A') {
    doc.rewrite = { result: 'not-needed' };
    if (options.json) printJson(io, doc);
    else printText(io.stdout, `${text(options.lang, outcome.verdict.message.key, outcome.verdict.message.params)}\n`);
    return exitCodeOf('A');
  }
  const err = new MoicaError('rewrite-not-allowed', t(options.lang, 'rewrite.not-allowed', {}), { verdict, status: outcome.verdict.status });
  if (options.json) printJson(io, { ...doc, error: err.toJSON() });
  else printText(io.stderr, `moica-check: ${err.message}\n${text(options.lang, outcome.verdict.message.key, outcome.verdict.message.params)}\n`);
  return exitCodeOf(verdict);
}
