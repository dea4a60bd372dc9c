/**
 * Which reader, in one place: `read`, `check`, `rewrite`, `doctor` and the TUI all open a card through
 * here, over the source they are given: PC/SC (openPcscSource), or the demo's in-process reader, which
 * engine/demo.ts builds (the driver knows nothing of the emulator). `--reader` takes an exact name or a
 * unique substring; without it, the first reader with a card.
 */
import { MoicaError } from '../errors.js';
import { ChannelGate } from './gate.js';
import { withReadHold } from './hold.js';
import { MoicaCard } from './moica.js';
import { PcscTransport } from './pcsc.js';
import { Trace } from './trace.js';
import type { CardChannel, CardInfo, ReaderState, Transport } from './types.js';

/**
 * What the driver needs to open a card: a narrow config built from the command line's Options in
 * engine/ (engine/card-config.ts), so card/ never imports options.ts.
 */
export interface CardConfig {
  /** `--reader`: an exact name or a unique substring; none: the first reader with a card. */
  reader?: string;
  /** `--trace FILE`: the APDU trace (PIN bytes redacted). */
  trace?: string;
  timeoutMs: number;
}

/** Kept for the callers that name it: the same narrow config. */
export type OpenOptions = CardConfig;

export interface CardSource {
  transport: Transport;
  close(): Promise<void>;
}

/** Opens a source for a card that owns it: openCard closes it with the card. */
export type SourceOpener<S extends CardSource = CardSource> = () => Promise<S>;

export interface OpenedCard<S extends CardSource = CardSource> {
  source: S;
  reader: string;
  channel: CardChannel;
  card: MoicaCard;
  info: CardInfo;
  /** Held while a PKCS#11 session on this card is open: no raw APDU then (card/gate.ts). */
  gate: ChannelGate;
  close(): Promise<void>;
}

/** PC/SC as the card source (waited on until enumerated). */
export async function openPcscSource(options: Pick<OpenOptions, 'timeoutMs'>): Promise<CardSource> {
  const transport = await PcscTransport.create({ timeoutMs: options.timeoutMs });
  await transport.ready();
  return { transport, close: () => transport.close() };
}

/** The reader to use: `wanted` exactly or as a unique substring (case-insensitive); else the first with a card. */
export function pickReader(readers: readonly ReaderState[], wanted?: string): ReaderState {
  if (readers.length === 0) throw new MoicaError('no-reader', 'No smart-card reader found. Plug one in (or check that pcscd sees it).');
  if (wanted !== undefined) {
    const exact = readers.find((r) => r.name === wanted);
    if (exact) return exact;
    const needle = wanted.toLowerCase();
    const matches = readers.filter((r) => r.name.toLowerCase().includes(needle));
    if (matches.length === 1) return matches[0]!;
    if (matches.length === 0) {
      throw new MoicaError('no-reader', `No reader matches "${wanted}". Readers: ${readers.map((r) => r.name).join(', ')}.`, { readers: readers.map((r) => r.name) });
    }
    throw new MoicaError('reader-ambiguous', `"${wanted}" matches several readers: ${matches.map((r) => r.name).join(', ')}. Give more of the name.`, { readers: matches.map((r) => r.name) });
  }
  return readers.find((r) => r.cardPresent) ?? readers[0]!;
}

export function requireService(transport: Transport): void {
  if (!transport.serviceUp()) {
    throw new MoicaError('pcsc-unavailable', 'The PC/SC service (pcscd) is not running. Start it: systemctl start pcscd (or apt-get install pcscd).');
  }
}

/** What was learned before a failure, for the error document of cli.md. */
export interface Learned {
  reader?: string;
  atr?: string;
}

/**
 * Connects to the chosen reader's card and reads it (card number, serials, validity). `given` is a source
 * shared with the caller (left open), or an opener of one this card owns (closed with it).
 */
export async function openCard<S extends CardSource>(options: OpenOptions, given: S | SourceOpener<S>, learned: Learned = {}): Promise<OpenedCard<S>> {
  const owned = typeof given === 'function';
  const source = owned ? await given() : given;
  let trace: Trace | undefined;
  let channel: CardChannel | undefined;
  const close = async () => {
    await channel?.close().catch(() => undefined);
    await trace?.close();
    if (owned) await source.close();
  };
  try {
    // A trace file that cannot be one (FIFO, directory, unwritable) is refused before any card work (exit 2).
    if (options.trace !== undefined) trace = new Trace(options.trace);
    requireService(source.transport);
    const reader = pickReader(source.transport.readers(), options.reader);
    learned.reader = reader.name;
    learned.atr = reader.atr;
    if (!reader.cardPresent) throw new MoicaError('no-card', `No card in "${reader.name}". Insert the citizen certificate card.`, { reader: reader.name });
    const raw = await source.transport.connect(reader.name);
    channel = raw;
    if (trace !== undefined) {
      trace.note(`reader "${reader.name}", ATR ${raw.atr}`);
      channel = trace.wrap(raw);
    }
    const gate = new ChannelGate(channel);
    channel = gate.channel;
    const opened = channel;
    const { card, info } = await withReadHold(opened, () => undefined, async () => {
      const card = await MoicaCard.open(opened);
      return { card, info: await card.read() };
    });
    return { source, reader: reader.name, channel, card, info, gate, close };
  } catch (e) {
    await close();
    throw e;
  }
}
