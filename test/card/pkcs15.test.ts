import { test } from 'node:test';
import assert from 'node:assert/strict';
import { parseCdf, parsePukdf, idText } from '../../source/card/pkcs15.js';
import { parseCertificateHeader } from '../../source/card/certificate-header.js';
import { reverseWords, spkiFromKeyRecords } from '../../source/card/keys.js';
import { rewriteCdf } from '../../source/card/pkcs15.js';
import { isMoicaError } from '../../source/errors.js';
import { virtualCard } from './helpers.js';

test('the CDF parses the same with [1] typeAttributes tagged explicitly or implicitly', async () => {
  const results = [];
  for (const tagging of ['explicit', 'implicit'] as const) {
    const { scenario } = await virtualCard('valid', { tagging });
    const file = scenario.card.readFile('5030/4104');
    results.push({ tagging, entries: parseCdf(file) });
    const entries = parseCdf(file);
    assert.deepEqual(entries.map((e) => [idText(e.id), e.authority]), [['ROOTCA', true], ['MOICA', true], ['SIGN', false], ['KEYX', false]]);
    assert.deepEqual(entries.map((e) => e.location.index), [0x0000, 0x0700, 0x0e00, 0x1500]);
    assert.ok(entries.every((e) => e.location.path.join() === [0x3f00, 0x5030, 0x08f2].join()));
    assert.equal(entries[2]!.location.length, scenario.onCard[0].der.length);
    assert.equal(entries[2]!.serialNumber, scenario.onCard[0].serialNumber);
    assert.equal(entries[3]!.serialNumber, scenario.onCard[1].serialNumber);
    assert.match(entries[2]!.subject ?? '', /王小明/);
    assert.match(entries[2]!.issuer ?? '', /內政部憑證管理中心/);
    const keys = parsePukdf(scenario.card.readFile('5030/4101'));
    assert.deepEqual(keys.map((k) => [idText(k.id), k.keyReference, k.location.path.at(-1), k.modulusLength]), [['SIGN', 1, 0x0810, 2048], ['KEYX', 5, 0x0811, 2048]]);
  }
  // The two encodings really differ on the card.
  const [a, b] = results;
  assert.notDeepEqual(Buffer.from(a!.entries[0]!.der), Buffer.from(b!.entries[0]!.der));
});

test('rewriting a CDF entry changes its serial and length only, keeps the others, updates the trailer', async () => {
  const { scenario } = await virtualCard('rewrite');
  const file = scenario.card.readFile('5030/4104');
  const before = parseCdf(file);
  const serial = Buffer.from('5E2A9C0B13D47F6688A1', 'hex');
  const out = rewriteCdf(file, before[2]!, serial, 1234);
  const after = parseCdf(out);
  assert.equal(after[2]!.serialNumber, '5E2A9C0B13D47F6688A1');
  assert.equal(after[2]!.location.length, 1234);
  assert.equal(after[2]!.subject, before[2]!.subject);
  for (const i of [0, 1, 3]) assert.deepEqual(Buffer.from(after[i]!.der), Buffer.from(before[i]!.der));
  const used = after.at(-1)!.offset + after.at(-1)!.der.length;
  assert.equal(out[out.length - 2]! | (out[out.length - 1]! << 8), used);
  assert.ok(out.subarray(used, out.length - 2).every((x) => x === 0), 'padding stays zero');
});

test('a certificate header gives serial and validity from its first bytes; truncated bytes say how many more', async () => {
  const { scenario } = await virtualCard('valid');
  const der = scenario.onCard[1].der;
  const whole = parseCertificateHeader(der);
  assert.ok('done' in whole);
  assert.equal(whole.done.serialNumber, scenario.onCard[1].serialNumber);
  assert.equal(whole.done.notAfter.getTime(), scenario.onCard[1].notAfter.getTime());
  assert.equal(whole.done.totalLength, der.length);
  const short = parseCertificateHeader(der.subarray(0, 40));
  assert.ok('needBytes' in short && short.needBytes > 40);
  assert.throws(() => parseCertificateHeader(Uint8Array.of(0x04, 0x01, 0x00)), (e) => isMoicaError(e, 'card-answer-invalid'));
});

test('key records: words reversed into the modulus, exponent from bytes 1-4; bad records are typed errors', async () => {
  assert.deepEqual([...reverseWords(Uint8Array.of(1, 2, 3, 4, 5, 6, 7, 8))], [5, 6, 7, 8, 1, 2, 3, 4]);
  const { scenario } = await virtualCard('valid');
  const spki = scenario.holderKeys.KEYX.spki;
  const { createPublicKey } = await import('node:crypto');
  const jwk = createPublicKey({ key: Buffer.from(spki), format: 'der', type: 'spki' }).export({ format: 'jwk' });
  const n = Buffer.from(jwk.n!, 'base64url');
  const reversed = reverseWords(new Uint8Array(n));
  const rec = (no: number, body: Uint8Array) => Uint8Array.of(no, ...body);
  const exponent = new Uint8Array(128);
  exponent.set([0, 1, 0, 1]);
  const out = spkiFromKeyRecords(5, rec(5, exponent), rec(7, reversed.subarray(0, 128)), rec(8, reversed.subarray(128)));
  assert.deepEqual(Buffer.from(out), Buffer.from(spki));
  assert.throws(() => spkiFromKeyRecords(5, rec(6, exponent), rec(7, reversed.subarray(0, 128)), rec(8, reversed.subarray(128))), (e) => isMoicaError(e, 'card-answer-invalid'));
  assert.throws(() => spkiFromKeyRecords(5, exponent, rec(7, reversed.subarray(0, 128)), rec(8, reversed.subarray(128))), (e) => isMoicaError(e, 'card-answer-invalid'));
});

test('a CDF that is not PKCS#15 is card-answer-invalid, not a crash', () => {
  assert.throws(() => parseCdf(Uint8Array.of(0x30, 0x03, 0x02, 0x01, 0x01)), (e) => isMoicaError(e, 'card-answer-invalid'));
});
