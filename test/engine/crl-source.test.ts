/**
 * No registry, a virtual card whose holder certificates name loopback servers in their AIA (OCSP) and CDP
 * (CRL): the check's status sources in order (OCSP, then the CRL), through the engine's seam. The CRL is
 * made by `openssl ca -gencrl` over the scenario's own CA; OCSP is OpenSSL's responder (`openssl ocsp`).
 */
import { after, before, test } from 'node:test';
import assert from 'node:assert/strict';
import { mkdtempSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { spawn } from 'node:child_process';
import { buildScenario, type BuiltScenario, type ScenarioSpec } from '../../source/virtual/scenario.js';
import { InProcessTransport } from '../../source/virtual/in-process.js';
import { openCardAccess, type CardAccess } from '../../source/engine/card-access.js';
import { runCheck, type Network } from '../../source/engine/check.js';
import type { CrlReport } from '../../source/registry/crl.js';
import { isMoicaError } from '../../source/errors.js';
import { closedPort } from '../registry/http-fixture.js';
import { crlServer, gencrlIn, type CrlServer } from '../registry/crl-rig.js';

const SIGN = '3B7161C40F46488916A';
const KEYX = '3B7161C40F46488916B';
let server: CrlServer;
let deadPort: number;
const dirs: string[] = [];
const tmp = (p: string) => { const d = mkdtempSync(join(tmpdir(), p)); dirs.push(d); return d; };

before(async () => {
  server = await crlServer();
  deadPort = await closedPort();
});
after(async () => {
  await server?.close();
  for (const d of dirs) rmSync(d, { recursive: true, force: true });
});

/** A scenario, its CRL (openssl ca -gencrl over the scenario's CA and statuses) published at `path`. */
async function scenario(path: string, onCard: ScenarioSpec['onCard'], ocspUrl: string): Promise<BuiltScenario> {
  const built = await buildScenario({ name: 'crl', cardNumber: 'TP03130708163649', onCard, ocspUrl, crlUrls: [server.url(path)] });
  const dir = tmp('moica-crl-ca-');
  await built.pki.writePemFiles(dir);
  await built.ocsp.writeOpensslIndex(join(dir, 'index.txt'));
  server.files.set(path, gencrlIn(dir));
  return built;
}

async function open(built: BuiltScenario): Promise<{ access: CardAccess; close(): Promise<void> }> {
  const transport = new InProcessTransport();
  transport.insert(built.card);
  const access = await openCardAccess({ timeoutMs: 5000 } as never, { transport, close: () => transport.close() });
  return { access, close: async () => { await access.close(); await transport.close(); } };
}

const net = (cacheDir: string, more: Partial<Network> = {}): Network => ({
  registry: null, ocspUrl: 'http://moica.invalid/ocsp', ocspFromCard: true, timeoutMs: 5000, crl: { cacheDir }, ...more,
});

test('OCSP unreachable (the AIA names a dead port): the CRL answers; a superseded certificate in date is B-1 (verdictBasis superseded)', async () => {
  const built = await scenario('/superseded.crl', [
    { serialNumber: SIGN, notBefore: -100, notAfter: 900, ocsp: { status: 'revoked', reason: 'superseded' } },
    { serialNumber: KEYX, notBefore: -100, notAfter: 900 },
  ], `http://127.0.0.1:${deadPort}/ocsp`);
  const { access, close } = await open(built);
  const cacheDir = tmp('moica-crl-cache-');
  const progress: number[] = [];
  try {
    const outcome = await runCheck(access, net(cacheDir, { crl: { cacheDir, onProgress: (p) => progress.push(p.bytes) } }));
    assert.equal(outcome.registry, null);
    assert.equal(outcome.verdict.verdict, 'B-1');
    assert.equal(outcome.verdict.basis, 'superseded');
    assert.equal(outcome.verdict.statusSource, 'crl');
    assert.equal(outcome.ocsp.checked, false);
    assert.equal(outcome.ocsp.notCheckedReason, 'unreachable', 'asked at the AIA (a dead loopback port), not the fallback');
    const crl = outcome.sources?.find((s) => s.source === 'crl')?.report as CrlReport;
    assert.equal(crl.checked, true, crl.detail);
    assert.equal(crl.url, server.url('/superseded.crl'));
    assert.equal(crl.fromCache, false);
    assert.ok(crl.thisUpdate instanceof Date && crl.nextUpdate instanceof Date);
    assert.ok(progress.length > 0);
    const again = await runCheck(access, net(cacheDir));
    const crl2 = again.sources?.find((s) => s.source === 'crl')?.report as CrlReport;
    assert.equal(crl2.fromCache, true, 'the second check is a 304 from the cache');
    assert.equal(again.verdict.verdict, 'B-1');
  } finally {
    await close();
  }
});

test('revoked (keyCompromise) and suspended (certificateHold) from the CRL alone: C', async () => {
  const built = await scenario('/c.crl', [
    { serialNumber: SIGN, notBefore: -100, notAfter: 900, ocsp: { status: 'revoked', reason: 'certificateHold' } },
    { serialNumber: KEYX, notBefore: -100, notAfter: 900, ocsp: { status: 'revoked', reason: 'keyCompromise' } },
  ], `http://127.0.0.1:${deadPort}/ocsp`);
  const { access, close } = await open(built);
  try {
    const outcome = await runCheck(access, net(tmp('moica-crl-cache-')));
    assert.equal(outcome.verdict.verdict, 'C');
    assert.equal(outcome.verdict.status, 'revoked');
    assert.deepEqual(outcome.verdict.slots.map((s) => s.status), ['suspended', 'revoked']);
    assert.equal(outcome.verdict.statusSource, 'crl');
  } finally {
    await close();
  }
});

test('OCSP answers through the AIA (OpenSSL\'s responder for the scenario\'s CA): the CRL is not asked', async () => {
  const dir = tmp('moica-ocsp-ca-');
  const built = await buildScenario({
    name: 'aia', cardNumber: 'TP03130708163649', crlUrls: [server.url('/never.crl')], ocspUrl: 'http://127.0.0.1:1/placeholder',
    onCard: [{ serialNumber: SIGN, notBefore: -100, notAfter: 900 }, { serialNumber: KEYX, notBefore: -100, notAfter: 900 }],
  });
  // The AIA must name the responder, whose port the OS picks: start it for a first build of the scenario,
  // then build the card with its URL (the CA keys come from the key pool and the names are fixed, so the
  // responder's CertIDs and signatures hold for the second build's CA certificate too).
  await built.pki.writePemFiles(dir);
  await built.ocsp.writeOpensslIndex(join(dir, 'index.txt'));
  const child = spawn('openssl', ['ocsp', '-index', 'index.txt', '-CA', 'ca.pem', '-rsigner', 'ca.pem', '-rkey', 'ca.key', '-port', '0', '-nrequest', '100'], { cwd: dir, stdio: ['ignore', 'pipe', 'pipe'] });
  try {
    const url = await new Promise<string>((resolve, reject) => {
      let out = '';
      child.stdout.on('data', (c: Buffer) => { out += c; const m = /ACCEPT \S*:(\d+)/.exec(out); if (m) resolve(`http://127.0.0.1:${m[1]}/`); });
      child.once('exit', (code) => reject(new Error(`openssl ocsp exited ${code}`)));
    });
    const withAia = await buildScenario({
      name: 'aia', cardNumber: 'TP03130708163649', crlUrls: [server.url('/never.crl')], ocspUrl: url,
      onCard: [{ serialNumber: SIGN, notBefore: -100, notAfter: 900 }, { serialNumber: KEYX, notBefore: -100, notAfter: 900 }],
    });
    const { access, close } = await open(withAia);
    try {
      const at = server.log.length;
      const outcome = await runCheck(access, net(tmp('moica-crl-cache-')));
      assert.equal(outcome.ocsp.checked, true, outcome.ocsp.detail);
      assert.equal(outcome.verdict.verdict, 'A');
      assert.equal(outcome.verdict.statusSource, 'ocsp');
      assert.equal(outcome.sources?.some((s) => s.source === 'crl'), false);
      assert.equal(server.log.length, at, 'no CRL download');
    } finally {
      await close();
    }
  } finally {
    child.kill('SIGTERM');
  }
});

test('a corrupted CA area with no registry and OCSP off: card-inconsistent from the CRL source too', async () => {
  const built = await buildScenario({
    name: 'bad-ca', cardNumber: 'TP03130708163649', caAreaFault: 'issuing-signature', crlUrls: [server.url('/c.crl')],
    onCard: [{ serialNumber: SIGN, notBefore: -100, notAfter: 900 }, { serialNumber: KEYX, notBefore: -100, notAfter: 900 }],
  });
  const { access, close } = await open(built);
  try {
    await assert.rejects(runCheck(access, net(tmp('moica-crl-cache-'), { ocspUrl: false, ocspFromCard: false })), (e) => isMoicaError(e, 'card-inconsistent'));
  } finally {
    await close();
  }
});
