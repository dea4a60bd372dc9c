/**
 * The OCSP pieces both sides share (RFC 6960 with pkijs): who the issuer is (CertID), the nonce
 * extension (RFC 8954), and the certStatus CHOICE, which pkijs leaves as raw ASN.1.
 */
import { createHash, randomBytes } from 'node:crypto';
import * as asn1js from 'asn1js';
import * as pkijs from 'pkijs';
import { serialFromIntegerBytes, serialToIntegerBytes, serialsEqual } from '../domain/serial.js';

export const OID = {
  sha1: '1.3.14.3.2.26',
  sha256: '2.16.840.1.101.3.4.2.1',
  nonce: '1.3.6.1.5.5.7.48.1.2',
  basic: '1.3.6.1.5.5.7.48.1.1',
  ocspSigning: '1.3.6.1.5.5.7.3.9',
  extKeyUsage: '2.5.29.37',
} as const;

const HASH_BY_OID: Record<string, string> = { [OID.sha1]: 'sha1', [OID.sha256]: 'sha256' };

export const CRL_REASONS = ['unspecified', 'keyCompromise', 'cACompromise', 'affiliationChanged', 'superseded',
  'cessationOfOperation', 'certificateHold', 'unused7', 'removeFromCRL', 'privilegeWithdrawn', 'aACompromise'] as const;

/** The last certificates parsed, by their bytes (insertion order: the oldest is dropped first). */
const parsed = new Map<string, pkijs.Certificate>();
const PARSED_KEPT = 16;

/**
 * A certificate parsed by pkijs, the same object for the same bytes: a check parses the card's CA for its
 * chain, then for each OCSP wave, and the demo's responder parses it too (≈ 1.5 ms each, asn1js's schema
 * walk). The object is shared, so it is only read (every caller here does: names, keys, verify). A DER that
 * does not parse throws, as pkijs does, and is not kept.
 */
export function parseCertificate(der: Uint8Array): pkijs.Certificate {
  const key = Buffer.from(der.buffer, der.byteOffset, der.byteLength).toString('latin1');
  const known = parsed.get(key);
  if (known !== undefined) return known;
  const cert = pkijs.Certificate.fromBER(new Uint8Array(der));
  if (parsed.size >= PARSED_KEPT) parsed.delete(parsed.keys().next().value!);
  parsed.set(key, cert);
  return cert;
}

function digest(hashOid: string, data: Uint8Array): Uint8Array | null {
  const name = HASH_BY_OID[hashOid];
  return name === undefined ? null : new Uint8Array(createHash(name).update(data).digest());
}

/** SHA-1 of the issuer key's BIT STRING contents: the CertID issuerKeyHash and the ResponderID byKey. */
export function keyHash(cert: pkijs.Certificate, hashOid: string = OID.sha1): Uint8Array {
  return digest(hashOid, cert.subjectPublicKeyInfo.subjectPublicKey.valueBlock.valueHexView)!;
}

/**
 * A Name's DER as the certificate holds it: the bytes pkijs kept when it parsed them (the bytes the CA
 * signed, which the CertID's name hash is over). pkijs's own toSchema() decodes those bytes again and
 * toBER() encodes them again, once per CertID built or matched (issue 15); a Name built rather than
 * parsed has no such bytes and is encoded.
 */
export function nameDer(name: pkijs.RelativeDistinguishedNames): Uint8Array {
  return name.valueBeforeDecode.byteLength > 0 ? new Uint8Array(name.valueBeforeDecode) : new Uint8Array(name.toSchema().toBER(false));
}

/**
 * The CertID of `serial` under `issuer`; SHA-1 by default, the hash every OCSP responder understands
 * (issuer-services.md: what every known client of the issuer's responder sends), SHA-256 on request.
 */
export function certIdFor(serial: string, issuer: pkijs.Certificate, hashOid: string = OID.sha1): pkijs.CertID {
  if (HASH_BY_OID[hashOid] === undefined) throw new Error(`CertID hash ${hashOid} is not supported.`);
  return new pkijs.CertID({
    hashAlgorithm: new pkijs.AlgorithmIdentifier({ algorithmId: hashOid, algorithmParams: new asn1js.Null() }),
    issuerNameHash: new asn1js.OctetString({ valueHex: digest(hashOid, nameDer(issuer.subject))! }),
    issuerKeyHash: new asn1js.OctetString({ valueHex: keyHash(issuer, hashOid) }),
    serialNumber: new asn1js.Integer({ valueHex: serialToIntegerBytes(serial) }),
  });
}

export function certIdSerial(id: pkijs.CertID): string {
  return serialFromIntegerBytes(id.serialNumber.valueBlock.valueHexView);
}

