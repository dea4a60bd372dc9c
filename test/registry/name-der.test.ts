/**
 * registry/ocsp-asn1.ts nameDer: a parsed certificate's Name as the bytes pkijs kept (what the CertID's name
 * hash is over) equals pkijs's own decode-and-encode of it, for every certificate openssl made for the tests
 * (RSA and P-256, CAs and leaves, subjects and issuers); a Name built in code has no kept bytes and is
 * encoded; and the CertID built from it is the one pkijs's own encoding gives.
 */
import { after, before, test } from 'node:test';
import assert from 'node:assert/strict';
import { createHash } from 'node:crypto';
import * as asn1js from 'asn1js';
import * as pkijs from 'pkijs';
import { OID, certIdFor, certIdIssuedBy, nameDer } from '../../source/registry/ocsp-asn1.js';
import { makePki, type TestPki } from './openssl-rig.js';

let pki: TestPki;
before(() => {
  pki = makePki();
});
after(() => pki.cleanup());

test('nameDer: the kept bytes of every parsed Name are pkijs\'s own encoding of it; a built Name is encoded', () => {
  for (const name of ['ca', 'fakeca', 'resp', 'noeku', 'outsider']) {
    const cert = pkijs.Certificate.fromBER(new Uint8Array(pki.der(name)));
    for (const which of ['subject', 'issuer'] as const) {
      assert.deepEqual(Buffer.from(nameDer(cert[which])), Buffer.from(cert[which].toSchema().toBER(false)), `${name} ${which}`);
    }
  }
  const built = new pkijs.RelativeDistinguishedNames({
    typesAndValues: [new pkijs.AttributeTypeAndValue({ type: '2.5.4.3', value: new asn1js.Utf8String({ value: '王小明' }) })],
  });
  assert.equal(built.valueBeforeDecode.byteLength, 0);
  assert.deepEqual(Buffer.from(nameDer(built)), Buffer.from(built.toSchema().toBER(false)));
});

test('the CertID of a serial under the CA names the CA by the hash of its encoded subject, SHA-1 and SHA-256', () => {
  const ca = pkijs.Certificate.fromBER(new Uint8Array(pki.caDer));
  const other = pkijs.Certificate.fromBER(new Uint8Array(pki.der('fakeca')));
  for (const hash of [OID.sha1, OID.sha256]) {
    const id = certIdFor('1234ABCD', ca, hash);
    const name = hash === OID.sha1 ? 'sha1' : 'sha256';
    const expected = new Uint8Array(createHash(name).update(new Uint8Array(ca.subject.toSchema().toBER(false))).digest());
    assert.deepEqual(Buffer.from(id.issuerNameHash.valueBlock.valueHexView), Buffer.from(expected));
    assert.equal(certIdIssuedBy(id, ca), true);
    assert.equal(certIdIssuedBy(id, other), false);
  }
});
