/**
 * A test PKI made at run time: a root CA, an issuing CA named like MOICA's, and holder certificates
 * with the serial numbers and dates a test chooses. Everything is exported as DER and PEM (certificates
 * and PKCS#8 keys) so that tests can hand it to `openssl ocsp` as CA and responder.
 */
import { createHash, webcrypto } from 'node:crypto';
import { mkdir, writeFile } from 'node:fs/promises';
import { join } from 'node:path';
import type * as X509 from '@peculiar/x509';
import { pooledKeyMaterial, withCryptoKeys, type KeyMaterial, type KeyPairMaterial } from './key-pool.js';
import { normalizeSerial, serialToHexOctets } from './serial.js';
import { toPem } from './pem.js';
import type { VirtualCardState } from './image.js';

export { toPem };

type X509Lib = Omit<typeof X509, 'default'>;
let x509Lib: Promise<X509Lib> | undefined;
/**
 * @peculiar/x509, loaded when a certificate is to be built: a start whose certificates are all in the
 * cache (the demo's, demo-cache.ts) loads none of it (≈ 45 ms: issue 15).
 */
function loadX509(): Promise<X509Lib> {
  x509Lib ??= (async () => {
    await import('reflect-metadata');
    // A CommonJS package: its exports are the default export of the bundle's chunk (and of node's own import).
    const loaded = await import('@peculiar/x509');
    const x509: X509Lib = loaded.default ?? loaded;
    x509.cryptoProvider.set(webcrypto as unknown as Crypto);
    return x509;
  })();
  return x509Lib;
}

export const SIGNING_ALGORITHM = { name: 'RSASSA-PKCS1-v1_5', hash: 'SHA-256' } as const;
export const ROOT_CA_NAME = 'C=TW, O=行政院, OU=政府憑證總管理中心 test';
export const ISSUING_CA_NAME = 'C=TW, O=行政院, OU=內政部憑證管理中心 test';
export const DEFAULT_OCSP_URL = 'http://127.0.0.1:9/ocsp';
/** The holders' CRL Distribution Point unless a test names its own loopback server (port 9: nobody listens). */
export const DEFAULT_CRL_URL = 'http://127.0.0.1:9/crl/test-ca.crl';

export interface IssuedCertificate {
  /** Upper-case hex without leading zeros. */
  serialNumber: string;
  der: Uint8Array;
  pem: string;
  subject: string;
  issuer: string;
  notBefore: Date;
  notAfter: Date;
}

export interface CertificateAuthority {
  certificate: IssuedCertificate;
  /** The CA's key (its CryptoKeys: withCryptoKeys, key-pool.ts). */
  key: KeyMaterial;
}

export interface HolderCertificateRequest {
  serialNumber: string;
  holderName: string;
  /** The subject's serialNumber attribute (2.5.4.5), as MOICA holder certificates carry one. */
  subjectSerialNumber?: string;
  usage: 'signature' | 'encryption';
  notBefore: Date;
  notAfter: Date;
  /** The holder's key: its CryptoKeys are imported only if the certificate is built (not cached). */
  key: KeyMaterial;
}

export interface TestPki {
  root: CertificateAuthority;
  issuing: CertificateAuthority;
  ocspUrl: string;
  /** The URLs the holder certificates name in CRL Distribution Points (empty: no CDP extension). */
  crlUrls: string[];
  issueHolder(request: HolderCertificateRequest): Promise<IssuedCertificate>;
  /** Writes root.pem, ca.pem, ca.key (PKCS#8 PEM) and chain.pem into dir; returns their paths. */
  writePemFiles(dir: string): Promise<{ root: string; ca: string; caKey: string; chain: string }>;
}

function describe(certificate: X509.X509Certificate, serialNumber: string): IssuedCertificate {
  const der = new Uint8Array(certificate.rawData);
  return {
    serialNumber,
    der,
    pem: toPem(der, 'CERTIFICATE'),
    subject: certificate.subject,
    issuer: certificate.issuer,
    notBefore: certificate.notBefore,
    notAfter: certificate.notAfter,
  };
}

