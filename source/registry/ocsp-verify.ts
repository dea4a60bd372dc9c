/**
 * Whether to believe an OCSP answer (RFC 6960 §3.2, §4.2.2.2; RFC 5019). Believed only when all hold:
 * - signed by the CA itself, or by a delegated responder certificate that the CA issued (its signature
 *   checks against the CA key), that has id-kp-OCSPSigning and is within its validity: carried in the
 *   response, or pinned (passed in by the user, for responders that do not embed theirs). A signer that
 *   cannot be found at all is `unverifiable`; a signature that fails is `bad-signature` (may be forged);
 * - WHEN IT CARRIES A NONCE, the nonce is the one we sent (else it is a replay). An answer without one is
 *   the RFC 5019 form pre-produced responders send: accepted when fresh, reported `nonce: false`;
 * - it answers for the certificate we asked about (serial + issuer name and key hashes, by the answer's
 *   own CertID hash: SHA-1 or SHA-256);
 * - it is fresh: thisUpdate ≤ now + skew; nextUpdate, when present, ≥ now − skew; without nextUpdate,
 *   thisUpdate no older than OCSP_MAX_AGE_MS.
 */
import * as asn1js from 'asn1js';
import * as pkijs from 'pkijs';
import type { OcspAnswer, OcspReport, OcspSignerKind } from './types.js';
import { OID, certIdAnswers, certIdSerial, decodeCertStatus, findNonce, keyHash } from './ocsp-asn1.js';
import { sameName } from './names.js';
import { pkijsCrypto } from './pkijs-crypto.js';

/** Clocks of a PC and a responder disagree by minutes, not hours. */
export const OCSP_SKEW_MS = 5 * 60_000;
/**
 * A response without nextUpdate claims "always fresh"; still, status information older than a day
 * (MOICA publishes CRLs daily) is not taken as current.
 */
export const OCSP_MAX_AGE_MS = 24 * 60 * 60_000;

export type OcspFailureReason = NonNullable<OcspReport['notCheckedReason']>;

export class OcspFailure extends Error {
  constructor(readonly reason: OcspFailureReason, message: string) {
    super(message);
  }
}

export interface Expectation {
  issuer: pkijs.Certificate;
  certId: pkijs.CertID;
  /** extnValue of the nonce we sent (undefined: we sent none, so any nonce in the answer is not ours). */
  nonce: Uint8Array | undefined;
  now: Date;
  /** Delegated responder certificates the user trusts for this CA (still checked: issued by it, OCSPSigning). */
  pinnedResponders?: pkijs.Certificate[];
}

const RESPONSE_STATUS = ['successful', 'malformedRequest', 'internalError', 'tryLater', 'unused4', 'sigRequired', 'unauthorized'];

function parseBasic(der: Uint8Array): pkijs.BasicOCSPResponse {
  let response: pkijs.OCSPResponse;
  try {
    response = pkijs.OCSPResponse.fromBER(new Uint8Array(der));
  } catch {
    throw new OcspFailure('invalid', 'The OCSP answer is not an OCSPResponse.');
  }
  const status = response.responseStatus.valueBlock.valueDec;
  if (status !== 0) throw new OcspFailure('invalid', `The OCSP responder answered ${RESPONSE_STATUS[status] ?? status}.`);
  if (response.responseBytes?.responseType !== OID.basic) throw new OcspFailure('invalid', 'The OCSP answer is not a basic response.');
  try {
    return pkijs.BasicOCSPResponse.fromBER(new Uint8Array(response.responseBytes.response.valueBlock.valueHexView));
  } catch {
    throw new OcspFailure('invalid', 'The OCSP basic response does not parse.');
  }
}

function namesCert(responderId: unknown, cert: pkijs.Certificate): boolean {
  if (responderId instanceof pkijs.RelativeDistinguishedNames) return sameName(cert.subject, responderId);
  if (responderId instanceof asn1js.OctetString) {
    return Buffer.from(keyHash(cert)).equals(Buffer.from(responderId.valueBlock.valueHexView));
  }
  return false;
}

