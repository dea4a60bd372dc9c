/**
 * Issue 14 item 12: the rewrite's byte counter moves. The demo engine's rewrite (the virtual APDU writer:
 * one progress report per UPDATE BINARY chunk's 9000) reports rising `done` values ending at the total, per
 * slot; the TUI's rewrite panel shows a counter strictly between 0 and the total mid-write (the real
 * engine's own reports, handed to the real App one at a time: the frame is waited on, no sleeps).
 */
import { test } from 'node:test';
import assert from 'node:assert/strict';
import { rmSync } from 'node:fs';
import { createEngine } from '../../source/engine/index.js';
import type { RewriteProgress } from '../../source/check/types.js';
import type { Engine } from '../../source/ui/engine.js';
import { parseOptions } from '../../source/options.js';
import { tempDir } from '../e2e/harness.js';
import { KEYS, renderApp } from '../ui/render.js';

async function demo(): Promise<{ engine: Engine; dir: string }> {
  const dir = tempDir('moica-rewrite-progress-');
  return { engine: await createEngine(parseOptions(['--demo', 'rewrite', '--backup-dir', dir, '--lang', 'en'], {})), dir };
}

function writesOf(progress: RewriteProgress[], slot: 0 | 1): Array<{ done: number; total: number }> {
  return progress.filter((p) => p.step === 'write' && p.slot === slot).map((p) => ({ done: p.done!, total: p.total! }));
}

test('the demo engine rewrite: per slot, done rises from 0 to the total, with values between', { timeout: 60_000 }, async () => {
  const { engine, dir } = await demo();
  try {
    await engine.ready();
    const card = await engine.readCard(engine.readers()[0]!.name);
    await engine.check(card);
    const progress: RewriteProgress[] = [];
    await engine.rewrite(card, new TextEncoder().encode(engine.info().demoPin!), (p) => progress.push({ ...p }));
    for (const slot of [0, 1] as const) {
      const writes = writesOf(progress, slot);
      assert.ok(writes.length >= 3, `slot ${slot}: a report per chunk (${writes.length})`);
      const total = writes[0]!.total;
      assert.ok(writes.every((w) => w.total === total), 'one total');
      assert.equal(writes[0]!.done, 0);
      for (let i = 1; i < writes.length; i++) assert.ok(writes[i]!.done > writes[i - 1]!.done, `slot ${slot}: rising at ${i}: ${writes.map((w) => w.done).join(',')}`);
      assert.equal(writes.at(-1)!.done, total, 'ends at the total');
      assert.ok(writes.some((w) => w.done > 0 && w.done < total), 'values between');
      // Then the commit, after the last chunk.
      const lastWrite = progress.findLastIndex((p) => p.step === 'write' && p.slot === slot);
      const commit = progress.findIndex((p) => p.step === 'commit' && p.slot === slot);
      assert.ok(commit > lastWrite, 'commit after the body');
    }
  } finally {
    await engine.close();
    rmSync(dir, { recursive: true, force: true });
  }
});

test('the TUI shows the counter mid-write, strictly between 0 and the total, then B-2', { timeout: 60_000 }, async () => {
  const { engine: real, dir } = await demo();
  let release!: () => void;
  const gate = new Promise<void>((resolve) => (release = resolve));
  let shown: { done: number; total: number } | undefined;
  // The real engine's reports, handed on one at a time; at the first mid-write one the hand-over waits
  // until the test has seen it on screen.
  const engine: Engine = {
    ...real,
    async rewrite(card, pin, onProgress, options) {
      const reports: RewriteProgress[] = [];
      const result = await real.rewrite(card, pin, (p) => reports.push({ ...p }), options);
      for (const p of reports) {
        onProgress(p);
        if (shown === undefined && p.step === 'write' && p.done! > 0 && p.done! < p.total!) {
          shown = { done: p.done!, total: p.total! };
          await gate;
        }
      }
      return result;
    },
  };
  const app = await renderApp({ engine }, { columns: 100, rows: 40 });
  try {
    await app.waitFor((f) => f.includes('B-1'), 'verdict B-1', 20_000);
    await app.press('r');
    await app.waitFor((f) => /PIN/.test(f) && f.includes('_'), 'the PIN prompt', 10_000);
    await app.press(real.info().demoPin!);
    await app.press(KEYS.enter);
    const mid = await app.waitFor((f) => shown !== undefined && f.includes(`${shown.done}/${shown.total} bytes`), 'a counter mid-write', 30_000);
    const m = /(\d+)\/(\d+) bytes/.exec(mid)!;
    assert.ok(Number(m[1]) > 0 && Number(m[1]) < Number(m[2]), `strictly between: ${m[0]}`);
    release();
    await app.waitFor((f) => f.includes('B-2'), 'B-2', 30_000);
  } finally {
    release();
    app.unmount();
    await real.close();
    rmSync(dir, { recursive: true, force: true });
  }
});
