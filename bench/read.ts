/**
 * Read bench: APDUs and wall time from card-in to a full read (card number, both serials and validity)
 * over the private pcscd rig and the vpcd driver. Prints figures; asserts nothing.
 *   npx tsx bench/read.ts [rounds]
 */
import { MoicaCard } from '../source/card/moica.js';
import { PcscTransport } from '../source/card/pcsc.js';
import { Trace } from '../source/card/trace.js';
import { buildNamedScenario } from '../source/virtual/demos.js';
import { VpcdCardClient } from '../source/virtual/vpcd-client.js';
import { RIG_READER, startPcscd, waitFor } from './rig/pcscd.js';

export interface ReadFigures {
  /** APDUs of one full read (median round). */
  readApdus: number;
  /** Milliseconds from the card going in to the read done (median round): pcscd's detection + the APDUs. */
  readMs: number;
  /** Milliseconds of the APDUs alone (median round). */
  apduMs: number;
  generation: 1 | 2;
  rounds: number;
}

const median = (xs: number[]): number => [...xs].sort((a, b) => a - b)[Math.floor(xs.length / 2)]!;

export async function benchRead(options: { rounds?: number; generation?: 1 | 2 } = {}): Promise<ReadFigures> {
  const rounds = options.rounds ?? 3;
  const generation = options.generation ?? 1;
  const rig = await startPcscd();
  process.env.PCSCLITE_CSOCK_NAME = rig.socketPath;
  const transport = await PcscTransport.create({ timeoutMs: 10_000 });
  try {
    await transport.ready();
    const scenario = await buildNamedScenario('valid', { generation });
    const apdus: number[] = [];
    const totals: number[] = [];
    const apduTimes: number[] = [];
    for (let i = 0; i < rounds; i++) {
      const client = new VpcdCardClient(scenario.card, { port: rig.port });
      const inserted = new Promise<number>((resolve) => {
        const off = transport.on((e) => {
          if (e.type === 'card-inserted' && e.reader === RIG_READER) {
            off();
            resolve(performance.now());
          }
        });
      });
      const t0 = performance.now();
      await client.insert();
      await inserted;
      const trace = new Trace();
      let count = 0;
      trace.onEntry(() => count++);
      const channel = trace.wrap(await transport.connect(RIG_READER));
      const t1 = performance.now();
      await (await MoicaCard.open(channel)).read();
      const t2 = performance.now();
      apdus.push(count);
      totals.push(t2 - t0);
      apduTimes.push(t2 - t1);
      await channel.close();
      await client.remove();
      await waitFor('card out', () => transport.readers().find((r) => r.name === RIG_READER)?.cardPresent === false, 15_000);
    }
    return { readApdus: median(apdus), readMs: Math.round(median(totals)), apduMs: Math.round(median(apduTimes)), generation, rounds };
  } finally {
    await transport.close();
    await rig.stop();
  }
}

const isMain = process.argv[1] !== undefined && /bench[/\\]read\.ts$/.test(process.argv[1]);
if (isMain) {
  const rounds = Number(process.argv[2] ?? 3);
  const f = await benchRead({ rounds });
  console.log(`read over pcscd+vpcd, gen${f.generation}, median of ${f.rounds}: ${f.readApdus} APDUs, ${f.readMs} ms card-in → read done (${f.apduMs} ms of APDUs, ${(f.apduMs / f.readApdus).toFixed(1)} ms/APDU)`);
}
