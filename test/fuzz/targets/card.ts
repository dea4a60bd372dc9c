/**
 * Card answers, mutated, into MoicaCard.open + read + publicKey + caCertificates. Two ways in: on the wire
 * (one or two responses of the virtual card changed in flight: status words, lengths, data cut short or
 * grown) and in the card's files (card number, CDF, PuKDF, certificate DER, key records changed, so every
 * read of them sees the same broken bytes).
 */
import { MoicaError } from '../../../source/errors.js';
import { MoicaCard } from '../../../source/card/moica.js';
import { isCardNumber } from '../../../source/domain/card-number.js';
import type { CardChannel } from '../../../source/card/types.js';
import { VirtualCard } from '../../../source/virtual/card.js';
import { buildNamedScenario } from '../../../source/virtual/demos.js';
import { mutateBytes, mutateResponse, Prng } from '../prng.js';
import { RunawayCase, type Target } from '../harness.js';

/** A full read with public keys and CA certificates is ~40 APDUs; thousands means a loop. */
const APDU_BUDGET = 2000;
const SERIAL = /^(?:0|[1-9A-F][0-9A-F]*)$/;

/** A channel straight onto a VirtualCard that mutates the answers to chosen APDUs. */
export function mutatingChannel(card: VirtualCard, mutate: (index: number, response: Uint8Array) => Uint8Array): CardChannel {
  let count = 0;
  return {
    reader: 'Fuzz PCD 00 00',
    atr: Buffer.from(card.atr).toString('hex').toUpperCase(),
    async transmit(apdu) {
      if (++count > APDU_BUDGET) throw new RunawayCase(`more than ${APDU_BUDGET} APDUs`);
      const reply = card.exchange(apdu);
      if (reply.kind !== 'answer') throw new MoicaError('card-removed', 'the card was removed');
      const out = mutate(count - 1, reply.bytes);
      if (out.length < 2) throw new MoicaError('card-removed', 'The card stopped answering (it was removed?).');
      return out;
    },
    async close() {},
  };
}

/**
 * What callers do with a card: open and read it always; the public keys and CA certificates (the costly
 * part) in some cases only, so that more cases fit in the time. Results are checked for shape; throws
 * what the module threw.
 */
export async function exercise(channel: CardChannel, rng: Prng, keys = rng.chance(0.4)): Promise<void> {
  const card = await MoicaCard.open(channel);
  const info = await card.read();
  if (!isCardNumber(info.number)) throw new Error(`read() returned card number ${JSON.stringify(info.number)}`);
  for (const c of info.certificates) {
    if (!SERIAL.test(c.serialNumber)) throw new Error(`read() returned serial ${JSON.stringify(c.serialNumber)}`);
    // Unknown dates (null) only for a body that does not parse (a torn write), and the slot then says so.
    if (c.notBefore === null || c.notAfter === null) {
      if (c.consistent) throw new Error('read() returned unknown dates for a consistent certificate');
      continue;
    }
    if (Number.isNaN(c.notBefore.getTime()) || Number.isNaN(c.notAfter.getTime())) throw new Error('read() returned an invalid date');
  }
  const steps: Array<() => Promise<unknown>> = [];
  if (keys) steps.push(() => card.publicKey(0), () => card.publicKey(1));
  if (rng.chance(0.25)) steps.push(() => card.caCertificates());
  let failure: unknown;
  for (const step of steps) {
    try {
      const out = await step();
      if (out instanceof Uint8Array && out[0] !== 0x30) throw new Error('publicKey() returned something that is not a SEQUENCE');
    } catch (e) {
      if (!(e instanceof MoicaError) || e.code === 'internal') throw e;
      failure ??= e;
    }
  }
  if (failure !== undefined) throw failure;
}

const FILES = ['0900/0903', '5030/4104', '5030/4101', '5030/08F2', '5030/08F2'] as const;
/** Where the interesting bytes of each file are (the rest is padding or bodies nobody parses). */
const WINDOWS: Record<string, [number, number]> = { '0900/0903': [0, 16], '5030/4104': [0, 0x400], '5030/4101': [0, 0x200] };

/**
 * Changes a window of one file in place (same length: what a shorter mutation leaves is padding) and
 * returns how to put it back; the card object is shared between cases, building one costs too much.
 */
function mutateFile(card: VirtualCard, rng: Prng, applied: string[]): () => void {
  const file = rng.pick(FILES);
  const whole = card.readFile(file);
  // 08F2: one of the four certificate areas, its first 400 bytes (headers, names, validity).
  const [start, end] = WINDOWS[file] ?? ((a) => [a * 0x700, a * 0x700 + 400] as [number, number])(rng.int(4));
  const original = whole.slice(start, end);
  const { bytes, applied: how } = mutateBytes(original, rng, ['bitFlip', 'byteSet', 'truncate', 'extend', 'lengthEdit', 'splice']);
  const window = new Uint8Array(original.length).fill(rng.pick([0x00, 0xff]));
  window.set(bytes.subarray(0, window.length));
  card.patchFile(file, start, window);
  applied.push(`file ${file} [${start}..${end}): ${how.join(',')}`);
  return () => card.patchFile(file, start, original);
}

export async function cardTarget(): Promise<Target> {
  const cards = await Promise.all([1, 2].map(async (generation) => {
    const scenario = await buildNamedScenario('valid', { generation: generation as 1 | 2 });
    return new VirtualCard({ ...scenario.card.toState(), keys: [] });
  }));
  return {
    name: 'card',
    async run(rng, _index, applied) {
      const card = rng.pick(cards);
      card.powerOn();
      applied.push(`gen${card.generation}`);
      if (rng.chance(0.6)) {
        const targets = new Set([rng.int(45), ...(rng.chance(0.3) ? [rng.int(45)] : [])]);
        applied.push(`wire apdu ${[...targets].join('+')}`);
        await exercise(mutatingChannel(card, (i, response) => {
          if (!targets.has(i)) return response;
          const { bytes, applied: how } = mutateResponse(response, rng);
          applied.push(`#${i}:${how.join(',')}`);
          return bytes;
        }), rng);
        return;
      }
      if (rng.chance(0.2)) {
        // Key records: every READ RECORD answer of one record number, changed the same way.
        const record = rng.pick([1, 3, 4, 5, 7, 8]);
        const mutation = rng.next();
        applied.push(`key record ${record}`);
        await exercise(mutatingChannel(card, (_i, response) => {
          if (response.length !== 0x83 || response[0] !== record) return response;
          const { bytes, applied: how } = mutateResponse(response, new Prng(mutation));
          applied.push(how.join(','));
          return bytes;
        }), rng, true);
        return;
      }
      const restore = mutateFile(card, rng, applied);
      try {
        await exercise(mutatingChannel(card, (_i, response) => response), rng);
      } finally {
        restore();
      }
    },
    typedCode: (e) => (e instanceof MoicaError && e.code !== 'internal' ? e.code : undefined),
  };
}
