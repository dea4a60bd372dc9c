/**
 * Diagnostic, not part of `npm run bench`: the pcsclite binding's reader close could block the process for
 * good. CardReader::Close (node_modules/pcsclite/src/cardreader.cpp) called SCardCancel at most five times,
 * 10 ms apart, then joined the reader's status thread on the main thread. When that thread entered
 * SCardGetStatusChange(INFINITE) after the last cancel (it was between two waits, handling a status event,
 * and the machine was busy), nothing woke it and the join never returned: the JS thread was stuck, no timer
 * fired. Found as a rare hang of test/e2e/tabs-rig (README, Tests); reproduced here, confirmed with gdb
 * (main thread in uv_thread_join under CardReader::Close, a status thread in SCardGetStatusChange), and
 * mended at install by scripts/pcsclite-fix.mjs (test/card/pcsclite-close.test.ts makes the race happen
 * every time). Run it against a build to see whether that build stalls.
 *
 * Each round: a PcscTransport over the private pcscd rig, a command to the virtual card, a disconnect with
 * reset (a status event on the reader), then close(). It prints each round; a stall of the output is the
 * hang. Load the machine to see it sooner (measured on the unmended build: a stall in ~265 rounds with two
 * busy loops running; the mended build: none in 600).
 *
 * The binding releases a closed context only when its JS object is collected, and pcscd serves at most
 * 200 contexts: with `--expose-gc` each round collects, or a long run under load meets pcscd's limit
 * ("Too many context running: 200", then "Access denied") long before the race.
 *   node --expose-gc --import tsx bench/pcsc-close-race.ts [rounds]
 */
import { startPcscd, waitFor } from './rig/pcscd.js';
import { PcscTransport } from '../source/card/pcsc.js';
import { VpcdCardClient } from '../source/virtual/vpcd-client.js';
import { buildNamedScenario } from '../source/virtual/demos.js';

const rounds = Number(process.argv[2] ?? 500);
const rig = await startPcscd();
process.env.PCSCLITE_CSOCK_NAME = rig.socketPath;
const scenario = await buildNamedScenario('rewrite');
const client = new VpcdCardClient(scenario.card, { port: rig.port });
await client.insert();
try {
  for (let i = 0; i < rounds; i++) {
    const transport = await PcscTransport.create({ timeoutMs: 5000 });
    await transport.ready();
    await waitFor('the card in the reader', () => transport.readers()[0]?.cardPresent === true, 10_000);
    const connection = await transport.connect(transport.readers()[0]!.name);
    await connection.transmit(new Uint8Array([0x00, 0xa4, 0x00, 0x00, 0x02, 0x3f, 0x00]));
    await connection.acquire?.();
    await connection.release?.({ reset: true });
    process.stdout.write(`round ${i}: closing\n`);
    await transport.close();
    process.stdout.write(`round ${i}: closed\n`);
    (globalThis as { gc?: () => void }).gc?.();
  }
  process.stdout.write(`${rounds} rounds, no stall\n`);
} finally {
  await client.remove();
  await rig.stop();
}
