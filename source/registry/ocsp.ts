/**
 * Asking the CA's OCSP responder about the registry's serials: one request per serial, all at once,
 * each with its own nonce. OCSP trouble never withholds a verdict: it comes back as a report that
 * says OCSP was not checked, and why.
 */
import http from 'node:http';
import https from 'node:https';
import * as pkijs from 'pkijs';
import type { Agents } from 'got';
import { MoicaError } from '../errors.js';
import { requestOnce, type HttpResponse } from './http.js';
import { OID, certIdFor, nonceExtension, findNonce, parseCertificate } from './ocsp-asn1.js';
import { OcspFailure, verifyOcspResponse, type OcspFailureReason } from './ocsp-verify.js';
import type { OcspAnswer, OcspReport } from './types.js';

export { MOICA_OCSP_URL } from './ocsp-url.js';
export const MAX_OCSP_RESPONSE_BYTES = 64 * 1024;

// One connection per request, closed after: simple responders (OpenSSL's among them) serve one
// connection at a time, and a kept-alive idle socket would hold the next request of the wave hostage.
const oneShot: Agents = { http: new http.Agent({ keepAlive: false }), https: new https.Agent({ keepAlive: false }) };

// When several serials fail differently, the report names the most alarming reason.
const SEVERITY: OcspFailureReason[] = ['bad-signature', 'nonce-mismatch', 'stale', 'invalid', 'unverifiable', 'timeout', 'unreachable', 'no-responder', 'no-issuer', 'disabled'];

/** RFC 5019 §5: a GET whose URL (base64 of the request, URL-encoded, after the responder's) stays under 255 bytes. */
export const OCSP_GET_MAX_URL = 255;

/**
 * How a request goes out: `post` (default: what every known client of the issuer's responder sends,
 * issuer-services.md), `get-if-small` (RFC 5019 §5: GET when the URL stays under 255 bytes, else POST).
 */
export type OcspMethod = 'post' | 'get-if-small';

export interface AskOptions {
  agents?: Agents;
  /** Delegated responder certificates trusted for this CA (for responders that embed none). */
  pinnedResponders?: pkijs.Certificate[];
  method?: OcspMethod;
  /** The CertID hash of the request; SHA-1 by default (an answer's SHA-256 CertID is matched either way). */
  certIdHash?: 'sha1' | 'sha256';
  /** Send a nonce (default true; RFC 8954). */
  nonce?: boolean;
}

/** The GET URL of RFC 5019 §5 for `der`, or undefined when it would be 255 bytes or longer. */
export function ocspGetUrl(responder: string, der: Uint8Array): string | undefined {
  const url = `${responder}${responder.endsWith('/') ? '' : '/'}${encodeURIComponent(Buffer.from(der).toString('base64'))}`;
  return url.length < OCSP_GET_MAX_URL ? url : undefined;
}

/** Parses the DER (or PEM) certificates passed in as pinned responders; a bad one is a usage error. */
export function parsePinnedResponders(ders: Uint8Array[] | undefined): pkijs.Certificate[] {
  return (ders ?? []).map((der, i) => {
    try {
      return parseCertificate(der);
    } catch {
      throw new MoicaError('usage', `Pinned OCSP responder certificate ${i + 1} is not a certificate.`);
    }
  });
}

export interface OcspCheck {
  serialNumbers: string[];
  /** DER of the issuing CA certificate (from the card). */
  issuerDer: Uint8Array | undefined;
  /** Responder URL; false when OCSP is turned off (--no-ocsp). */
  url: string | false | undefined;
  timeoutMs: number;
  now?: Date;
  agents?: Agents;
  /** DER of delegated responder certificates to trust besides those an answer carries (issued by the CA, OCSPSigning). */
  pinnedResponders?: Uint8Array[];
  method?: OcspMethod;
  certIdHash?: 'sha1' | 'sha256';
}

/** The DER of an OCSP request for one CertID, with the nonce extension when given: the one builder (the check, doctor). */
export function ocspRequestDer(certId: pkijs.CertID, nonce?: pkijs.Extension): Uint8Array {
  const ocspRequest = new pkijs.OCSPRequest({
    tbsRequest: new pkijs.TBSRequest({ requestList: [new pkijs.Request({ reqCert: certId })], ...(nonce ? { requestExtensions: [nonce] } : {}) }),
  });
  return new Uint8Array(ocspRequest.toSchema(true).toBER(false));
}

/** Sends one request: a POST to `url`, or a GET of `getUrl` (RFC 5019 §5); the answer bounded by MAX_OCSP_RESPONSE_BYTES. */
export function sendOcspRequest(url: string, der: Uint8Array, timeoutMs: number, agents: Agents, getUrl?: string): Promise<HttpResponse> {
  return requestOnce({
    ...(getUrl !== undefined
      ? { method: 'GET' as const, url: getUrl, headers: { accept: 'application/ocsp-response' } }
      : { method: 'POST' as const, url, headers: { 'content-type': 'application/ocsp-request', accept: 'application/ocsp-response' }, body: der }),
    maxBytes: MAX_OCSP_RESPONSE_BYTES,
    timeoutMs,
    agents,
  });
}

