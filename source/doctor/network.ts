/**
 * The network side of `doctor`: the registry (a GET of the card, or of a test number: a 404 card-not-found
 * still proves it answers), the OCSP responder (a real request: verified when the card's CA is known, else
 * a request the responder must refuse, which still proves it is there), and the system clock against the
 * responder's time (producedAt of its answer, else its HTTP Date header).
 */
import http from 'node:http';
import https from 'node:https';
import * as asn1js from 'asn1js';
import * as pkijs from 'pkijs';
import { isMoicaError, toMoicaError } from '../errors.js';
import type { DoctorLine } from './types.js';

/** Shaped like a card number, issued to nobody (two letters, 14 digits). */
export const PROBE_CARD_NUMBER = 'ZZ00000000000000';
/** OCSP accepts answers dated within 5 minutes of this clock (registry/ocsp-verify.ts): warn beyond. */
export const CLOCK_SKEW_WARN_MS = 5 * 60_000;

export async function probeRegistry(baseUrl: string | undefined, cardNumber: string | undefined, timeoutMs: number): Promise<DoctorLine> {
  if (baseUrl === undefined) {
    // Information, not a failure: a check works without one (cli.md "Without a registry").
    return { check: 'registry', status: 'info', summary: { key: 'registry.unset' }, next: { key: 'registry.unset.next' }, details: { url: null, configured: false } };
  }
  const { createRegistryClient } = await import('../registry/client.js');
  let client: ReturnType<typeof createRegistryClient> | undefined;
  const t0 = performance.now();
  const ms = () => Math.round(performance.now() - t0);
  try {
    client = createRegistryClient({ baseUrl, timeoutMs });
    await client.getCard(cardNumber ?? PROBE_CARD_NUMBER);
    return { check: 'registry', status: 'ok', summary: { key: 'registry.ok', params: { ms: ms(), url: baseUrl } }, details: { url: baseUrl, ms: ms(), cardNumber: cardNumber ?? null } };
  } catch (e) {
    const took = ms();
    if (isMoicaError(e, 'card-not-found')) {
      if (cardNumber === undefined) {
        return { check: 'registry', status: 'ok', summary: { key: 'registry.ok-probe', params: { ms: took, url: baseUrl } }, details: { url: baseUrl, ms: took, cardNumber: PROBE_CARD_NUMBER } };
      }
      return { check: 'registry', status: 'warn', code: 'card-not-found', summary: { key: 'registry.card-unknown', params: { ms: took, number: cardNumber } }, next: { key: 'registry.card-unknown.next' }, details: { url: baseUrl, ms: took, cardNumber } };
    }
    const err = toMoicaError(e);
    return { check: 'registry', status: 'fail', code: err.code, exitClass: 4, summary: { key: 'registry.fail', params: { url: baseUrl, message: err.message } }, next: { key: 'registry.fail.next' }, details: { url: baseUrl, ms: took } };
  } finally {
    client?.close();
  }
}

export interface OcspProbe {
  line: DoctorLine;
  /** The responder's idea of now, and where it came from. */
  remoteTime?: { at: Date; source: 'producedAt' | 'Date header'; localAt: Date };
}

/** A CertID naming no real issuer: a responder answers it (unauthorized, or unknown), which is all we need. */
function probeCertId(): pkijs.CertID {
  return new pkijs.CertID({
    hashAlgorithm: new pkijs.AlgorithmIdentifier({ algorithmId: '1.3.14.3.2.26', algorithmParams: new asn1js.Null() }),
    issuerNameHash: new asn1js.OctetString({ valueHex: new Uint8Array(20) }),
    issuerKeyHash: new asn1js.OctetString({ valueHex: new Uint8Array(20) }),
    serialNumber: new asn1js.Integer({ value: 1 }),
  });
}

function producedAt(der: Uint8Array): Date | undefined {
  try {
    const response = pkijs.OCSPResponse.fromBER(new Uint8Array(der));
    if (response.responseBytes === undefined) return undefined;
    const basic = pkijs.BasicOCSPResponse.fromBER(new Uint8Array(response.responseBytes.response.valueBlock.valueHexView));
    const at = basic.tbsResponseData.producedAt;
    return Number.isNaN(at.getTime()) ? undefined : at;
  } catch {
    return undefined;
  }
}

