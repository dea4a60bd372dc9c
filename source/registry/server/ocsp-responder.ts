/**
 * A small OCSP responder (RFC 6960) for the reference server, so `--demo` has a whole OCSP path with no
 * network: answers signed by the CA itself (responderID byKey), the request's nonce echoed, unlisted
 * serials `unknown`, requests about another issuer `unauthorized`.
 */
import { createPrivateKey, webcrypto } from 'node:crypto';
import * as asn1js from 'asn1js';
import * as pkijs from 'pkijs';
import { tryNormaliseSerial } from '../../domain/serial.js';
import { OID, certIdIssuedBy, certIdSerial, encodeCertStatus, keyHash, parseCertificate, type DecodedStatus } from '../ocsp-asn1.js';

export type OcspStatusEntry = DecodedStatus;

export interface OcspResponderConfig {
  caCertDer: Uint8Array;
  /** The CA's private key: a WebCrypto key (RSASSA-PKCS1-v1_5 or ECDSA) or its PKCS#8 DER. */
  caPrivateKey: CryptoKey | Uint8Array;
  /** By serial, any hex spelling. Read at each request, so a test or demo may change it while running. */
  statuses: Record<string, OcspStatusEntry>;
  /** nextUpdate − thisUpdate; default one hour. */
  validityMs?: number;
}

export type OcspResponder = (requestDer: Uint8Array, now: Date) => Promise<Uint8Array>;

const CURVES: Record<string, string> = { prime256v1: 'P-256', secp384r1: 'P-384', secp521r1: 'P-521' };

const RSA_SIGNING = { name: 'RSASSA-PKCS1-v1_5', hash: 'SHA-256' } as const;

async function importKey(key: CryptoKey | Uint8Array): Promise<CryptoKey> {
  if (!(key instanceof Uint8Array)) return key;
  // An RSA key (MOICA's CAs', the demo's) is imported as it is; only another kind is looked at first, for
  // its curve (one KeyObject fewer at every demo start: ≈ 0.5 ms).
  try {
    return (await webcrypto.subtle.importKey('pkcs8', Buffer.from(key), RSA_SIGNING, false, ['sign'])) as CryptoKey;
  } catch {
    // not an RSA key (or no key at all): told below
  }
  const info = createPrivateKey({ key: Buffer.from(key), format: 'der', type: 'pkcs8' });
  const curve = CURVES[info.asymmetricKeyDetails?.namedCurve ?? ''];
  const algorithm = info.asymmetricKeyType === 'rsa'
    ? RSA_SIGNING
    : info.asymmetricKeyType === 'ec' && curve !== undefined ? { name: 'ECDSA', namedCurve: curve } : undefined;
  if (algorithm === undefined) throw new Error(`The OCSP signing key must be RSA or EC P-256/384/521, not ${info.asymmetricKeyType}.`);
  return (await webcrypto.subtle.importKey('pkcs8', Buffer.from(key), algorithm, false, ['sign'])) as CryptoKey;
}

function statusResponse(code: number): Uint8Array {
  return new Uint8Array(new pkijs.OCSPResponse({ responseStatus: new asn1js.Enumerated({ value: code }) }).toSchema().toBER(false));
}

export async function createOcspResponder(config: OcspResponderConfig): Promise<OcspResponder> {
  const ca = parseCertificate(config.caCertDer);
  const key = await importKey(config.caPrivateKey);
  const validityMs = config.validityMs ?? 3600_000;
  const statusOf = (serial: string): OcspStatusEntry => {
    for (const [listed, entry] of Object.entries(config.statuses)) if (tryNormaliseSerial(listed) === serial) return entry;
    return { status: 'unknown' };
  };

  return async (requestDer, now) => {
    try {
      return await answer(requestDer, now);
    } catch {
      return statusResponse(2); // internalError: an OCSP client expects an OCSPResponse, never a 500
    }
  };

  async function answer(requestDer: Uint8Array, now: Date): Promise<Uint8Array> {
    let request: pkijs.OCSPRequest;
    try {
      request = pkijs.OCSPRequest.fromBER(new Uint8Array(requestDer));
    } catch {
      return statusResponse(1); // malformedRequest
    }
    const asked = request.tbsRequest.requestList;
    if (asked.length === 0) return statusResponse(1);
    if (!asked.every((r) => certIdIssuedBy(r.reqCert, ca))) return statusResponse(6); // unauthorized
    const thisUpdate = new Date(Math.floor(now.getTime() / 1000) * 1000);
    const responses = asked.map((r) => new pkijs.SingleResponse({
      certID: r.reqCert,
      certStatus: encodeCertStatus(statusOf(certIdSerial(r.reqCert))),
      thisUpdate,
      nextUpdate: new Date(thisUpdate.getTime() + validityMs),
    }));
    const nonce = request.tbsRequest.requestExtensions?.filter((e) => e.extnID === OID.nonce) ?? [];
    const basic = new pkijs.BasicOCSPResponse({
      tbsResponseData: new pkijs.ResponseData({
        responderID: new asn1js.OctetString({ valueHex: keyHash(ca) }),
        producedAt: thisUpdate,
        responses,
        ...(nonce.length > 0 ? { responseExtensions: nonce } : {}),
      }),
    });
    await basic.sign(key, 'SHA-256');
    return new Uint8Array(new pkijs.OCSPResponse({
      responseStatus: new asn1js.Enumerated({ value: 0 }),
      responseBytes: new pkijs.ResponseBytes({ responseType: OID.basic, response: new asn1js.OctetString({ valueHex: basic.toSchema().toBER(false) }) }),
    }).toSchema().toBER(false));
  }
}
