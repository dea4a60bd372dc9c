/** `moica-check check [--json]`: read + registry + OCSP → verdict (exit 0 A, 10 B-1, 20 C). */
import type { Options } from '../options.js';
import type { Learned } from '../card/open.js';
import { cardJson } from './card-report.js';
import { openSession, type Session } from '../engine/session.js';
import { runCheck } from '../engine/check.js';
import { checkJson, checkText } from './check-output.js';
import { exitCodeOf } from '../exit.js';
import { fail, printJson, type Io, printText } from './io.js';
import { crlProgressOnStderr } from './progress.js';

export async function run(options: Options, io: Io): Promise<number> {
  const learned: Learned = {};
  let session: Session | undefined;
  const partial: Record<string, unknown> = {};
  const progress = options.json ? undefined : crlProgressOnStderr(io.stderr, options.lang);
  try {
    session = await openSession(options, learned, progress ? { onCrlProgress: (p) => progress.onProgress(p) } : {});
    const { access, net } = session;
    Object.assign(partial, { reader: access.reader, card: cardJson(access.info) });
    const outcome = await runCheck(access, net);
    if (options.json) printJson(io, checkJson(access.reader, access.info, outcome, options.lang));
    else printText(io.stdout, checkText(access.reader, access.info, outcome, options.lang));
    return exitCodeOf(outcome.verdict.verdict);
  } catch (e) {
    if (partial.reader === undefined && learned.reader !== undefined) partial.reader = learned.reader;
    return fail(io, options.json, partial, e);
  } finally {
    progress?.end();
    await session?.close();
  }
}