/** One serial: request, POST (or GET), verify. Throws OcspFailure. */
export async function askOcsp(serialNumber: string, issuer: pkijs.Certificate, url: string, timeoutMs: number, now: Date, options: AskOptions = {}): Promise<OcspAnswer> {
  const certId = certIdFor(serialNumber, issuer, options.certIdHash === 'sha256' ? OID.sha256 : OID.sha1);
  const nonce = options.nonce === false ? undefined : nonceExtension();
  const der = ocspRequestDer(certId, nonce);
  const getUrl = options.method === 'get-if-small' ? ocspGetUrl(url, der) : undefined;
  let body: Buffer;
  try {
    const res = await sendOcspRequest(url, der, timeoutMs, options.agents ?? oneShot, getUrl);
    if (res.status !== 200) throw new OcspFailure('invalid', `The OCSP responder answered HTTP ${res.status}.`);
    body = res.body;
  } catch (e) {
    if (e instanceof OcspFailure) throw e;
    const code = e instanceof MoicaError ? e.code : 'internal';
    const reason: OcspFailureReason = code === 'registry-timeout' ? 'timeout' : code === 'registry-unreachable' ? 'unreachable' : 'invalid';
    throw new OcspFailure(reason, `OCSP: ${e instanceof Error ? e.message : String(e)}`);
  }
  return verifyOcspResponse(new Uint8Array(body), {
    issuer, certId, nonce: nonce ? findNonce([nonce]) : undefined, now, pinnedResponders: options.pinnedResponders,
  });
}

/** What the verified answers say about nonce and signer, for the report (doctor and JSON show them). */
function summary(answers: OcspAnswer[]): Pick<OcspReport, 'nonce' | 'signer'> {
  if (answers.length === 0) return {};
  const signer = answers[0]!.signer;
  return { nonce: answers.every((a) => a.nonce === true), ...(signer ? { signer } : {}) };
}

function notChecked(reason: OcspFailureReason, detail: string, certificates: OcspAnswer[] = []): OcspReport {
  return { checked: false, certificates, notCheckedReason: reason, detail, ...(reason === 'bad-signature' ? { warning: true } : {}), ...summary(certificates) };
}

/** Every serial asked concurrently; the report holds every verified answer, and the worst failure if any. */
export async function checkOcsp(check: OcspCheck): Promise<OcspReport> {
  if (check.url === false) return notChecked('disabled', 'OCSP is turned off (--no-ocsp).');
  if (check.url === undefined) return notChecked('no-responder', 'No OCSP responder is known for these certificates.');
  if (check.issuerDer === undefined) return notChecked('no-issuer', 'The card holds no CA certificate to ask OCSP about.');
  let issuer: pkijs.Certificate;
  try {
    issuer = parseCertificate(check.issuerDer);
  } catch {
    return notChecked('no-issuer', 'The CA certificate on the card does not parse.');
  }
  try {
    const url = new URL(check.url);
    if (url.protocol !== 'http:' && url.protocol !== 'https:') throw new Error('scheme');
  } catch {
    return notChecked('no-responder', `"${check.url}" is not an http(s) OCSP URL.`);
  }
  let pinnedResponders: pkijs.Certificate[];
  try {
    pinnedResponders = parsePinnedResponders(check.pinnedResponders);
  } catch (e) {
    return notChecked('invalid', e instanceof Error ? e.message : String(e));
  }
  const now = check.now ?? new Date();
  const options: AskOptions = {
    pinnedResponders,
    ...(check.agents ? { agents: check.agents } : {}),
    ...(check.method ? { method: check.method } : {}),
    ...(check.certIdHash ? { certIdHash: check.certIdHash } : {}),
  };
  const results = await Promise.allSettled(
    check.serialNumbers.map((serial) => askOcsp(serial, issuer, check.url as string, check.timeoutMs, now, options)),
  );
  const answers = results.flatMap((r) => (r.status === 'fulfilled' ? [r.value] : []));
  const failures = results.flatMap((r) =>
    r.status === 'rejected' ? [r.reason instanceof OcspFailure ? r.reason : new OcspFailure('invalid', String(r.reason))] : []);
  if (failures.length === 0) return { checked: true, certificates: answers, ...summary(answers) };
  const worst = failures.sort((a, b) => SEVERITY.indexOf(a.reason) - SEVERITY.indexOf(b.reason))[0]!;
  return notChecked(worst.reason, worst.message, answers);
}