async function keyIdentifiers(x509: X509Lib, subjectKey: KeyPairMaterial, issuerKey: KeyPairMaterial): Promise<X509.Extension[]> {
  return [
    await x509.SubjectKeyIdentifierExtension.create(subjectKey.publicKey),
    await x509.AuthorityKeyIdentifierExtension.create(issuerKey.publicKey),
  ];
}

/**
 * Certificates built before, by a key over every input of the build (demo-cache.ts keeps them on disk
 * for the demo). RSASSA-PKCS1-v1_5 signatures are deterministic, so a hit is the very certificate the
 * build would make again.
 */
export interface CertificateCache {
  get(key: string): IssuedCertificate | undefined;
  set(key: string, certificate: IssuedCertificate): void;
  /**
   * Card images built before (scenario.ts), by a key over every input of the image: their PKCS#15
   * directories and certificate area are then not encoded again. Optional: the certificates alone work.
   */
  getImage?(key: string): VirtualCardState | undefined;
  setImage?(key: string, image: VirtualCardState): void;
}

/**
 * Every input of one certificate: what it certifies, who signs, the dates and the URLs it carries. The two
 * keys by their PKCS#8 (which fixes the public key too), so that a hit derives no public key.
 */
function cacheKey(inputs: Record<string, unknown>, subjectKey: KeyMaterial, signingKey: KeyMaterial): string {
  const hex = (b: Uint8Array) => Buffer.from(b).toString('hex');
  const canonical = JSON.stringify({ ...inputs, subjectKey: hex(subjectKey.pkcs8), signerKey: hex(signingKey.pkcs8) }, (_k, v: unknown) =>
    v instanceof Date ? v.toISOString() : v);
  return createHash('sha256').update(canonical).digest('hex');
}

async function generate(
  cache: CertificateCache | undefined,
  inputs: Record<string, unknown>,
  keys: { subject: KeyMaterial; signer: KeyMaterial },
  serialNumber: string,
  make: (x509: X509Lib, keys: { subject: KeyPairMaterial; signer: KeyPairMaterial }) => Promise<X509.X509Certificate>,
): Promise<IssuedCertificate> {
  const key = cache === undefined ? '' : cacheKey(inputs, keys.subject, keys.signer);
  const hit = cache?.get(key);
  if (hit !== undefined) return hit;
  const [x509, subject, signer] = await Promise.all([loadX509(), withCryptoKeys(keys.subject), withCryptoKeys(keys.signer)]);
  const certificate = describe(await make(x509, { subject, signer }), serialNumber);
  cache?.set(key, certificate);
  return certificate;
}

export interface TestPkiOptions {
  /** Certificates built before (the demo's cache); none: every certificate is built. */
  cache?: CertificateCache;
  /** The holders' AIA OCSP URL. */
  ocspUrl?: string;
  /** The holders' CRL Distribution Points (default one: DEFAULT_CRL_URL; [] for none). */
  crlUrls?: string[];
  /** The holders' AIA caIssuers URL (none by default). */
  caIssuersUrl?: string;
  now?: Date;
  /** Key pool indices for the two CAs (holders pick their own). */
  rootKeyIndex?: number;
  issuingKeyIndex?: number;
}

