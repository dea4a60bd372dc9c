/**
 * One fuzz target in this process: `tsx test/fuzz/run.ts <card|registry|ocsp> <seed> <count> [from]`.
 * Prints `case N` before each case (the parent's watchdog names a stalled case from it), then one line
 * `summary {json}`.
 */
import { runTarget, type Target } from './harness.js';

const [name, seedText, countText, fromText] = process.argv.slice(2);
const seed = Number(seedText);
const count = Number(countText);
const from = Number(fromText ?? 0);

async function load(which: string | undefined): Promise<Target> {
  switch (which) {
    case 'card': return (await import('./targets/card.js')).cardTarget();
    case 'registry': return (await import('./targets/registry.js')).registryTarget();
    case 'ocsp': return (await import('./targets/ocsp.js')).ocspTarget();
    default: throw new Error(`unknown fuzz target ${which}`);
  }
}

const target = await load(name);
const summary = await runTarget(target, seed, count, {
  deadlineMs: 5_000,
  from,
  // Network targets wait on loopback round trips: several cases in flight keep the CPU busy.
  concurrency: name === 'registry' ? 8 : 1,
  onCase: (index) => process.stdout.write(`case ${index}\n`),
});
process.stdout.write(`summary ${JSON.stringify(summary)}\n`);
