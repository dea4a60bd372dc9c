/**
 * `moica-check rewrite --pin-stdin [--yes] [--json]`: only from verdict B-1, or to finish a rewrite that
 * was interrupted (the card reads inconsistent, or its directory does not parse: the backup is its
 * journal). The PIN comes from standard input only, never argv. Without --yes the rewrite is confirmed
 * at the terminal; with the PIN piped in, --yes is required.
 */
import { MoicaError, isMoicaError } from '../errors.js';
import type { Options } from '../options.js';
import type { Learned } from '../card/open.js';
import { cardJson } from '../card/report.js';
import { t } from '../check/messages.js';
import type { RewriteResult } from '../check/rewrite.js';
import { openNetwork, openSession, type OpenNetwork, type Session } from '../engine/session.js';
import { runCheck, type CheckOutcome } from '../engine/check.js';
import { isTornDirectory, needsCertificates, rewriteCard, rewriteTornCard, type RewriteRequest } from '../engine/rewrite.js';
import { checkJson, checkText } from '../engine/report.js';
import { VERDICT_EXIT } from '../engine/exit.js';
import { confirm, readPin } from './pin-input.js';
import { fail, printJson, type Io } from './io.js';

export async function run(options: Options, io: Io): Promise<number> {
  if (!options.pinStdin) {
    return fail(io, options.json, {}, new MoicaError('usage', 'rewrite reads the PIN from standard input: pass --pin-stdin (a PIN is never taken from the command line).'));
  }
  const stdin = io.stdin as NodeJS.ReadStream;
  if (!options.yes && !stdin.isTTY) {
    return fail(io, options.json, {}, new MoicaError('usage', 'Without a terminal to confirm at, rewrite needs --yes.'));
  }
  const learned: Learned = {};
  const doc: Record<string, unknown> = {};
  const say = (line: string) => { if (!options.json) io.stderr.write(`${line}\n`); };

  /** The warning, the confirmation, then the step machine (`go`) with the PIN from stdin; prints B-2. */
  const rewrite = async (cardNumber: string, pathDetail: string, go: (request: RewriteRequest) => Promise<RewriteResult>, previous?: CheckOutcome) => {
    say(t(options.lang, 'rewrite.path', { path: pathDetail }));
    say(t(options.lang, 'rewrite.warning', {}));
    if (!options.yes && !(await confirm(stdin, io.stderr, t(options.lang, 'rewrite.confirm', { cardNumber })))) {
      throw new MoicaError('cancelled', 'Cancelled: nothing was written.');
    }
    const result = await go({
      askPin: async () => {
        if (stdin.isTTY) io.stderr.write(`${t(options.lang, 'rewrite.pin-prompt', {})}: `);
        const pin = await readPin(stdin);
        if (stdin.isTTY) io.stderr.write('\n');
        return pin;
      },
      onProgress: (p) => say(`… ${t(options.lang, `rewrite.step.${p.step}`)}${p.slot === undefined ? '' : ` ${p.slot}`}`),
      backupDir: options.backupDir,
      previousVerdict: previous?.verdict,
    });
    doc.rewrite = { result: result.result, backup: result.backup, serialNumbers: result.serialNumbers, recorded: result.recorded };
    doc.verdict = 'B-2';
    doc.message = t(options.lang, 'rewrite.done', {});
    if (options.json) printJson(io, doc);
    else {
      io.stdout.write(`${t(options.lang, 'rewrite.done', {})}\n${t(options.lang, 'rewrite.backup-saved', { file: result.backup })}\n`);
      if (!result.recorded) io.stdout.write(`${t(options.lang, 'rewrite.record-failed', {})}\n`);
    }
    return 0;
  };

  let session: Session | undefined;
  let tornNet: OpenNetwork | undefined;
  try {
    try {
      session = await openSession(options, learned);
    } catch (e) {
      if (!isTornDirectory(e)) throw e;
      // The directory does not parse: an interrupted rewrite; the newest backup of this card puts it back.
      say(t(options.lang, 'error.card-inconsistent', {}));
      const torn = e;
      Object.assign(doc, { reader: learned.reader, card: { number: torn.detail.cardNumber, consistent: false } });
      tornNet = await openNetwork(options);
      const net = tornNet;
      return await rewrite(String(torn.detail.cardNumber), 'virtual card: plaintext VERIFY / UPDATE BINARY',
        (request) => rewriteTornCard(options, undefined, net, request, torn));
    }
    const { access, net } = session;
    Object.assign(doc, { reader: access.reader, card: cardJson(access.info) });

    let outcome: CheckOutcome | undefined;
    try {
      outcome = await runCheck(access, net);
    } catch (e) {
      // An interrupted rewrite left the card inconsistent: the rewrite itself is how it is finished.
      if (!isMoicaError(e, 'card-inconsistent')) throw e;
      say(t(options.lang, 'error.card-inconsistent', {}));
    }
    if (outcome !== undefined) {
      Object.assign(doc, checkJson(access.reader, access.info, outcome, options.lang));
      if (outcome.verdict.verdict !== 'B-1') return notRewritten(io, options, doc, outcome);
      if (!options.json) io.stdout.write(checkText(access.reader, access.info, outcome, options.lang));
    }
    // No registry and no certificates given: nothing to write (before the warning and the PIN).
    if (net.registry === null) throw needsCertificates();
    const path = access.writePath();
    if (path.path === 'unavailable') throw new MoicaError(path.code, path.detail);
    return await rewrite(access.info.number, path.detail, (request) => rewriteCard(access, net, request), outcome);
  } catch (e) {
    if (doc.reader === undefined && learned.reader !== undefined) doc.reader = learned.reader;
    return fail(io, options.json, doc, e);
  } finally {
    await session?.close();
    await tornNet?.close();
  }
}

/** A or C: nothing is written. A exits 0 (nothing to do), C exits 20 with the reason. */
function notRewritten(io: Io, options: Options, doc: Record<string, unknown>, outcome: CheckOutcome): number {
  const { verdict } = outcome.verdict;
  if (verdict === 'A') {
    doc.rewrite = { result: 'not-needed' };
    if (options.json) printJson(io, doc);
    else io.stdout.write(`${t(options.lang, outcome.verdict.message.key, outcome.verdict.message.params)}\n`);
    return VERDICT_EXIT.A;
  }
  const err = new MoicaError('rewrite-not-allowed', t(options.lang, 'rewrite.not-allowed', {}), { verdict, status: outcome.verdict.status });
  if (options.json) printJson(io, { ...doc, error: err.toJSON() });
  else io.stderr.write(`moica-check: ${err.message}\n${t(options.lang, outcome.verdict.message.key, outcome.verdict.message.params)}\n`);
  return VERDICT_EXIT[verdict];
}