export async function createTestPki(options: TestPkiOptions = {}): Promise<TestPki> {
  const now = options.now ?? new Date();
  const ocspUrl = options.ocspUrl ?? DEFAULT_OCSP_URL;
  const crlUrls = options.crlUrls ?? [DEFAULT_CRL_URL];
  const [rootKey, issuingKey] = await Promise.all([
    pooledKeyMaterial(options.rootKeyIndex ?? 0),
    pooledKeyMaterial(options.issuingKeyIndex ?? 1),
  ]);
  const year = 365 * 86_400_000;

  const rootSerial = '1';
  const rootDates = { notBefore: new Date(now.getTime() - 10 * year), notAfter: new Date(now.getTime() + 20 * year) };
  const rootCertificate = await generate(options.cache, { kind: 'root', serial: rootSerial, subject: ROOT_CA_NAME, ...rootDates }, { subject: rootKey, signer: rootKey }, rootSerial, async (x509, keys) => x509.X509CertificateGenerator.create({
    serialNumber: serialToHexOctets(rootSerial),
    subject: ROOT_CA_NAME,
    issuer: ROOT_CA_NAME,
    ...rootDates,
    signingAlgorithm: SIGNING_ALGORITHM,
    publicKey: keys.subject.publicKey,
    signingKey: keys.signer.privateKey,
    extensions: [
      new x509.BasicConstraintsExtension(true, undefined, true),
      new x509.KeyUsagesExtension(x509.KeyUsageFlags.keyCertSign | x509.KeyUsageFlags.cRLSign, true),
      await x509.SubjectKeyIdentifierExtension.create(keys.subject.publicKey),
    ],
  }));
  const issuingSerial = '2';
  const issuingDates = { notBefore: new Date(now.getTime() - 9 * year), notAfter: new Date(now.getTime() + 15 * year) };
  const issuingCertificate = await generate(options.cache, { kind: 'issuing', serial: issuingSerial, subject: ISSUING_CA_NAME, ...issuingDates }, { subject: issuingKey, signer: rootKey }, issuingSerial, async (x509, keys) => x509.X509CertificateGenerator.create({
    serialNumber: serialToHexOctets(issuingSerial),
    subject: ISSUING_CA_NAME,
    issuer: ROOT_CA_NAME,
    ...issuingDates,
    signingAlgorithm: SIGNING_ALGORITHM,
    publicKey: keys.subject.publicKey,
    signingKey: keys.signer.privateKey,
    extensions: [
      new x509.BasicConstraintsExtension(true, 0, true),
      new x509.KeyUsagesExtension(x509.KeyUsageFlags.keyCertSign | x509.KeyUsageFlags.cRLSign, true),
      ...(await keyIdentifiers(x509, keys.subject, keys.signer)),
    ],
  }));
  const root: CertificateAuthority = { certificate: rootCertificate, key: rootKey };
  const issuing: CertificateAuthority = { certificate: issuingCertificate, key: issuingKey };

  return {
    root,
    issuing,
    ocspUrl,
    crlUrls,
    async issueHolder(request) {
      const { key: _key, ...described } = request;
      const inputs = { kind: 'holder', ...described, ocspUrl, crlUrls, caIssuersUrl: options.caIssuersUrl ?? null };
      return generate(options.cache, inputs, { subject: request.key, signer: issuingKey }, normalizeSerial(request.serialNumber), async (x509, keys) => x509.X509CertificateGenerator.create({
        serialNumber: serialToHexOctets(request.serialNumber),
        subject: `C=TW, CN=${request.holderName}` +
          (request.subjectSerialNumber ? `, 2.5.4.5=${request.subjectSerialNumber}` : ''),
        issuer: ISSUING_CA_NAME,
        notBefore: request.notBefore,
        notAfter: request.notAfter,
        signingAlgorithm: SIGNING_ALGORITHM,
        publicKey: keys.subject.publicKey,
        signingKey: keys.signer.privateKey,
        extensions: [
          new x509.KeyUsagesExtension(request.usage === 'signature'
            ? x509.KeyUsageFlags.digitalSignature | x509.KeyUsageFlags.nonRepudiation
            : x509.KeyUsageFlags.keyEncipherment | x509.KeyUsageFlags.dataEncipherment, true),
          new x509.AuthorityInfoAccessExtension({ ocsp: [ocspUrl], ...(options.caIssuersUrl ? { caIssuers: [options.caIssuersUrl] } : {}) }),
          ...(crlUrls.length > 0 ? [new x509.CRLDistributionPointsExtension(crlUrls)] : []),
          ...(await keyIdentifiers(x509, keys.subject, keys.signer)),
        ],
      }));
    },
    async writePemFiles(dir) {
      await mkdir(dir, { recursive: true });
      const paths = {
        root: join(dir, 'root.pem'),
        ca: join(dir, 'ca.pem'),
        caKey: join(dir, 'ca.key'),
        chain: join(dir, 'chain.pem'),
      };
      await writeFile(paths.root, root.certificate.pem);
      await writeFile(paths.ca, issuing.certificate.pem);
      await writeFile(paths.caKey, issuing.key.pkcs8Pem, { mode: 0o600 });
      await writeFile(paths.chain, issuing.certificate.pem + root.certificate.pem);
      return paths;
    },
  };
}
