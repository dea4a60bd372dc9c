/**
 * A CRL (RFC 5280 §5) read without building it: the G2 complete CRL is ≈ 20 MB with ≈ 412,000 entries,
 * and finding two serials in it must not make 412,000 objects. The DER is walked in place (tag and
 * length headers only, no allocation per entry); asn1js/pkijs parse only the small parts: the times, the
 * CRL extensions, the matched entries, the signature algorithm. The signature is verified with node's
 * crypto over the TBSCertList bytes as they are (a view, not a copy), with the CA's key.
 *
 *   CertificateList ::= SEQUENCE { tbsCertList, signatureAlgorithm, signatureValue BIT STRING }
 *   TBSCertList ::= SEQUENCE { version INTEGER OPTIONAL, signature AlgorithmIdentifier, issuer Name,
 *     thisUpdate Time, nextUpdate Time OPTIONAL, revokedCertificates SEQUENCE OF SEQUENCE {
 *     userCertificate INTEGER, revocationDate Time, crlEntryExtensions Extensions OPTIONAL } OPTIONAL,
 *     crlExtensions [0] EXPLICIT Extensions OPTIONAL }
 */
import { createHash, createPublicKey, verify as verifySignature, type KeyObject } from 'node:crypto';
import * as asn1js from 'asn1js';
import * as pkijs from 'pkijs';
import { MoicaError } from '../errors.js';
import { CRL_REASONS } from './ocsp-asn1.js';
import { serialFromIntegerBytes, serialToIntegerBytes } from '../domain/serial.js';

const OID = {
  crlNumber: '2.5.29.20',
  reasonCode: '2.5.29.21',
  invalidityDate: '2.5.29.24',
  deltaCrlIndicator: '2.5.29.27',
  issuingDistributionPoint: '2.5.29.28',
  authorityKeyIdentifier: '2.5.29.35',
  subjectKeyIdentifier: '2.5.29.14',
} as const;

/** Signature algorithms by OID: the hash node's verify takes (RSA PKCS#1 v1.5 and ECDSA). */
const SIGNATURE_HASH: Record<string, string> = {
  '1.2.840.113549.1.1.5': 'sha1',
  '1.2.840.113549.1.1.11': 'sha256',
  '1.2.840.113549.1.1.12': 'sha384',
  '1.2.840.113549.1.1.13': 'sha512',
  '1.2.840.10045.4.3.2': 'sha256',
  '1.2.840.10045.4.3.3': 'sha384',
  '1.2.840.10045.4.3.4': 'sha512',
};

const invalid = (message: string, detail: Record<string, unknown> = {}) => new MoicaError('crl-invalid', message, detail);

// The last header read by `header()`: module scratch, so the entry loop allocates nothing.
let hTag = 0;
let hStart = 0;
let hEnd = 0;
/** hTag through a call: TypeScript would otherwise narrow it across header() calls that change it. */
const tagRead = (): number => hTag;

/** Reads one DER tag-length header at `off` (within `limit`) into hTag/hStart/hEnd. */
function header(buf: Uint8Array, off: number, limit: number): void {
  if (off + 2 > limit) throw invalid('The CRL is truncated.');
  const tag = buf[off]!;
  if ((tag & 0x1f) === 0x1f) throw invalid('The CRL uses a tag form DER CRLs do not.');
  let len = buf[off + 1]!;
  let p = off + 2;
  if (len & 0x80) {
    const n = len & 0x7f;
    if (n === 0 || n > 4) throw invalid('The CRL has an indefinite or oversized length (not DER).');
    if (p + n > limit) throw invalid('The CRL is truncated.');
    len = 0;
    for (let i = 0; i < n; i++) len = len * 256 + buf[p++]!;
  }
  if (p + len > limit) throw invalid('The CRL is truncated.');
  hTag = tag;
  hStart = p;
  hEnd = p + len;
}

function expect(buf: Uint8Array, off: number, limit: number, tag: number, what: string): void {
  header(buf, off, limit);
  if (tagRead() !== tag) throw invalid(`The CRL's ${what} is not where it should be.`);
}

const isTime = (tag: number) => tag === 0x17 || tag === 0x18;

function timeAt(buf: Uint8Array, start: number, end: number): Date {
  const parsed = asn1js.fromBER(buf.subarray(start, end));
  const block = parsed.result;
  if (parsed.offset === -1 || !(block instanceof asn1js.UTCTime || block instanceof asn1js.GeneralizedTime)) throw invalid('A CRL time does not parse.');
  const date = block.toDate();
  if (Number.isNaN(date.getTime())) throw invalid('A CRL time is not a date.');
  return date;
}

