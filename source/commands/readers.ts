/** `moica-check readers [--json]`: every reader, and the card in each (ATR, MOICA or not). */
import { MoicaError } from '../errors.js';
import type { Options } from '../options.js';
import { openSource, requireService, type CardSource } from '../card/open.js';
import { readerJson, readersText } from '../card/report.js';
import { fail, printJson, type Io } from './io.js';

export async function run(options: Options, io: Io): Promise<number> {
  let source: CardSource | undefined;
  try {
    source = await openSource(options);
    requireService(source.transport);
    const readers = source.transport.readers();
    if (readers.length === 0) {
      return fail(io, options.json, { readers: [] }, new MoicaError('no-reader', 'No smart-card reader found. Plug one in (or check that pcscd sees it).'));
    }
    if (options.json) printJson(io, { readers: readers.map(readerJson) });
    else io.stdout.write(readersText(readers, options.lang));
    return 0;
  } catch (e) {
    return fail(io, options.json, {}, e);
  } finally {
    await source?.close();
  }
}
