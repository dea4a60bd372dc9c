/**
 * Issue 11 item 5 through the real engine (source/engine/index.ts): a card in a reader of the private
 * pcscd rig, no registry, OCSP at a dead port, the CRL from the card's CDP by `openssl ca -gencrl` served by
 * a loopback server that sends half and holds the rest: the TUI's result panel shows the bar (bytes and %)
 * while the check waits, and the verdict once the rest is sent. The CRL cache is a temp XDG_CACHE_HOME.
 */
import { after, before, test } from 'node:test';
import assert from 'node:assert/strict';
import { mkdtempSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { buildScenario } from '../../source/virtual/scenario.js';
import { createEngine } from '../../source/engine/index.js';
import { parseOptions } from '../../source/options.js';
import { closedPort } from '../registry/http-fixture.js';
import { gencrlIn, heldCrlServer } from '../registry/crl-rig.js';
import { renderApp } from '../ui/render.js';
import { useRig } from './harness.js';

const live = useRig();
const dirs: string[] = [];
const tmp = (p: string) => { const d = mkdtempSync(join(tmpdir(), p)); dirs.push(d); return d; };
const savedCache = process.env.XDG_CACHE_HOME;

before(async () => {
  process.env.XDG_CACHE_HOME = tmp('moica-crl-rig-cache-');
});

after(async () => {
  if (savedCache === undefined) delete process.env.XDG_CACHE_HOME;
  else process.env.XDG_CACHE_HOME = savedCache;
  for (const d of dirs) rmSync(d, { recursive: true, force: true });
});

test('the real engine, no registry: the CRL download\'s bar in the result panel while the check waits, then the verdict', { timeout: 120_000 }, async () => {
  const dead = await closedPort();
  const server = await heldCrlServer();
  const scenario = await buildScenario({
    name: 'crl-rig', cardNumber: 'TP03130708163649', ocspUrl: `http://127.0.0.1:${dead}/ocsp`, crlUrls: [server.url],
    onCard: [{ serialNumber: '3B7161C40F46488916A', notBefore: -100, notAfter: 900 }, { serialNumber: '3B7161C40F46488916B', notBefore: -100, notAfter: 900 }],
  });
  const dir = tmp('moica-crl-rig-ca-');
  await scenario.pki.writePemFiles(dir);
  await scenario.ocsp.writeOpensslIndex(join(dir, 'index.txt'));
  const crl = gencrlIn(dir);
  server.serve(crl);
  const client = await live.reader.insert(scenario.card);
  const engine = await createEngine(parseOptions(['--ocsp', `http://127.0.0.1:${dead}/ocsp`, '--lang', 'en'], {}));
  try {
    const app = await renderApp({ engine, lang: 'en' }, { columns: 100, rows: 40 });
    try {
      const frame = await app.waitFor((f) => f.includes('Downloading the CRL'), 'the CRL bar', 60_000);
      const half = Math.floor(crl.length / 2);
      assert.match(frame, new RegExp(`\\[█+░+\\] 50% ${half} B / ${crl.length} B`), `bar, % and bytes:\n${frame}`);
      server.release();
      const done = await app.waitFor((f) => /verdict A/.test(f), 'the verdict', 60_000);
      assert.ok(!done.includes('Downloading the CRL'), `the bar is gone:\n${done}`);
    } finally {
      app.unmount();
    }
  } finally {
    await engine.close();
    await live.reader.remove(client);
    await server.close();
  }
});
