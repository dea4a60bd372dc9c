/**
 * registry/ocsp-asn1.ts parseCertificate: one pkijs parse per certificate's bytes (a check parses the card's
 * CA for its chain and again for each OCSP wave; the demo's responder too). The same bytes, in any buffer,
 * give the same object, read the same as a fresh parse; other bytes another; bad DER throws every time
 * (nothing kept); the kept set is bounded, the oldest going first.
 */
import { after, before, test } from 'node:test';
import assert from 'node:assert/strict';
import * as pkijs from 'pkijs';
import { parseCertificate } from '../../source/registry/ocsp-asn1.js';
import { makePki, type TestPki } from './openssl-rig.js';

let pki: TestPki;
before(() => {
  pki = makePki();
});
after(() => pki.cleanup());

/** The DER with its last byte (inside the signature value) changed: other bytes that still parse. */
function variant(der: Uint8Array, n: number): Uint8Array {
  const copy = new Uint8Array(der);
  copy[copy.length - 1] = (copy[copy.length - 1]! + n) % 256;
  return copy;
}

test('the same bytes give the same parsed object, whatever buffer holds them', () => {
  const a = parseCertificate(pki.caDer);
  const inBigger = new Uint8Array(pki.caDer.length + 8);
  inBigger.set(pki.caDer, 4);
  const b = parseCertificate(inBigger.subarray(4, 4 + pki.caDer.length));
  assert.equal(b, a);
  const fresh = pkijs.Certificate.fromBER(new Uint8Array(pki.caDer));
  assert.deepEqual(Buffer.from(a.serialNumber.valueBlock.valueHexView), Buffer.from(fresh.serialNumber.valueBlock.valueHexView));
  assert.equal(a.subject.typesAndValues.map((t) => t.value.valueBlock.value).join(','), fresh.subject.typesAndValues.map((t) => t.value.valueBlock.value).join(','));
  assert.deepEqual(Buffer.from(a.tbsView), Buffer.from(fresh.tbsView));
});

test('other bytes give another object', () => {
  assert.notEqual(parseCertificate(pki.der('resp')), parseCertificate(pki.caDer));
  assert.notEqual(parseCertificate(variant(pki.caDer, 1)), parseCertificate(pki.caDer));
});

test('bad DER throws each time: a failure is not kept', () => {
  const bad = new Uint8Array([0x30, 0x03, 0x02, 0x01]);
  assert.throws(() => parseCertificate(bad));
  assert.throws(() => parseCertificate(bad));
});

test('the kept set is bounded: the oldest is parsed again after sixteen others', () => {
  const first = variant(pki.caDer, 100);
  const kept = parseCertificate(first);
  for (let i = 0; i < 15; i++) parseCertificate(variant(pki.caDer, 101 + i));
  assert.equal(parseCertificate(first), kept, 'still among the last sixteen');
  for (let i = 0; i < 16; i++) parseCertificate(variant(pki.caDer, 120 + i));
  const again = parseCertificate(first);
  assert.notEqual(again, kept, 'dropped, so parsed again');
  assert.deepEqual(Buffer.from(again.tbsView), Buffer.from(kept.tbsView));
});
