/**
 * Issue 13 item 6 over the real path: escape sequences in the certificate subject of the virtual PKI (the
 * holder's name) and in every string field of a registry's answer (a hostile loopback registry), with
 * `read` and `check` in text mode over the pcscd rig: nothing unsafe reaches stdout or stderr; JSON keeps
 * the strings (escaped by JSON).
 */
import { after, before, test } from 'node:test';
import assert from 'node:assert/strict';
import http from 'node:http';
import type { AddressInfo } from 'node:net';
import { buildScenario } from '../../source/virtual/scenario.js';
import { scenarioSpec } from '../../source/virtual/demos.js';
import { main } from '../../source/cli.js';
import { useRig } from './harness.js';
import { memoryIo } from '../commands/memory-io.js';

/** The command as the CLI runs it (main), over buffers. */
async function runCommand(argv: string[]) {
  const io = memoryIo({ LANG: 'C' });
  const code = await main(argv, io);
  await new Promise((r) => setImmediate(r));
  const out = io.out();
  let json: unknown = {};
  try { json = JSON.parse(out); } catch { /* text */ }
  return { code, stdout: out, stderr: io.err(), json };
}

const EVIL = '\u001b]0;PWNED\u0007\u001b[2J\u009b31m\u202e';
const UNSAFE = /[\u0000-\u0009\u000b-\u001f\u007f-\u009f\u202a-\u202e\u2066-\u2069]/;

const live = useRig();
let server: http.Server;
let url = '';

before(async () => {
  // Every string field of the registry's answer carries escapes; errors carry them in their body too.
  server = http.createServer((req, res) => {
    if ((req.url ?? '').includes('/cards/')) {
      res.writeHead(200, { 'content-type': 'application/json' });
      res.end(JSON.stringify({ cardNumber: `TP${EVIL}`, certificates: [{ slot: 0, usage: EVIL, serialNumber: EVIL, status: EVIL, notBefore: EVIL, notAfter: EVIL, renewedFrom: EVIL }] }));
    } else {
      res.writeHead(500, { 'content-type': 'text/plain' });
      res.end(`boom ${EVIL}`);
    }
  });
  await new Promise<void>((r) => server.listen(0, '127.0.0.1', r));
  url = `http://127.0.0.1:${(server.address() as AddressInfo).port}/`;
});

after(async () => {
  await new Promise((r) => server.close(r));
});

test('a holder name and a registry answer full of escape sequences: read/check text is clean, JSON keeps them', { timeout: 90_000 }, async () => {
  const scenario = await buildScenario({ ...scenarioSpec('rewrite'), holderName: `王${EVIL}明` });
  const client = await live.reader.insert(scenario.card);
  try {
    const read = await runCommand(['read']);
    assert.equal(read.code, 0, read.stderr);
    const check = await runCommand(['check', '--registry', url, '--no-ocsp']);
    assert.equal(check.code, 4, check.stdout + check.stderr);
    for (const [name, text] of [['read stdout', read.stdout], ['check stdout', check.stdout], ['check stderr', check.stderr]] as const) {
      assert.doesNotMatch(text, UNSAFE, `${name}: ${JSON.stringify(text)}`);
    }
    const json = await runCommand(['read', '--json']);
    assert.match(JSON.stringify(json.json), /PWNED/, 'JSON keeps the subject (JSON needs no sanitising)');
  } finally {
    await live.reader.remove(client);
  }
});