export async function probeOcsp(url: string | false, issuerDer: Uint8Array | undefined, serialNumber: string | undefined, timeoutMs: number): Promise<OcspProbe> {
  if (url === false) return { line: { check: 'ocsp', status: 'skip', summary: { key: 'ocsp.off' }, details: { url: null } } };
  const [{ ocspRequestDer, sendOcspRequest }, asn1, verify] = await Promise.all([
    import('../registry/ocsp.js'), import('../registry/ocsp-asn1.js'), import('../registry/ocsp-verify.js'),
  ]);
  const issuer = issuerDer && serialNumber ? asn1.parseCertificate(issuerDer) : undefined;
  const certId = issuer ? asn1.certIdFor(serialNumber!, issuer) : probeCertId();
  const nonce = asn1.nonceExtension();
  // The check's request (registry/ocsp.ts: the same builder, POST and bound), for one CertID with a nonce.
  const der = ocspRequestDer(certId, nonce);
  const agents = { http: new http.Agent({ keepAlive: false }), https: new https.Agent({ keepAlive: false }) };
  const t0 = performance.now();
  try {
    const res = await sendOcspRequest(url, der, timeoutMs, agents);
    const localAt = new Date();
    const ms = Math.round(performance.now() - t0);
    const body = new Uint8Array(res.body);
    const produced = res.status === 200 ? producedAt(body) : undefined;
    const dateHeader = typeof res.headers.date === 'string' ? new Date(res.headers.date) : undefined;
    const remoteTime = produced ? { at: produced, source: 'producedAt' as const, localAt }
      : dateHeader && !Number.isNaN(dateHeader.getTime()) ? { at: dateHeader, source: 'Date header' as const, localAt } : undefined;
    const details = { url, ms, httpStatus: res.status };
    if (res.status !== 200) {
      return { remoteTime, line: { check: 'ocsp', status: 'fail', code: 'registry-http', summary: { key: 'ocsp.fail', params: { url, message: `HTTP ${res.status}` } }, next: { key: 'ocsp.fail.next' }, details } };
    }
    if (!issuer) return { remoteTime, line: { check: 'ocsp', status: 'ok', summary: { key: 'ocsp.ok-probe', params: { ms, url } }, details: { ...details, verified: false } } };
    try {
      const answer = await verify.verifyOcspResponse(body, { issuer, certId, nonce: asn1.findNonce([nonce])!, now: localAt });
      // The nonce echoed or not (RFC 5019's pre-produced answers carry none), and whose key signed.
      const facts = { nonce: answer.nonce ?? null, signer: answer.signer ?? null, status: answer.status };
      const params = { ms, url, nonce: answer.nonce === false ? 'ocsp.nonce.absent' : 'ocsp.nonce.seen', signer: `ocsp.signer.${answer.signer ?? 'ca'}` };
      return { remoteTime, line: { check: 'ocsp', status: 'ok', summary: { key: 'ocsp.ok', params }, details: { ...details, verified: true, ...facts } } };
    } catch (e) {
      const reason = e instanceof verify.OcspFailure ? e.reason : 'invalid';
      const message = e instanceof Error ? e.message : String(e);
      const signer = reason === 'unverifiable' ? 'unverifiable' : reason === 'bad-signature' ? 'bad-signature' : null;
      return { remoteTime, line: { check: 'ocsp', status: 'warn', summary: { key: 'ocsp.unverified', params: { ms, message } }, next: { key: 'ocsp.unverified.next' }, details: { ...details, verified: false, reason, signer } } };
    }
  } catch (e) {
    const err = toMoicaError(e);
    const message = err.message.replace('registry', 'OCSP responder');
    return { line: { check: 'ocsp', status: 'fail', code: err.code, summary: { key: 'ocsp.fail', params: { url, message } }, next: { key: 'ocsp.fail.next' }, details: { url, ms: Math.round(performance.now() - t0) } } };
  } finally {
    agents.http.destroy();
    agents.https.destroy();
  }
}

