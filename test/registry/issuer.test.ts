/** Trust by key (issuer.ts): the card's CA and root certificates judged by AKI/SKI and pinned fingerprints. */
import 'reflect-metadata';
import { before, test } from 'node:test';
import assert from 'node:assert/strict';
import { webcrypto } from 'node:crypto';
import * as x509 from '@peculiar/x509';
import { createTestPki, ISSUING_CA_NAME, ROOT_CA_NAME, SIGNING_ALGORITHM, type TestPki } from '../../source/virtual/pki.js';
import { localeCompareCalls } from './locale-compare.js';
import { pooledKeyPair, withCryptoKeys, type KeyMaterial, type KeyPairMaterial } from '../../source/virtual/key-pool.js';
import { assessCardCas, authorityKeyIdOf, ISSUERS, sha256Hex, type CardTrust, type KnownCa } from '../../source/registry/issuer.js';
import { pickIssuer, trustOf } from '../../source/engine/card-access.js';
import { isMoicaError } from '../../source/errors.js';

x509.cryptoProvider.set(webcrypto as unknown as Crypto);

let pki: TestPki;
let other: KeyPairMaterial;
let holderKey: KeyPairMaterial;
const YEAR = 365 * 86_400_000;
const now = new Date();

before(async () => {
  [pki, other, holderKey] = await Promise.all([createTestPki(), pooledKeyPair(5), pooledKeyPair(2)]);
});

const keyIdHex = async (key: KeyMaterial) => (await x509.SubjectKeyIdentifierExtension.create((await withCryptoKeys(key)).publicKey)).keyId.toUpperCase();

/** A CA certificate with chosen key ids, signed by `signer` (a forger can set any SKI/AKI it likes). */
async function caCert(opts: { key: KeyMaterial; signer: KeyMaterial; ski?: string; aki?: string; serial?: string }): Promise<Uint8Array> {
  const cert = await x509.X509CertificateGenerator.create({
    serialNumber: opts.serial ?? '0a',
    subject: ISSUING_CA_NAME,
    issuer: ROOT_CA_NAME,
    notBefore: new Date(now.getTime() - YEAR),
    notAfter: new Date(now.getTime() + YEAR),
    signingAlgorithm: SIGNING_ALGORITHM,
    publicKey: (await withCryptoKeys(opts.key)).publicKey,
    signingKey: (await withCryptoKeys(opts.signer)).privateKey,
    extensions: [
      new x509.BasicConstraintsExtension(true, 0, true),
      new x509.SubjectKeyIdentifierExtension(opts.ski ?? (await keyIdHex(opts.key))),
      new x509.AuthorityKeyIdentifierExtension(opts.aki ?? (await keyIdHex(opts.signer))),
    ],
  });
  return new Uint8Array(cert.rawData);
}

async function holder(signer: KeyMaterial, aki?: string): Promise<Uint8Array> {
  const cert = await x509.X509CertificateGenerator.create({
    serialNumber: '3b7161c40f46488916',
    subject: 'C=TW, CN=holder',
    issuer: ISSUING_CA_NAME,
    notBefore: new Date(now.getTime() - YEAR),
    notAfter: new Date(now.getTime() + YEAR),
    signingAlgorithm: SIGNING_ALGORITHM,
    publicKey: holderKey.publicKey,
    signingKey: (await withCryptoKeys(signer)).privateKey,
    extensions: [new x509.AuthorityKeyIdentifierExtension(aki ?? (await keyIdHex(signer)))],
  });
  return new Uint8Array(cert.rawData);
}

const cardCas = () => [{ der: pki.root.certificate.der }, { der: pki.issuing.certificate.der }];
const inconsistent = (e: unknown) => isMoicaError(e, 'card-inconsistent') && e.detail.area === 'ca-certificates';

test('the card\'s CA chain verifies without String#localeCompare (the self-signed root\'s names compared by their DER: registry/names.ts)', async () => {
  const h = await holder(pki.issuing.key);
  let trust: CardTrust | undefined;
  const calls = await localeCompareCalls(async () => {
    trust = await assessCardCas(cardCas(), { holderDers: [h] }) as CardTrust;
  });
  assert.equal(trust?.chain, 'verified');
  assert.equal(calls, 0);
});

test('the virtual card\'s test PKI: unknown CA, reported as such, chain verified, holders checked against it', async () => {
  const h = await holder(pki.issuing.key);
  const trust = await assessCardCas(cardCas(), { holderDers: [h] }) as CardTrust;
  assert.equal(trust.issuer, 'unknown');
  assert.equal(trust.generation, null);
  assert.equal(trust.chain, 'verified');
  assert.equal(trust.holdersVerified, 1);
  assert.equal(trust.keyId, await keyIdHex(pki.issuing.key));
  assert.equal(trust.keyId, authorityKeyIdOf(h));
  assert.deepEqual(trust.caDer, pki.issuing.certificate.der);
  assert.equal(trust.root?.sha256, sha256Hex(pki.root.certificate.der));
  assert.equal(trust.ocspUrl, null);
  // the order on the card does not matter: roots are told by key (self-issued), not by position or name
  const reversed = await assessCardCas([...cardCas()].reverse()) as CardTrust;
  assert.deepEqual(reversed.caDer, pki.issuing.certificate.der);
});

