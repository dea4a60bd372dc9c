/**
 * `moica-check readers [--json]`: every reader, and the card in each (ATR, MOICA or not).
 * `readers --watch [--json]`: the readers as they are, then one line per reader or card event (JSON Lines
 * with --json, for kiosks and scripts) until SIGINT or SIGTERM, which end it with exit 0.
 */
import { MoicaError } from '../errors.js';
import type { Options } from '../options.js';
import { requireService, type CardSource } from '../card/open.js';
import { openSource } from '../engine/card-source.js';
import { readerJson, readersText } from './card-report.js';
import type { ReaderState, TransportEvent } from '../card/types.js';
import { looksLikeMoica } from '../card/moica.js';
import { sanitize } from '../text/sanitize.js';
import { taipeiDateTime } from '../text/dates.js';
import { fail, printJson, type Io, printText, untilSignal } from './io.js';

export async function run(options: Options, io: Io): Promise<number> {
  if (options.watch) return watch(options, io, untilSignal);
  let source: CardSource | undefined;
  try {
    source = await openSource(options);
    requireService(source.transport);
    const readers = source.transport.readers();
    if (readers.length === 0) {
      return fail(io, options.json, { readers: [] }, new MoicaError('no-reader', 'No smart-card reader found. Plug one in (or check that pcscd sees it).'));
    }
    if (options.json) printJson(io, { readers: readers.map(readerJson) });
    else printText(io.stdout, readersText(readers, options.lang));
    return 0;
  } catch (e) {
    return fail(io, options.json, {}, e);
  } finally {
    await source?.close();
  }
}

/** One event as a JSON line's object: the event, its time, and for a card its ATR and what it looks like. */
export function eventJson(event: TransportEvent | { type: 'reader'; reader: ReaderState }, at: Date): Record<string, unknown> {
  if (event.type === 'reader') return { event: 'reader', at: at.toISOString(), ...readerJson(event.reader) };
  if (event.type === 'card-inserted') {
    return { event: event.type, at: at.toISOString(), reader: event.reader, atr: event.atr, moica: looksLikeMoica(event.atr) ? true : null };
  }
  if (event.type === 'service') return { event: 'service', at: at.toISOString(), up: event.up, ...(event.detail ? { detail: event.detail } : {}) };
  return { event: event.type, at: at.toISOString(), reader: event.reader };
}

function eventText(e: Record<string, unknown>, lang: Options['lang']): string {
  const zh = lang === 'zh-TW';
  const when = taipeiDateTime(new Date(String(e.at)));
  const reader = sanitize(String(e.reader ?? e.name ?? ''));
  switch (e.event) {
    case 'reader': return `${when} ${zh ? '讀卡機' : 'reader'} ${reader}: ${e.cardPresent ? (zh ? '有卡片' : 'card present') : (zh ? '無卡片' : 'no card')}`;
    case 'reader-added': return `${when} ${zh ? '讀卡機已接上' : 'reader added'}: ${reader}`;
    case 'reader-removed': return `${when} ${zh ? '讀卡機已移除' : 'reader removed'}: ${reader}`;
    case 'card-inserted': return `${when} ${zh ? '插入卡片' : 'card inserted'}: ${reader} (ATR ${sanitize(String(e.atr))}${e.moica ? ', MOICA' : ''})`;
    case 'card-removed': return `${when} ${zh ? '卡片已取出' : 'card removed'}: ${reader}`;
    default: return `${when} ${zh ? 'PC/SC 服務' : 'PC/SC service'}: ${e.up ? (zh ? '可用' : 'up') : (zh ? '停止' : 'down')}`;
  }
}

/** The watch: what is there now, then each event, until `stopped()` settles; 0 after a clean close. */
export async function watch(options: Options, io: Io, stopped: () => Promise<void>, now: () => Date = () => new Date()): Promise<number> {
  let source: CardSource | undefined;
  try {
    source = await openSource(options);
    requireService(source.transport);
  } catch (e) {
    await source?.close();
    return fail(io, options.json, {}, e);
  }
  const line = (doc: Record<string, unknown>) => {
    io.stdout.write(options.json ? `${JSON.stringify(doc)}\n` : `${eventText(doc, options.lang)}\n`);
  };
  const stop = stopped();
  const unsubscribe = source.transport.on((event) => line(eventJson(event, now())));
  for (const reader of source.transport.readers()) line(eventJson({ type: 'reader', reader }, now()));
  await stop;
  unsubscribe();
  await source.close();
  return 0;
}
