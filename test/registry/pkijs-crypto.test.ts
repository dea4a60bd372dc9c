/**
 * registry/pkijs-crypto.ts: pkijs's engine importing each public key once. Over certificates openssl made
 * (an RSA CA, P-256 leaves, a P-256 CA): every verification answers as pkijs's default engine answers (true
 * for each real link, false for a wrong issuer and for a changed signature), and a key is imported once
 * however many signatures it checks (one per key and import parameters: the CA's RSA key, the other CA's
 * P-256 key), counted at the WebCrypto it was given.
 */
import { after, before, test } from 'node:test';
import assert from 'node:assert/strict';
import { webcrypto } from 'node:crypto';
import * as pkijs from 'pkijs';
import { oneImportPerKey } from '../../source/registry/pkijs-crypto.js';
import { makePki, type TestPki } from './openssl-rig.js';

let pki: TestPki;
before(() => {
  pki = makePki();
});
after(() => pki.cleanup());

/** node's WebCrypto with its importKey calls counted. */
function counted(): { crypto: Crypto; imports: () => number } {
  let imports = 0;
  const subtle = new Proxy(webcrypto.subtle, {
    get(target, name) {
      const value = Reflect.get(target, name, target) as unknown;
      if (name === 'importKey') return (...args: Parameters<SubtleCrypto['importKey']>) => (imports++, target.importKey(...args));
      return typeof value === 'function' ? (value as (...a: unknown[]) => unknown).bind(target) : value;
    },
  });
  const crypto = { subtle, getRandomValues: webcrypto.getRandomValues.bind(webcrypto), randomUUID: webcrypto.randomUUID.bind(webcrypto) } as unknown as Crypto;
  return { crypto, imports: () => imports };
}

const parse = (der: Uint8Array) => pkijs.Certificate.fromBER(new Uint8Array(der));

test('the same answers as pkijs\'s default engine, each public key imported once', async () => {
  const { crypto, imports } = counted();
  const engine = oneImportPerKey(crypto);
  const plain = new pkijs.CryptoEngine({ name: 'plain', crypto: webcrypto as unknown as Crypto });
  const ca = parse(pki.caDer);
  const fakeca = parse(pki.der('fakeca'));
  const resp = parse(pki.der('resp'));
  const noeku = parse(pki.der('noeku'));
  const outsider = parse(pki.der('outsider'));
  const changed = new Uint8Array(pki.der('resp'));
  changed[changed.length - 2]! ^= 0x01; // inside the signature value
  const forged = parse(changed);
  const links: Array<[string, pkijs.Certificate, pkijs.Certificate, boolean]> = [
    ['resp by ca', resp, ca, true],
    ['noeku by ca', noeku, ca, true],
    ['ca by itself', ca, ca, true],
    ['resp by ca again', resp, ca, true],
    ['a changed signature', forged, ca, false],
    ['outsider by fakeca (P-256)', outsider, fakeca, true],
    ['outsider by ca: the wrong key', outsider, ca, false],
    ['outsider by fakeca again', outsider, fakeca, true],
  ];
  for (const [label, cert, by, want] of links) {
    assert.equal(await cert.verify(by, engine).catch(() => false), want, label);
    assert.equal(await cert.verify(by, plain).catch(() => false), want, `${label} (pkijs's own engine)`);
  }
  // Two keys: the CA's RSA key (its links, and the outsider's ECDSA-SHA256 one tried with it: the same
  // import parameters, RSA with SHA-256) and the P-256 CA's. pkijs's own engine imports one per verification.
  assert.equal(imports(), 2, `${imports()} imports for ${links.length} verifications`);
  const before = imports();
  for (const [, cert, by] of links) await cert.verify(by, engine).catch(() => false);
  assert.equal(imports(), before, 'nothing imported again');
});