export interface CrlLayout {
  /** The TBSCertList's whole TLV (what the signature covers). */
  tbsStart: number;
  tbsEnd: number;
  thisUpdate: Date;
  nextUpdate: Date | null;
  /** Contents of revokedCertificates (empty range when there are none). */
  revokedStart: number;
  revokedEnd: number;
  crlNumber: string | null;
  /** The CRL's AKI (the signing CA's key id), upper-case hex. */
  authorityKeyId: string | null;
  /** True when it carries an issuingDistributionPoint (a partition of the CA's CRL). */
  partitioned: boolean;
  signatureOid: string;
  signature: Uint8Array;
}

/** Walks the CRL's structure: offsets of the parts, the small parts parsed. Throws crl-invalid. */
export function layoutOf(der: Uint8Array): CrlLayout {
  expect(der, 0, der.length, 0x30, 'outer SEQUENCE');
  if (hEnd !== der.length) throw invalid('The CRL has bytes after its end, or is truncated.', { declared: hEnd, got: der.length });
  const outerEnd = hEnd;
  const tbsStart = hStart;
  expect(der, tbsStart, outerEnd, 0x30, 'TBSCertList');
  const tbsEnd = hEnd;
  let p = hStart;
  header(der, p, tbsEnd);
  if (tagRead() === 0x02) { p = hEnd; header(der, p, tbsEnd); } // version
  if (tagRead() !== 0x30) throw invalid('The CRL\'s inner signature algorithm is missing.');
  const innerAlg = der.subarray(p, hEnd);
  p = hEnd;
  expect(der, p, tbsEnd, 0x30, 'issuer');
  p = hEnd;
  header(der, p, tbsEnd);
  if (!isTime(tagRead())) throw invalid('The CRL has no thisUpdate.');
  const thisUpdate = timeAt(der, p, hEnd);
  p = hEnd;
  let nextUpdate: Date | null = null;
  let revokedStart = p;
  let revokedEnd = p;
  let extensions: Uint8Array | undefined;
  while (p < tbsEnd) {
    header(der, p, tbsEnd);
    if (isTime(tagRead()) && nextUpdate === null && revokedEnd === revokedStart) nextUpdate = timeAt(der, p, hEnd);
    else if (tagRead() === 0x30) { revokedStart = hStart; revokedEnd = hEnd; } else if (tagRead() === 0xa0) extensions = der.subarray(hStart, hEnd);
    else throw invalid('The CRL holds an unexpected field.');
    p = hEnd;
  }

  let crlNumber: string | null = null;
  let authorityKeyId: string | null = null;
  let partitioned = false;
  if (extensions !== undefined) {
    const parsed = asn1js.fromBER(extensions);
    if (parsed.offset === -1 || !(parsed.result instanceof asn1js.Sequence)) throw invalid('The CRL\'s extensions do not parse.');
    for (const block of parsed.result.valueBlock.value) {
      const ext = new pkijs.Extension({ schema: block });
      const value = new Uint8Array(ext.extnValue.valueBlock.valueHexView);
      if (ext.extnID === OID.deltaCrlIndicator) throw invalid('This is a delta CRL, not a complete one.');
      if (ext.extnID === OID.crlNumber) {
        const n = asn1js.fromBER(value).result;
        if (n instanceof asn1js.Integer) crlNumber = serialFromIntegerBytes(new Uint8Array(n.valueBlock.valueHexView));
      } else if (ext.extnID === OID.authorityKeyIdentifier) {
        const aki = ext.parsedValue as pkijs.AuthorityKeyIdentifier | undefined;
        if (aki?.keyIdentifier) authorityKeyId = Buffer.from(aki.keyIdentifier.valueBlock.valueHexView).toString('hex').toUpperCase();
      } else if (ext.extnID === OID.issuingDistributionPoint) {
        partitioned = true;
      } else if (ext.critical) {
        throw invalid(`The CRL has a critical extension this tool does not know (${ext.extnID}).`);
      }
    }
  }

  p = tbsEnd;
  expect(der, p, outerEnd, 0x30, 'signature algorithm');
  const outerAlg = der.subarray(p, hEnd);
  if (!Buffer.from(outerAlg).equals(Buffer.from(innerAlg))) throw invalid('The CRL names two different signature algorithms.');
  const alg = asn1js.fromBER(outerAlg).result as asn1js.Sequence;
  const oid = (alg.valueBlock.value[0] as asn1js.ObjectIdentifier | undefined)?.valueBlock.toString();
  p = hEnd;
  expect(der, p, outerEnd, 0x03, 'signature');
  if (hEnd !== outerEnd || hEnd - hStart < 2 || der[hStart] !== 0) throw invalid('The CRL\'s signature value is malformed.');
  return {
    tbsStart, tbsEnd, thisUpdate, nextUpdate, revokedStart, revokedEnd, crlNumber, authorityKeyId, partitioned,
    signatureOid: oid ?? '', signature: der.subarray(hStart + 1, hEnd),
  };
}

