/** CRLs made by `openssl ca -gencrl`, served over loopback HTTP with an ETag, read by crl.ts / crl-scan.ts. */
import { after, before, test } from 'node:test';
import assert from 'node:assert/strict';
import { existsSync, mkdtempSync, readdirSync, rmSync, statSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { answersFromFile, checkCrl, crlCacheDir, type CrlCheck, type CrlProgress } from '../../source/registry/crl.js';
import { findRevoked, layoutOf } from '../../source/registry/crl-scan.js';
import { isMoicaError } from '../../source/errors.js';
import { closedPort } from './http-fixture.js';
import { crlServer, makeCrlCa, type CrlCa, type CrlServer } from './crl-rig.js';

const SUPERSEDED = '1001';
const HELD = '1002';
const COMPROMISED = '1003';
const GOOD = '2001';

let ca: CrlCa;
let forger: CrlCa;
let server: CrlServer;
let complete: Uint8Array;
let part: Uint8Array;
let forged: Uint8Array;
let shortLived: Uint8Array;
const dirs: string[] = [];

const cacheDir = () => {
  const d = mkdtempSync(join(tmpdir(), 'moica-crl-cache-'));
  dirs.push(d);
  return d;
};

before(async () => {
  ca = makeCrlCa();
  forger = makeCrlCa(); // the same name, another key
  ca.revoke(SUPERSEDED, { reason: 'superseded' });
  ca.revoke(HELD, { hold: 'holdInstructionReject' });
  ca.revoke(COMPROMISED, { reason: 'keyCompromise' });
  complete = ca.gencrl();
  part = ca.gencrl({ part: true });
  shortLived = ca.gencrl({ hours: 1 });
  forger.revoke('9999', { reason: 'keyCompromise' });
  forged = forger.gencrl();
  server = await crlServer();
  server.files.set('/complete.crl', complete);
  server.files.set('/part.crl', part);
  server.files.set('/forged.crl', forged);
  server.files.set('/short.crl', shortLived);
  server.files.set('/truncated.crl', complete.subarray(0, complete.length - 40));
});

after(async () => {
  await server?.close();
  ca?.cleanup();
  forger?.cleanup();
  for (const d of dirs) rmSync(d, { recursive: true, force: true });
});

const check = (urls: string[], more: Partial<CrlCheck> = {}) =>
  checkCrl({ urls: urls.map((u) => server.url(u)), serialNumbers: [SUPERSEDED, HELD, COMPROMISED, GOOD], issuerDer: ca.caDer, timeoutMs: 5000, cacheDir: cacheDir(), ...more });

test('the walk finds the reasons OpenSSL wrote (superseded, certificateHold, keyCompromise) and passes the rest', () => {
  const layout = layoutOf(complete);
  assert.equal(layout.crlNumber, '1');
  assert.equal(layout.partitioned, false);
  assert.ok(layout.nextUpdate && layout.nextUpdate > layout.thisUpdate);
  const { found, entries } = findRevoked(complete, layout, [SUPERSEDED, HELD, COMPROMISED, GOOD, '0001003']);
  assert.equal(entries, 3);
  assert.equal(found.get(SUPERSEDED)?.reason, 'superseded');
  assert.equal(found.get(HELD)?.reason, 'certificateHold');
  assert.equal(found.get(COMPROMISED)?.reason, 'keyCompromise');
  assert.equal(found.get('0001003')?.serialNumber, COMPROMISED, 'serials compare as numbers');
  assert.equal(found.has(GOOD), false);
  assert.equal(layoutOf(part).partitioned, true);
});

test('over HTTP: downloaded once into the XDG cache, then a conditional GET answered 304 from the cached file', async () => {
  const xdg = cacheDir();
  const env = { XDG_CACHE_HOME: xdg, HOME: '/nonexistent' };
  assert.equal(crlCacheDir(env), join(xdg, 'moica-check', 'crl'));
  assert.equal(crlCacheDir({ HOME: '/home/x' }), '/home/x/.cache/moica-check/crl');
  const progress: CrlProgress[] = [];
  const first = await check(['/complete.crl'], { cacheDir: undefined, env, onProgress: (p) => progress.push(p) });
  assert.equal(first.checked, true, first.detail);
  assert.equal(first.fromCache, false);
  assert.equal(first.stale, false);
  assert.equal(first.url, server.url('/complete.crl'));
  const by = Object.fromEntries(first.certificates.map((a) => [a.serialNumber, a]));
  assert.deepEqual([by[SUPERSEDED]!.status, by[SUPERSEDED]!.reason], ['revoked', 'superseded']);
  assert.equal(by[HELD]!.reason, 'certificateHold');
  assert.equal(by[COMPROMISED]!.reason, 'keyCompromise');
  assert.deepEqual([by[GOOD]!.status, by[GOOD]!.reason], ['good', null]);
  assert.ok(progress.length > 0 && progress.at(-1)!.bytes === complete.length && progress.at(-1)!.total === complete.length);
  const files = readdirSync(join(xdg, 'moica-check', 'crl'));
  assert.equal(files.filter((f) => f.endsWith('.crl')).length, 1);
  assert.equal(files.filter((f) => f.endsWith('.tmp')).length, 0, 'temp files renamed into place');
  assert.equal(statSync(join(xdg, 'moica-check', 'crl', files.find((f) => f.endsWith('.crl'))!)).mode & 0o777, 0o600);

  const before304 = server.log.length;
  const second = await check(['/complete.crl'], { cacheDir: undefined, env });
  assert.equal(second.checked, true);
  assert.equal(second.fromCache, true);
  assert.deepEqual(server.log.slice(before304), [{ path: '/complete.crl', status: 304 }]);
  assert.deepEqual(second.certificates, first.certificates);

  // a new CRL is published: the next GET downloads it
  server.files.set('/complete.crl', ca.gencrl());
  const third = await check(['/complete.crl'], { cacheDir: undefined, env });
  assert.equal(third.fromCache, false);
  assert.notEqual(third.crlNumber, first.crlNumber);
  server.files.set('/complete.crl', complete);
});

test('the scan is cached per (CRL, CA key, serial): a second ask reads no CRL byte', async () => {
  const dir = cacheDir();
  await check(['/complete.crl'], { cacheDir: dir });
  const base = readdirSync(dir).find((f) => f.endsWith('.crl'))!.replace(/\.crl$/, '');
  const meta = JSON.parse((await import('node:fs')).readFileSync(join(dir, `${base}.json`), 'utf8'));
  const file = { crl: join(dir, `${base}.crl`), scan: join(dir, `${base}.scan.json`), meta };
  const warm = await answersFromFile(file, [SUPERSEDED, GOOD], ca.caDer);
  assert.equal(warm.warm, true);
  assert.equal(warm.entries.get(SUPERSEDED)?.reason, 'superseded');
  assert.equal(warm.entries.get(GOOD), null);
  const other = await answersFromFile(file, ['ABCDEF'], ca.caDer);
  assert.equal(other.warm, false, 'a serial not asked before is scanned');
  assert.equal((await answersFromFile(file, ['ABCDEF', HELD], ca.caDer)).warm, true);
  // another CA key is never answered from the cache
  await assert.rejects(answersFromFile(file, [SUPERSEDED], forger.caDer), (e) => isMoicaError(e, 'crl-bad-signature'));
});

test('the holder\'s partition is preferred over the complete CRL; a missing partition falls back to it', async () => {
  const at = server.log.length;
  const report = await check(['/part.crl', '/complete.crl']);
  assert.equal(report.checked, true, report.detail);
  assert.equal(report.url, server.url('/part.crl'));
  assert.equal(report.partitioned, true);
  assert.deepEqual(server.log.slice(at).map((l) => l.path), ['/part.crl']);
  const fallback = await check(['/missing.crl', '/complete.crl']);
  assert.equal(fallback.checked, true);
  assert.equal(fallback.url, server.url('/complete.crl'));
});

test('a stale CRL (past nextUpdate) is used with a warning, and never makes a certificate good', async () => {
  const later = new Date(Date.now() + 2 * 3600_000);
  const report = await check(['/short.crl'], { now: later });
  assert.equal(report.checked, true);
  assert.equal(report.stale, true);
  assert.match(report.warning ?? '', /out of date/);
  const by = Object.fromEntries(report.certificates.map((a) => [a.serialNumber, a]));
  assert.equal(by[GOOD]!.status, 'unknown');
  assert.equal(by[COMPROMISED]!.status, 'revoked');
  const fresh = await check(['/short.crl']);
  assert.equal(fresh.stale, false);
  const future = await check(['/complete.crl'], { now: new Date(Date.now() - 24 * 3600_000) });
  assert.equal(future.notCheckedReason, 'invalid');
  assert.match(future.detail ?? '', /future/);
});

test('a CRL signed by another key (same name) is refused with a warning and not cached', async () => {
  const dir = cacheDir();
  const report = await check(['/forged.crl', '/complete.crl'], { cacheDir: dir });
  assert.equal(report.checked, false);
  assert.equal(report.notCheckedReason, 'bad-signature');
  assert.ok(report.warning);
  assert.equal(readdirSync(dir).length, 0, 'nothing written to the cache');
});

test('bad input: truncated, oversized, a stalled download, unreachable — each typed, none a crash or a hang', async () => {
  const truncated = await check(['/truncated.crl']);
  assert.equal(truncated.notCheckedReason, 'invalid');
  assert.throws(() => layoutOf(complete.subarray(0, 500)), (e) => isMoicaError(e, 'crl-invalid'));
  assert.throws(() => layoutOf(new Uint8Array([0x30, 0x84, 0xff, 0xff, 0xff, 0xff])), (e) => isMoicaError(e, 'crl-invalid'));
  assert.throws(() => layoutOf(new Uint8Array(0)), (e) => isMoicaError(e, 'crl-invalid'));

  const oversized = await check(['/complete.crl'], { maxBytes: 200 });
  assert.equal(oversized.notCheckedReason, 'invalid');
  assert.match(oversized.detail ?? '', /larger than 200 bytes/);

  server.files.set('/stall.crl', complete);
  server.stall.set('/stall.crl', 50);
  const t0 = Date.now();
  const stalled = await check(['/stall.crl'], { timeoutMs: 300 });
  assert.equal(stalled.notCheckedReason, 'timeout');
  assert.ok(Date.now() - t0 < 5000);

  const port = await closedPort();
  const unreachable = await checkCrl({ urls: [`http://127.0.0.1:${port}/x.crl`], serialNumbers: [GOOD], issuerDer: ca.caDer, timeoutMs: 2000, cacheDir: cacheDir() });
  assert.equal(unreachable.notCheckedReason, 'unreachable');

  assert.equal((await checkCrl({ urls: [], serialNumbers: [GOOD], issuerDer: ca.caDer, timeoutMs: 1000 })).notCheckedReason, 'no-url');
  assert.equal((await check(['/complete.crl'], { issuerDer: undefined })).notCheckedReason, 'no-issuer');
  assert.equal((await check(['/complete.crl'], { issuerDer: new Uint8Array([1, 2]) })).notCheckedReason, 'no-issuer');
});

test('the server down with a cached copy: the copy answers, with a warning that it was not refreshed', async () => {
  const dir = cacheDir();
  const local = await crlServer();
  local.files.set('/c.crl', complete);
  const url = local.url('/c.crl');
  const first = await checkCrl({ urls: [url], serialNumbers: [COMPROMISED], issuerDer: ca.caDer, timeoutMs: 2000, cacheDir: dir });
  assert.equal(first.checked, true);
  await local.close();
  const offline = await checkCrl({ urls: [url], serialNumbers: [COMPROMISED], issuerDer: ca.caDer, timeoutMs: 2000, cacheDir: dir });
  assert.equal(offline.checked, true);
  assert.equal(offline.fromCache, true);
  assert.match(offline.warning ?? '', /could not be refreshed/);
  assert.equal(offline.certificates[0]!.status, 'revoked');
  assert.ok(existsSync(dir));
});