/** Does `id` name `issuer` (by its own hash algorithm)? */
export function certIdIssuedBy(id: pkijs.CertID, issuer: pkijs.Certificate): boolean {
  const nameHash = digest(id.hashAlgorithm.algorithmId, nameDer(issuer.subject));
  if (nameHash === null) return false;
  return Buffer.from(nameHash).equals(Buffer.from(id.issuerNameHash.valueBlock.valueHexView)) &&
    Buffer.from(keyHash(issuer, id.hashAlgorithm.algorithmId)).equals(Buffer.from(id.issuerKeyHash.valueBlock.valueHexView));
}

/**
 * Does the answer's `id` speak of the certificate we asked about? Its serial equals ours (as numbers) and
 * it names our issuer by its own hash algorithm: a responder may answer a SHA-1 request with a SHA-256
 * CertID (RFC 6960 allows it; issuer-services.md).
 */
export function certIdAnswers(id: pkijs.CertID, serial: string, issuer: pkijs.Certificate): boolean {
  try {
    return serialsEqual(certIdSerial(id), serial) && certIdIssuedBy(id, issuer);
  } catch {
    return false;
  }
}

/** Same certificate, same issuer: serials compared as numbers. */
export function certIdsMatch(a: pkijs.CertID, b: pkijs.CertID): boolean {
  const bytes = (o: asn1js.OctetString) => Buffer.from(o.valueBlock.valueHexView);
  return a.hashAlgorithm.algorithmId === b.hashAlgorithm.algorithmId &&
    bytes(a.issuerNameHash).equals(bytes(b.issuerNameHash)) &&
    bytes(a.issuerKeyHash).equals(bytes(b.issuerKeyHash)) &&
    certIdSerial(a) === certIdSerial(b);
}

/** A fresh nonce extension: extnValue is the DER of an OCTET STRING of 16 random bytes (RFC 8954). */
export function nonceExtension(): pkijs.Extension {
  return new pkijs.Extension({
    extnID: OID.nonce,
    extnValue: new asn1js.OctetString({ valueHex: randomBytes(16) }).toBER(false),
  });
}

export function findNonce(extensions: pkijs.Extension[] | undefined): Uint8Array | undefined {
  const ext = extensions?.find((e) => e.extnID === OID.nonce);
  return ext === undefined ? undefined : new Uint8Array(ext.extnValue.valueBlock.valueHexView);
}

export type DecodedStatus =
  | { status: 'good' }
  | { status: 'unknown' }
  | { status: 'revoked'; reason: string; revokedAt?: Date };

/** certStatus CHOICE: [0] good, [1] revoked {time, [0] reason OPTIONAL}, [2] unknown. */
export function decodeCertStatus(block: unknown): DecodedStatus | null {
  const b = block as asn1js.BaseBlock & { valueBlock: { value?: asn1js.BaseBlock[] } };
  if (b?.idBlock?.tagClass !== 3) return null;
  if (b.idBlock.tagNumber === 0) return { status: 'good' };
  if (b.idBlock.tagNumber === 2) return { status: 'unknown' };
  if (b.idBlock.tagNumber !== 1) return null;
  const [time, reasonWrap] = b.valueBlock.value ?? [];
  const revokedAt = time instanceof asn1js.GeneralizedTime ? time.toDate() : undefined;
  const reasonBlock = (reasonWrap as { valueBlock?: { value?: unknown[] } } | undefined)?.valueBlock?.value?.[0];
  const code = reasonBlock instanceof asn1js.Enumerated ? reasonBlock.valueBlock.valueDec : 0;
  return { status: 'revoked', reason: CRL_REASONS[code] ?? `reason${code}`, ...(revokedAt ? { revokedAt } : {}) };
}

export function encodeCertStatus(s: DecodedStatus): asn1js.BaseBlock {
  if (s.status === 'good') return new asn1js.Primitive({ idBlock: { tagClass: 3, tagNumber: 0 } });
  if (s.status === 'unknown') return new asn1js.Primitive({ idBlock: { tagClass: 3, tagNumber: 2 } });
  const code = Math.max(0, CRL_REASONS.indexOf(s.reason as (typeof CRL_REASONS)[number]));
  return new asn1js.Constructed({
    idBlock: { tagClass: 3, tagNumber: 1 },
    value: [
      new asn1js.GeneralizedTime({ valueDate: s.revokedAt ?? new Date(0) }),
      new asn1js.Constructed({ idBlock: { tagClass: 3, tagNumber: 0 }, value: [new asn1js.Enumerated({ value: code })] }),
    ],
  });
}