/** The certificate whose key must have signed: the CA, or a delegated responder the CA authorised. */
async function authorisedSigner(basic: pkijs.BasicOCSPResponse, exp: Expectation): Promise<{ cert: pkijs.Certificate; kind: OcspSignerKind }> {
  const responderId: unknown = basic.tbsResponseData.responderID;
  if (namesCert(responderId, exp.issuer)) return { cert: exp.issuer, kind: 'ca' };
  // A pinned certificate the answer names wins over a carried one: the user vouched for it.
  const pinned = (exp.pinnedResponders ?? []).find((c) => namesCert(responderId, c));
  const carried = (basic.certs ?? []).find((c) => namesCert(responderId, c));
  const delegate = pinned ?? carried;
  if (delegate === undefined) {
    throw new OcspFailure('unverifiable', 'The OCSP answer\'s signer cannot be found: it is neither the CA nor a responder certificate the answer carries or that was pinned.');
  }
  const issuedByCa = sameName(delegate.issuer, exp.issuer.subject) && (await delegate.verify(exp.issuer, pkijsCrypto).catch(() => false));
  if (!issuedByCa) throw new OcspFailure('bad-signature', 'The OCSP responder certificate was not issued by the card\'s CA.');
  const eku = delegate.extensions?.find((e) => e.extnID === OID.extKeyUsage)?.parsedValue as pkijs.ExtKeyUsage | undefined;
  if (!eku?.keyPurposes.includes(OID.ocspSigning)) {
    throw new OcspFailure('bad-signature', 'The OCSP responder certificate is not authorised for OCSP signing (no id-kp-OCSPSigning).');
  }
  const t = exp.now.getTime();
  if (delegate.notBefore.value.getTime() > t + OCSP_SKEW_MS || delegate.notAfter.value.getTime() < t - OCSP_SKEW_MS) {
    throw new OcspFailure('invalid', 'The OCSP responder certificate is outside its validity period.');
  }
  return { cert: delegate, kind: pinned !== undefined ? 'pinned' : 'delegated' };
}

/** Verifies `der` against what was asked; returns the answer or throws OcspFailure. */
export async function verifyOcspResponse(der: Uint8Array, exp: Expectation): Promise<OcspAnswer> {
  const basic = parseBasic(der);
  const { cert: signer, kind } = await authorisedSigner(basic, exp);
  const signatureOk = await pkijsCrypto
    .verifyWithPublicKey(new Uint8Array(basic.tbsResponseData.tbsView), basic.signature, signer.subjectPublicKeyInfo, basic.signatureAlgorithm)
    .catch(() => false);
  if (!signatureOk) throw new OcspFailure('bad-signature', 'The OCSP answer\'s signature does not verify: it may be forged.');

  const nonce = findNonce(basic.tbsResponseData.responseExtensions);
  if (nonce !== undefined && (exp.nonce === undefined || !Buffer.from(nonce).equals(Buffer.from(exp.nonce)))) {
    throw new OcspFailure('nonce-mismatch', 'The OCSP answer\'s nonce is not ours: a replay.');
  }

  const serial = certIdSerial(exp.certId);
  const single = basic.tbsResponseData.responses.find((r) => certIdAnswers(r.certID, serial, exp.issuer));
  if (single === undefined) throw new OcspFailure('invalid', `The OCSP answer is not about serial ${serial}.`);

  const now = exp.now.getTime();
  if (single.thisUpdate.getTime() > now + OCSP_SKEW_MS) throw new OcspFailure('stale', 'The OCSP answer is dated in the future.');
  if (single.nextUpdate !== undefined ? single.nextUpdate.getTime() < now - OCSP_SKEW_MS : single.thisUpdate.getTime() < now - OCSP_MAX_AGE_MS) {
    throw new OcspFailure('stale', 'The OCSP answer is out of date.');
  }

  const status = decodeCertStatus(single.certStatus);
  if (status === null) throw new OcspFailure('invalid', 'The OCSP answer\'s certStatus is not readable.');
  return {
    serialNumber: serial,
    status: status.status,
    reason: status.status === 'revoked' ? status.reason : null,
    ...(status.status === 'revoked' && status.revokedAt ? { revokedAt: status.revokedAt } : {}),
    thisUpdate: single.thisUpdate,
    ...(single.nextUpdate ? { nextUpdate: single.nextUpdate } : {}),
    nonce: nonce !== undefined,
    signer: kind,
    certIdHash: single.certID.hashAlgorithm.algorithmId === OID.sha256 ? 'sha256' : 'sha1',
  };
}