test('a CA whose key id and fingerprint are pinned is known: generation, OCSP and CRL URLs from the table', async () => {
  const keyId = await keyIdHex(pki.issuing.key);
  const issuers: Record<string, KnownCa> = {
    [keyId]: { ...ISSUERS.FA9B3467090A9822F762488B8226A645C5C322A4!, keyId, sha256: sha256Hex(pki.issuing.certificate.der) },
  };
  const roots = [{ name: 'GRCA-G2', sha256: sha256Hex(pki.root.certificate.der), keyId: null }];
  const trust = await assessCardCas(cardCas(), { issuers, roots }) as CardTrust;
  assert.equal(trust.issuer, 'known');
  assert.equal(trust.generation, 'G2');
  assert.equal(trust.name, 'MOICA-G2');
  assert.equal(trust.root?.name, 'GRCA-G2');
  assert.equal(trust.ocspUrl, 'http://moica.nat.gov.tw/cgi-bin/OCSP/ocsp_server.exe');
  assert.equal(trust.crlUrl, 'https://moica.nat.gov.tw/repository/MOICA/CRL2/complete.crl');
});

test('a CA that claims a pinned key id (MOICA-G2\'s) with another fingerprint: card-inconsistent', async () => {
  const fake = await caCert({ key: pki.issuing.key, signer: pki.root.key, ski: 'FA9B3467090A9822F762488B8226A645C5C322A4' });
  await assert.rejects(assessCardCas([{ der: pki.root.certificate.der }, { der: fake }]), (e) => inconsistent(e) && /MOICA-G2/.test((e as Error).message));
  // a test table pinning the test CA to another fingerprint, likewise
  const keyId = await keyIdHex(pki.issuing.key);
  const issuers = { [keyId]: { ...ISSUERS['4720A3B1264BCD6D48ACF2640886972C7454115F']!, keyId } };
  await assert.rejects(assessCardCas(cardCas(), { issuers }), inconsistent);
  // a root claiming GRCA-G3's key id
  const fakeRoot = await x509.X509CertificateGenerator.createSelfSigned({
    serialNumber: '01', name: ROOT_CA_NAME, notBefore: new Date(now.getTime() - YEAR), notAfter: new Date(now.getTime() + YEAR),
    signingAlgorithm: SIGNING_ALGORITHM, keys: await withCryptoKeys(pki.root.key),
    extensions: [new x509.SubjectKeyIdentifierExtension('3A908EE741471973DC9CBDA37ED83D3E83091F03')],
  });
  await assert.rejects(assessCardCas([{ der: new Uint8Array(fakeRoot.rawData) }]), (e) => inconsistent(e) && /GRCA-G3/.test((e as Error).message));
});

test('a CA not signed by the root it names, a root whose self-signature fails, a CA area that does not parse: card-inconsistent', async () => {
  const forged = await caCert({ key: pki.issuing.key, signer: other, aki: await keyIdHex(pki.root.key) });
  await assert.rejects(assessCardCas([{ der: pki.root.certificate.der }, { der: forged }]), inconsistent);
  const root = new Uint8Array(pki.root.certificate.der);
  root[root.length - 5]! ^= 0x01; // inside the signature value
  await assert.rejects(assessCardCas([{ der: root }, { der: pki.issuing.certificate.der }]), inconsistent);
  await assert.rejects(assessCardCas([{ der: pki.root.certificate.der }, { der: pki.issuing.certificate.der.slice(0, 100) }]), inconsistent);
});

test('a holder certificate that names the CA but was signed by another key: card-inconsistent', async () => {
  const h = await holder(other, await keyIdHex(pki.issuing.key));
  await assert.rejects(assessCardCas(cardCas(), { holderDers: [h] }), inconsistent);
});

test('several issuing CAs: told apart by the holder\'s AKI, read only on that path', async () => {
  const second = await caCert({ key: other, signer: pki.root.key, serial: '0b' });
  const cas = [...cardCas(), { der: second }];
  assert.equal(await assessCardCas(cas), 'ambiguous');
  let reads = 0;
  const h = await holder(other);
  const trust = await trustOf(cas, async () => { reads++; return h; });
  assert.equal(reads, 1);
  assert.deepEqual(trust.caDer, second);
  assert.equal(trust.holdersVerified, 1);
  // the common case (one issuing CA) reads no holder certificate
  let noReads = 0;
  const common = await pickIssuer({} as never, cardCas(), async () => { noReads++; return h; });
  assert.equal(noReads, 0);
  assert.deepEqual(common, pki.issuing.certificate.der);
});