/** The CA's key as node's crypto takes it, from its certificate's DER. */
export function caPublicKey(caDer: Uint8Array): { key: KeyObject; keyId: string | null; keySha256: string } {
  const cert = pkijs.Certificate.fromBER(new Uint8Array(caDer));
  const spki = new Uint8Array(cert.subjectPublicKeyInfo.toSchema().toBER(false));
  const ski = cert.extensions?.find((e) => e.extnID === OID.subjectKeyIdentifier)?.parsedValue as unknown;
  return {
    key: createPublicKey({ key: Buffer.from(spki), format: 'der', type: 'spki' }),
    keyId: ski instanceof asn1js.OctetString ? Buffer.from(ski.valueBlock.valueHexView).toString('hex').toUpperCase() : null,
    keySha256: createHash('sha256').update(spki).digest('hex'),
  };
}

/** Throws crl-bad-signature unless the CA's key signed the TBSCertList (crl-invalid for an unknown algorithm). */
export function verifyCrlSignature(der: Uint8Array, layout: CrlLayout, ca: { key: KeyObject; keyId: string | null }): void {
  if (layout.authorityKeyId !== null && ca.keyId !== null && layout.authorityKeyId !== ca.keyId) {
    throw new MoicaError('crl-bad-signature', `The CRL names another CA key (${layout.authorityKeyId}) than the card's CA (${ca.keyId}).`);
  }
  const hash = SIGNATURE_HASH[layout.signatureOid];
  if (hash === undefined) throw invalid(`The CRL's signature algorithm (${layout.signatureOid}) is not supported.`);
  let ok = false;
  try {
    const key = ca.key.asymmetricKeyType === 'ec' ? { key: ca.key, dsaEncoding: 'der' as const } : ca.key;
    ok = verifySignature(hash, der.subarray(layout.tbsStart, layout.tbsEnd), key, layout.signature);
  } catch {
    ok = false;
  }
  if (!ok) throw new MoicaError('crl-bad-signature', 'The CRL\'s signature does not verify with the card\'s CA key: it may be forged.');
}

export interface CrlEntry {
  serialNumber: string;
  revokedAt: Date;
  /** CRLReason name ('superseded', 'certificateHold', 'keyCompromise' …); 'unspecified' when absent. */
  reason: string;
  invalidityDate?: Date;
}

function entryOf(der: Uint8Array, start: number, end: number): CrlEntry {
  const parsed = asn1js.fromBER(der.subarray(start, end));
  if (parsed.offset === -1) throw invalid('A CRL entry does not parse.');
  const entry = new pkijs.RevokedCertificate({ schema: parsed.result });
  let reason = 'unspecified';
  let invalidityDate: Date | undefined;
  for (const ext of entry.crlEntryExtensions?.extensions ?? []) {
    const inner = asn1js.fromBER(new Uint8Array(ext.extnValue.valueBlock.valueHexView)).result;
    if (ext.extnID === OID.reasonCode && inner instanceof asn1js.Enumerated) {
      reason = CRL_REASONS[inner.valueBlock.valueDec] ?? `reason${inner.valueBlock.valueDec}`;
    } else if (ext.extnID === OID.invalidityDate && inner instanceof asn1js.GeneralizedTime) {
      invalidityDate = inner.toDate();
    }
  }
  return {
    serialNumber: serialFromIntegerBytes(new Uint8Array(entry.userCertificate.valueBlock.valueHexView)),
    revokedAt: entry.revocationDate.value,
    reason,
    ...(invalidityDate ? { invalidityDate } : {}),
  };
}

/**
 * The entries for `serials` among revokedCertificates, by a walk over the DER (no object per entry; the
 * integers compared byte for byte, leading zero bytes ignored). Also counts the entries it passed.
 */
export function findRevoked(der: Uint8Array, layout: Pick<CrlLayout, 'revokedStart' | 'revokedEnd'>, serials: string[]): { found: Map<string, CrlEntry>; entries: number } {
  const targets = serials.map((s) => {
    const bytes = serialToIntegerBytes(s);
    let i = 0;
    while (i < bytes.length - 1 && bytes[i] === 0) i++;
    return { serial: s, bytes: bytes.subarray(i) };
  });
  const found = new Map<string, CrlEntry>();
  let entries = 0;
  const end = layout.revokedEnd;
  let p = layout.revokedStart;
  while (p < end) {
    header(der, p, end);
    if (tagRead() !== 0x30) throw invalid('A CRL entry is not a SEQUENCE.');
    const entryStart = p;
    const entryEnd = hEnd;
    header(der, hStart, entryEnd);
    if (tagRead() !== 0x02) throw invalid('A CRL entry has no serial number.');
    let s = hStart;
    const e = hEnd;
    while (s < e - 1 && der[s] === 0) s++;
    const len = e - s;
    for (const t of targets) {
      if (t.bytes.length !== len) continue;
      let same = true;
      for (let i = 0; i < len; i++) {
        if (der[s + i] !== t.bytes[i]) { same = false; break; }
      }
      if (same && !found.has(t.serial)) found.set(t.serial, entryOf(der, entryStart, entryEnd));
    }
    entries++;
    p = entryEnd;
  }
  return { found, entries };
}
