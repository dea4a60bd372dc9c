/**
 * The fuzzers, inside `npm test`: a fixed seed (printed; FUZZ_SEED overrides it to explore), 10,000 cases
 * in all over three targets, each target in a child process of its own. A child prints every case index
 * before running it, so when one stalls — even in a loop no timer can interrupt — the watchdog here kills
 * it and names the case. Zero crashes (everything thrown is a typed error) and zero hangs.
 */
import { test } from 'node:test';
import assert from 'node:assert/strict';
import { spawn } from 'node:child_process';
import type { Summary } from './harness.js';

const SEED = Number(process.env.FUZZ_SEED ?? 20_241_127);
/** card reads are the costly cases (~6 ms each here), OCSP verifications the cheap ones. */
const PLAN = [
  { target: 'card', count: 2000 },
  { target: 'registry', count: 2500 },
  { target: 'ocsp', count: 5500 },
] as const;
/** No case index printed for this long means the child is stuck in a case. */
const STALL_MS = 20_000;

function runChild(target: string, count: number): Promise<Summary> {
  return new Promise((resolve, reject) => {
    const child = spawn(process.execPath, ['--import', 'tsx', 'test/fuzz/run.ts', target, String(SEED), String(count)], {
      stdio: ['ignore', 'pipe', 'pipe'],
    });
    let lastCase = -1;
    let summary: Summary | undefined;
    let stderr = '';
    let pending = '';
    let watchdog = setTimeout(stalled, STALL_MS);
    function stalled(): void {
      child.kill('SIGKILL');
      reject(new Error(`fuzz ${target} (seed ${SEED}) stalled in case ${lastCase}: replay with test/fuzz/run.ts ${target} ${SEED} 1 ${lastCase}`));
    }
    child.stdout.setEncoding('utf8');
    child.stdout.on('data', (chunk: string) => {
      pending += chunk;
      const lines = pending.split('\n');
      pending = lines.pop() ?? '';
      for (const line of lines) {
        if (line.startsWith('case ')) {
          lastCase = Number(line.slice(5));
          clearTimeout(watchdog);
          watchdog = setTimeout(stalled, STALL_MS);
        } else if (line.startsWith('summary ')) summary = JSON.parse(line.slice(8)) as Summary;
      }
    });
    child.stderr.on('data', (c) => (stderr += c));
    child.once('close', (code) => {
      clearTimeout(watchdog);
      if (summary !== undefined) resolve(summary);
      else reject(new Error(`fuzz ${target} exited ${code} without a summary (last case ${lastCase}):\n${stderr.slice(-2000)}`));
    });
  });
}

test(`fuzz: ${PLAN.reduce((n, p) => n + p.count, 0)} cases, seed ${SEED}: no crash, no hang`, async () => {
  console.log(`fuzz seed ${SEED}`);
  // Two children at a time: the card target alone, the two others one after the other beside it.
  const [card, rest] = await Promise.all([
    runChild(PLAN[0].target, PLAN[0].count),
    (async () => [await runChild(PLAN[1].target, PLAN[1].count), await runChild(PLAN[2].target, PLAN[2].count)])(),
  ]);
  const summaries = [card, ...rest];
  for (const s of summaries) {
    console.log(`fuzz ${s.target}: ${s.cases} cases in ${s.ms} ms — ${s.ok} valid results, ${s.typed} typed errors ${JSON.stringify(s.byCode)}, ${s.crashes.length} crashes, ${s.hangs.length} hangs`);
  }
  const total = summaries.reduce((n, s) => n + s.cases, 0);
  assert.ok(total >= 10_000, `only ${total} cases ran`);
  for (const s of summaries) {
    assert.equal(s.cases, PLAN.find((p) => p.target === s.target)!.count, `${s.target}: not every case ran`);
    // The mutations must reach past the first check: some cases parse, many fail typed.
    assert.ok(s.typed > 0 && s.ok > 0, `${s.target}: ${s.ok} valid, ${s.typed} typed — the mutations are not exercising both paths`);
    assert.deepEqual(s.crashes, [], `${s.target} crashed (seed ${SEED}); replay with test/fuzz/run.ts ${s.target} ${SEED} 1 <index>`);
    assert.deepEqual(s.hangs, [], `${s.target} hung (seed ${SEED})`);
  }
});
