/**
 * The demo's certificate cache (virtual/demo-cache.ts): a cached start builds no certificate and no card
 * image and gets the very certificates and card files a fresh build makes (same bytes); the day's "now" is kept; another build
 * of the app, another day in Taipei, a corrupt or unwritable cache: a normal build.
 */
import { test } from 'node:test';
import assert from 'node:assert/strict';
import { mkdtempSync, readFileSync, rmSync, statSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { buildNamedScenario } from '../../source/virtual/demos.js';
import { openDemoCertificateCache, taipeiDay } from '../../source/virtual/demo-cache.js';
import type { BuiltScenario } from '../../source/virtual/scenario.js';

const dir = mkdtempSync(join(tmpdir(), 'moica-demo-cache-'));
process.on('exit', () => rmSync(dir, { recursive: true, force: true }));

const ders = (s: BuiltScenario) => [s.pki.root.certificate, s.pki.issuing.certificate, ...s.onCard, ...s.issued].map((c) => Buffer.from(c.der).toString('hex'));

test('demo cache: the second start builds nothing and has the same certificates, byte for byte, as a fresh build', async () => {
  const clock = new Date('2026-03-01T02:00:00Z');
  const first = openDemoCertificateCache(dir, 'build-a', clock);
  assert.equal(first.now.toISOString(), clock.toISOString());
  const built = await buildNamedScenario('rewrite', { now: first.now, cache: first });
  assert.equal(first.complete(), false, 'the first start builds them');
  first.save();
  assert.equal(statSync(join(dir, 'certificates.json')).mode & 0o777, 0o600);

  const later = new Date('2026-03-01T13:00:00Z'); // the same day in Taipei (21:00)
  const second = openDemoCertificateCache(dir, 'build-a', later);
  assert.equal(second.now.toISOString(), clock.toISOString(), "the day's first now is kept");
  const cached = await buildNamedScenario('rewrite', { now: second.now, cache: second });
  assert.equal(second.complete(), true, 'nothing built');
  assert.deepEqual(ders(cached), ders(built));
  assert.deepEqual(cached.registryData, built.registryData);
  const fresh = await buildNamedScenario('rewrite', { now: clock });
  assert.deepEqual(ders(fresh), ders(built), 'what the cache holds is what a build makes');
  assert.deepEqual(cached.onCard.map((c) => [c.subject, c.issuer, c.notBefore, c.notAfter, c.pem]), fresh.onCard.map((c) => [c.subject, c.issuer, c.notBefore, c.notAfter, c.pem]));
  // The card image too: every file and key as a fresh build encodes them (only the PIN's random salt, and so
  // its digest, is the first build's), and the cached card takes the scenario's PIN.
  const files = (s: BuiltScenario) => {
    const { pin: { salt: _salt, hash: _hash, ...tries }, ...rest } = s.card.toState();
    return { ...rest, tries };
  };
  assert.deepEqual(files(cached), files(fresh));
  assert.deepEqual(cached.card.toState().pin, built.card.toState().pin, 'the image is the cached one');
  cached.card.powerOn();
  const verify = Buffer.concat([Buffer.from([0x00, 0x20, 0x00, 0x01, 0x0a]), Buffer.from(cached.pin.padEnd(10, '\xff'), 'latin1')]);
  assert.equal(Buffer.from(cached.card.handle(verify)).toString('hex'), '9000', 'VERIFY with the scenario PIN');
});

test('demo cache: another build of the app or another day in Taipei reuses nothing', async () => {
  const clock = new Date('2026-03-01T02:00:00Z');
  const seed = openDemoCertificateCache(dir, 'build-b', clock);
  await buildNamedScenario('valid', { now: seed.now, cache: seed });
  seed.save();
  const otherBuild = openDemoCertificateCache(dir, 'build-c', clock);
  await buildNamedScenario('valid', { now: otherBuild.now, cache: otherBuild });
  assert.equal(otherBuild.complete(), false);
  const nextDay = new Date('2026-03-01T16:00:00Z'); // 00:00 on 03-02 in Taipei
  assert.equal(taipeiDay(new Date('2026-03-01T15:59:59Z')), '2026-03-01');
  assert.equal(taipeiDay(nextDay), '2026-03-02');
  const tomorrow = openDemoCertificateCache(dir, 'build-b', nextDay);
  assert.equal(tomorrow.now.toISOString(), nextDay.toISOString());
  await buildNamedScenario('valid', { now: tomorrow.now, cache: tomorrow });
  assert.equal(tomorrow.complete(), false);
});

test('demo cache: a corrupt file or an unwritable directory is a normal start', async () => {
  const corrupt = mkdtempSync(join(dir, 'corrupt-'));
  writeFileSync(join(corrupt, 'certificates.json'), '{"format":1,');
  const c = openDemoCertificateCache(corrupt, 'build-a', new Date('2026-03-01T02:00:00Z'));
  const s = await buildNamedScenario('valid', { now: c.now, cache: c });
  assert.equal(s.onCard.length, 2);
  c.save();
  assert.equal(JSON.parse(readFileSync(join(corrupt, 'certificates.json'), 'utf8')).format, 2, 'replaced by a good one');
  const blocked = join(dir, 'a-file');
  writeFileSync(blocked, '');
  const u = openDemoCertificateCache(join(blocked, 'sub'), 'build-a');
  await buildNamedScenario('valid', { now: u.now, cache: u });
  assert.doesNotThrow(() => u.save());
});
