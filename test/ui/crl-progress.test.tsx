/**
 * Issue 11 item 5: a CRL download shows a progress bar in the TUI. The check's own event through the port
 * (engine.check's onCrlProgress) while the real check (engine/check.ts runCheck, no registry, OCSP at a dead
 * port) downloads a CRL made by `openssl ca -gencrl` from a loopback server that sends half the body and holds
 * the rest until the frame with the bar is seen (no sleeps); the bar is gone once the check is done. Words and
 * figures say it (never the colour alone); '#' and '.' under --ascii.
 */
import { after, before, test } from 'node:test';
import assert from 'node:assert/strict';
import { mkdtempSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { buildScenario, type BuiltScenario } from '../../source/virtual/scenario.js';
import { InProcessTransport } from '../../source/virtual/in-process.js';
import { openCardAccess, type CardAccess } from '../../source/engine/card-access.js';
import { runCheck } from '../../source/engine/check.js';
import { closedPort } from '../registry/http-fixture.js';
import { gencrlIn, heldCrlServer } from '../registry/crl-rig.js';
import { FakeEngine } from './fake-engine.js';
import { assertFits } from './frames.js';
import { renderApp } from './render.js';

const dirs: string[] = [];
const tmp = (p: string) => { const d = mkdtempSync(join(tmpdir(), p)); dirs.push(d); return d; };
let deadPort: number;
after(() => { for (const d of dirs) rmSync(d, { recursive: true, force: true }); });
before(async () => { deadPort = await closedPort(); });

/** A card whose CDP is the slow server, its CA's CRL by `openssl ca -gencrl`; an engine whose check is the real one. */
async function rig(): Promise<{ engine: FakeEngine; total: number; release(): void; close(): Promise<void> }> {
  const dir = tmp('moica-crl-ui-ca-');
  const server = await heldCrlServer();
  const url = server.url;
  const built: BuiltScenario = await buildScenario({
    name: 'crl-ui', cardNumber: 'TP03130708163649', ocspUrl: `http://127.0.0.1:${deadPort}/ocsp`, crlUrls: [url],
    onCard: [{ serialNumber: '3B7161C40F46488916A', notBefore: -100, notAfter: 900 }, { serialNumber: '3B7161C40F46488916B', notBefore: -100, notAfter: 900 }],
  });
  await built.pki.writePemFiles(dir);
  await built.ocsp.writeOpensslIndex(join(dir, 'index.txt'));
  const body = gencrlIn(dir);
  server.serve(body);
  const transport = new InProcessTransport();
  transport.insert(built.card);
  const access: CardAccess = await openCardAccess({ timeoutMs: 5000 } as never, { transport, close: () => transport.close() });
  const cacheDir = tmp('moica-crl-ui-cache-');
  const engine = new FakeEngine();
  engine.addReader(access.info.reader);
  engine.insert(access.info.reader, access.info);
  engine.check = async (_card, events) => {
    const outcome = await runCheck(access, {
      registry: null, ocspUrl: 'http://moica.invalid/ocsp', ocspFromCard: true, timeoutMs: 5000,
      crl: { cacheDir, ...(events?.onCrlProgress ? { onProgress: events.onCrlProgress } : {}) },
    });
    return { verdict: outcome.verdict, guidance: outcome.guidance, registry: outcome.registry };
  };
  return {
    engine, total: body.length, release: server.release,
    close: async () => { await server.close(); await access.close(); await transport.close(); },
  };
}

for (const { ascii, columns, rows } of [{ ascii: false, columns: 80, rows: 24 }, { ascii: true, columns: 40, rows: 15 }]) {
  test(`a slow CRL download: the bar with bytes and % while the check waits, gone when done (${ascii ? 'ASCII, 40×15' : '80×24'})`, { timeout: 60_000 }, async () => {
    const r = await rig();
    const app = await renderApp({ engine: r.engine, ascii }, { columns, rows });
    try {
      const half = Math.floor(r.total / 2);
      const frame = await app.waitFor((f) => f.includes('Downloading the CRL') && f.includes('%'), 'the CRL bar', 30_000);
      assert.match(frame, new RegExp(`50% ${half} B / ${r.total} B`), `bytes and percentage:\n${frame}`);
      if (ascii) assert.match(frame, /\[#+\.+\]/, 'ASCII bar');
      else assert.match(frame, /\[█+░+\]/, 'the bar');
      assert.ok(!/[█░]/.test(ascii ? frame : ''), 'no block glyphs under --ascii');
      assertFits(frame, columns, rows);
      r.release();
      const done = await app.waitFor((f) => /valid/i.test(f) && !f.includes('Checking'), 'the verdict', 30_000);
      assert.ok(!done.includes('Downloading the CRL'), `the bar is gone:\n${done}`);
    } finally {
      app.unmount();
      await r.close();
    }
  });
}
