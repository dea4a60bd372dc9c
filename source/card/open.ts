/**
 * Which transport and which reader, in one place: `read`, `check`, `rewrite`, `doctor` and the TUI all
 * open a card through here. `--demo` puts the virtual card in an in-process reader (no pcscd); otherwise
 * PC/SC. `--reader` takes an exact name or a unique substring; without it, the first reader with a card.
 */
import { homedir } from 'node:os';
import { join } from 'node:path';
import { MoicaError } from '../errors.js';
import type { Options } from '../options.js';
import { ChannelGate } from './gate.js';
import { withReadHold } from './hold.js';
import { MoicaCard } from './moica.js';
import { PcscTransport } from './pcsc.js';
import { Trace } from './trace.js';
import type { CardChannel, CardInfo, ReaderState, Transport } from './types.js';
import type { BuiltScenario } from '../virtual/scenario.js';

export type OpenOptions = Pick<Options, 'reader' | 'demo' | 'trace' | 'timeoutMs'>;

export interface CardSource {
  transport: Transport;
  /** The demo scenario (its registry data and PKI) when `--demo`. */
  demo?: BuiltScenario;
  close(): Promise<void>;
}

export interface OpenedCard {
  source: CardSource;
  reader: string;
  channel: CardChannel;
  card: MoicaCard;
  info: CardInfo;
  /** Held while a PKCS#11 session on this card is open: no raw APDU then (card/gate.ts). */
  gate: ChannelGate;
  close(): Promise<void>;
}

/** Set by the build (scripts/build.mjs): a hash of the sources; undefined when run from source. */
declare const __MOICA_BUILD_ID__: string | undefined;
const BUILD_ID = typeof __MOICA_BUILD_ID__ === 'string' ? __MOICA_BUILD_ID__ : undefined;

function demoKeyCache(env: NodeJS.ProcessEnv): string {
  const cache = env.XDG_CACHE_HOME?.startsWith('/') ? env.XDG_CACHE_HOME : join(homedir(), '.cache');
  return join(cache, 'moica-check', 'demo-keys');
}

/** The transport for these options: the demo's in-process reader, or PC/SC (waited on until enumerated). */
export async function openSource(options: OpenOptions): Promise<CardSource> {
  if (options.demo !== undefined) {
    // The demo's throwaway test keys are made once per user and kept (0600) in the cache directory, so
    // only the first demo pays for RSA key generation.
    process.env.MOICA_VIRTUAL_KEY_CACHE ||= demoKeyCache(process.env);
    // Its certificates too, for the day (virtual/demo-cache.ts): a cached start builds none. Only a built
    // app has a build id to tell its own cache from another version's.
    const [{ buildNamedScenario }, { InProcessTransport }, { openDemoCertificateCache }] = await Promise.all([
      import('../virtual/demos.js'),
      import('../virtual/in-process.js'),
      import('../virtual/demo-cache.js'),
    ]);
    const cache = BUILD_ID === undefined ? undefined : openDemoCertificateCache(process.env.MOICA_VIRTUAL_KEY_CACHE, BUILD_ID);
    const demo = await buildNamedScenario(options.demo, cache ? { now: cache.now, cache } : {});
    cache?.save();
    const transport = new InProcessTransport();
    transport.insert(demo.card);
    return { transport, demo, close: () => transport.close() };
  }
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

/** Connects to the chosen reader's card and reads it (card number, serials, validity). */
export async function openCard(options: OpenOptions, given?: CardSource, learned: Learned = {}): Promise<OpenedCard> {
  const source = given ?? (await openSource(options));
  let trace: Trace | undefined;
  let channel: CardChannel | undefined;
  const close = async () => {
    await channel?.close().catch(() => undefined);
    await trace?.close();
    if (given === undefined) await source.close();
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
