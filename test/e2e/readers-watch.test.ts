/**
 * Issue 14 item 17: `readers --watch --json` prints one JSON line per reader or card event and ends with
 * exit 0 on SIGINT. The built CLI spawned over the pcscd rig; the virtual card plugged in and pulled while
 * it watches; every step waits on the output.
 */
import { test } from 'node:test';
import assert from 'node:assert/strict';
import { spawn } from 'node:child_process';
import { RIG_READER } from '../rig/pcscd.js';
import { staleScenario, useRig } from './harness.js';

const live = useRig({ build: true });

test('readers --watch --json: the reader, then card-inserted and card-removed as JSON lines; SIGINT → exit 0', { timeout: 90_000 }, async () => {
  const scenario = await staleScenario();
  const child = spawn(process.execPath, ['bin/moica-check.js', 'readers', '--watch', '--json'],
    { env: { ...process.env, LANG: 'C', PCSCLITE_CSOCK_NAME: live.rig.socketPath }, stdio: ['ignore', 'pipe', 'pipe'] });
  let out = '';
  let err = '';
  const listeners = new Set<() => void>();
  child.stdout.on('data', (c) => { out += c; for (const l of listeners) l(); });
  child.stderr.on('data', (c) => { err += c; });
  const exited = new Promise<number | null>((resolve) => child.once('close', resolve));
  const lines = () => out.split('\n').filter(Boolean).map((l) => JSON.parse(l) as Record<string, unknown>);
  const waitLine = (pred: (l: Record<string, unknown>) => boolean) => new Promise<Record<string, unknown>>((resolve, reject) => {
    const timer = setTimeout(() => reject(new Error(`never saw the line; output: ${out} ${err}`)), 30_000);
    const check = () => { const hit = lines().find(pred); if (hit) { clearTimeout(timer); listeners.delete(check); resolve(hit); } };
    listeners.add(check);
    check();
  });
  try {
    const first = await waitLine((l) => l.event === 'reader' && l.name === RIG_READER);
    assert.equal(first.cardPresent, false);
    const client = await live.reader.insert(scenario.card);
    const inserted = await waitLine((l) => l.event === 'card-inserted');
    assert.equal(inserted.reader, RIG_READER);
    assert.equal(String(inserted.atr).replace(/[^0-9A-F]/gi, '').toUpperCase(), Buffer.from(scenario.card.atr).toString('hex').toUpperCase());
    assert.equal(inserted.moica, true);
    assert.ok(!Number.isNaN(Date.parse(String(inserted.at))));
    await live.reader.remove(client);
    await waitLine((l) => l.event === 'card-removed' && l.reader === RIG_READER);
    child.kill('SIGINT');
    assert.equal(await exited, 0, err);
    for (const l of out.split('\n').filter(Boolean)) assert.doesNotThrow(() => JSON.parse(l), 'every line is one JSON document');
  } finally {
    child.kill('SIGKILL');
  }
});
