import { after, before, test } from 'node:test';
import assert from 'node:assert/strict';
import { spawn } from 'node:child_process';
import { mkdtempSync, rmSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { serve } from '../../source/commands/serve-registry.js';
import { main } from '../../source/cli.js';
import { parseOptions } from '../../source/options.js';
import { memoryIo } from '../commands/memory-io.js';

const CARD = 'TP03130708163649';
let dir: string;
let dataFile: string;

before(() => {
  dir = mkdtempSync(join(tmpdir(), 'moica-serve-'));
  dataFile = join(dir, 'data.json');
  writeFileSync(dataFile, JSON.stringify({
    cards: { [CARD]: { certificates: [{ slot: 0, usage: 'signature', serialNumber: 'AB', status: 'valid',
      notBefore: '2024-03-01T00:00:00Z', notAfter: '2029-03-01T00:00:00Z', renewedFrom: null }] } },
    certificates: {},
  }));
});
after(() => rmSync(dir, { recursive: true, force: true }));

/** Polls `read` until it matches, with a deadline (no fixed sleeps). */
async function waitFor(read: () => string, pattern: RegExp, ms = 10_000): Promise<RegExpExecArray> {
  const deadline = Date.now() + ms;
  for (;;) {
    const m = pattern.exec(read());
    if (m) return m;
    if (Date.now() > deadline) throw new Error(`never saw ${pattern} in: ${read()}`);
    await new Promise((r) => setImmediate(r));
  }
}

test('serve: prints the URL (JSON), serves, logs to stderr, closes when stopped', async () => {
  const io = memoryIo();
  let stop!: () => void;
  const done = serve(parseOptions(['serve-registry', '--data', dataFile, '--json'], {}), io, () => new Promise<void>((r) => { stop = r; }));
  const [, url] = await waitFor(io.out, /"url": "(http:\/\/127\.0\.0\.1:\d+)"/);
  const res = await fetch(`${url}/v1/cards/${CARD}`);
  assert.equal(res.status, 200);
  assert.equal(((await res.json()) as { cardNumber: string }).cardNumber, CARD);
  await waitFor(io.err, new RegExp(`GET /v1/cards/${CARD} 200 `));
  stop();
  assert.equal(await done, 0);
  await assert.rejects(fetch(`${url}/v1/cards/${CARD}`));
});

test('a bad data file: exit 2 and one clear line, no server', async () => {
  const bad = join(dir, 'bad.json');
  writeFileSync(bad, JSON.stringify({ cards: { [CARD]: { certificates: [{ slot: 7 }] } }, certificates: {} }));
  const io = memoryIo();
  assert.equal(await main(['serve-registry', '--data', bad], io), 2);
  assert.match(io.err(), /^moica-check: The registry data file .* is not valid: cards\.TP03130708163649\.certificates\.0\./);
  assert.doesNotMatch(io.err(), /\n\s+at /, 'no stack trace');
  const missing = memoryIo();
  assert.equal(await main(['serve-registry', '--data', join(dir, 'nope.json'), '--json'], missing), 2);
  assert.equal((JSON.parse(missing.out()) as { error: { code: string } }).error.code, 'usage');
});

test('the CLI runs until SIGTERM and exits 0', async () => {
  const child = spawn(process.execPath, ['--import', 'tsx', 'source/cli.tsx', 'serve-registry', '--data', dataFile, '--port', '0'], {
    stdio: ['ignore', 'pipe', 'pipe'],
  });
  let out = '';
  child.stdout.on('data', (c: Buffer) => { out += c.toString(); });
  const exited = new Promise<number | null>((r) => child.once('exit', (code) => r(code)));
  try {
    const [, url] = await waitFor(() => out, /Registry: (http:\/\/127\.0\.0\.1:\d+)/, 30_000);
    assert.equal((await fetch(`${url}/v1/cards/AB00000000000000`)).status, 404);
    child.kill('SIGTERM');
    assert.equal(await exited, 0);
  } finally {
    if (child.exitCode === null) child.kill('SIGKILL');
  }
});

test('--demo serves the demo scenario\'s registry and an OCSP endpoint', async () => {
  const io = memoryIo();
  let stop!: () => void;
  const done = serve(parseOptions(['serve-registry', '--demo', 'revoked', '--json'], {}), io, () => new Promise<void>((r) => { stop = r; }));
  await waitFor(io.out, /\}\n$/, 60_000);
  const doc = JSON.parse(io.out()) as { url: string; ocspUrl: string; cardNumber: string };
  const card = (await (await fetch(`${doc.url}/v1/cards/${doc.cardNumber}`)).json()) as { certificates: Array<{ status: string }> };
  assert.ok(card.certificates.some((c) => c.status === 'revoked'));
  const ocsp = await fetch(doc.ocspUrl, { method: 'POST', body: 'x' });
  assert.deepEqual([...new Uint8Array(await ocsp.arrayBuffer())], [0x30, 0x03, 0x0a, 0x01, 0x01]); // malformedRequest
  stop();
  assert.equal(await done, 0);
});