export function clockLine(remote: OcspProbe['remoteTime']): DoctorLine {
  if (remote === undefined) return { check: 'clock', status: 'skip', summary: { key: 'clock.unknown' }, details: {} };
  const skewMs = remote.localAt.getTime() - remote.at.getTime();
  const seconds = Math.round(Math.abs(skewMs) / 1000);
  const details = { skewMs, source: remote.source, responderTime: remote.at.toISOString() };
  if (Math.abs(skewMs) <= CLOCK_SKEW_WARN_MS) {
    // The Date header has whole seconds and the answer took a round trip: say "within", not "exactly".
    return { check: 'clock', status: 'ok', summary: { key: 'clock.ok', params: { seconds: Math.max(seconds, 1), source: remote.source } }, details };
  }
  return {
    check: 'clock', status: 'warn',
    summary: { key: 'clock.off', params: { seconds, direction: skewMs > 0 ? 'clock.ahead' : 'clock.behind', source: remote.source } },
    next: { key: 'clock.off.next' }, details,
  };
}

/**
 * The CA generation from the issuer's pinned fingerprints (registry/issuer.ts), by key, never by name.
 * Information: an unknown CA (the virtual card's, a test PKI) is said so, never refused.
 */
export async function issuerLine(issuerDer: Uint8Array | undefined): Promise<{ line: DoctorLine; crlUrl: string | null }> {
  if (issuerDer === undefined) return { line: { check: 'issuer', status: 'skip', summary: { key: 'issuer.none' }, details: {} }, crlUrl: null };
  try {
    const { assessCardCas } = await import('../registry/issuer.js');
    const trust = await assessCardCas([{ der: issuerDer }]);
    if (trust === 'ambiguous') return { line: { check: 'issuer', status: 'skip', summary: { key: 'issuer.none' }, details: {} }, crlUrl: null };
    const details = { known: trust.issuer === 'known', generation: trust.generation, name: trust.name, keyId: trust.keyId, sha256: trust.caSha256 };
    if (trust.issuer === 'known') {
      return { line: { check: 'issuer', status: 'ok', summary: { key: 'issuer.known', params: { name: trust.name ?? '', generation: trust.generation ?? '', keyId: trust.keyId ?? '' } }, details }, crlUrl: trust.crlUrl };
    }
    return { line: { check: 'issuer', status: 'info', summary: { key: 'issuer.unknown', params: { keyId: trust.keyId ?? '—' } }, details }, crlUrl: trust.crlUrl };
  } catch (e) {
    const err = toMoicaError(e);
    return { line: { check: 'issuer', status: 'warn', code: err.code, summary: { key: 'issuer.bad', params: { message: err.message } }, next: { key: 'card.inconsistent.next' }, details: {} }, crlUrl: null };
  }
}

/** The CRL: reachable, its signature verified with the card's CA, fresh or not (uses and fills the cache). */
export async function probeCrl(urls: string[], issuerDer: Uint8Array | undefined, serialNumber: string | undefined, timeoutMs: number): Promise<DoctorLine> {
  if (urls.length === 0 || issuerDer === undefined || serialNumber === undefined) {
    return { check: 'crl', status: 'skip', summary: { key: 'crl.none' }, details: { url: null } };
  }
  const { checkCrl } = await import('../registry/crl.js');
  const t0 = performance.now();
  const report = await checkCrl({ urls, serialNumbers: [serialNumber], issuerDer, timeoutMs });
  const ms = Math.round(performance.now() - t0);
  const details = { url: report.url, ms, checked: report.checked, fromCache: report.fromCache, stale: report.stale,
    thisUpdate: report.thisUpdate ?? null, nextUpdate: report.nextUpdate ?? null, reason: report.notCheckedReason ?? null };
  if (!report.checked) {
    return { check: 'crl', status: 'warn', summary: { key: 'crl.fail', params: { url: report.url ?? urls[0]!, message: report.detail ?? report.notCheckedReason ?? '' } }, next: { key: 'crl.fail.next' }, details };
  }
  const params = { ms, url: report.url ?? '', cache: report.fromCache ? 'crl.cached' : 'crl.downloaded' };
  if (report.stale) return { check: 'crl', status: 'warn', summary: { key: 'crl.stale', params }, next: { key: 'crl.fail.next' }, details };
  return { check: 'crl', status: 'ok', summary: { key: 'crl.ok', params }, details };
}
