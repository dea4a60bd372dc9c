/**
 * A certificate by serial from the issuer's public download (issuer-services.md §1, confirmed in use):
 * `http://moica.nat.gov.tw/PEXE_MOICA/DownLoadCert.CEXE?CertNo=<serial>`. Its answer format is not
 * documented: DER, PEM or bare base64 are accepted (check/supplied.ts, passed in as `parse` by
 * engine/supplied.ts: registry/ does not import check/). Plain HTTP is what the issuer
 * serves; nothing downloaded is trusted before the rewrite's proofs (issuer signature from the card's CA,
 * key = the card's key). `MOICA_CERT_DOWNLOAD_URL` replaces the base (tests use a loopback server).
 */
import http from 'node:http';
import https from 'node:https';
import { MoicaError, isMoicaError } from '../errors.js';
import { requestOnce } from './http.js';
import { normaliseSerial } from '../domain/serial.js';

export const MOICA_CERT_DOWNLOAD_URL = 'http://moica.nat.gov.tw/PEXE_MOICA/DownLoadCert.CEXE';

/** The download base: MOICA_CERT_DOWNLOAD_URL when set (an http(s) URL), else the issuer's. */
export function downloadBase(env: NodeJS.ProcessEnv = process.env): string {
  const base = env.MOICA_CERT_DOWNLOAD_URL || MOICA_CERT_DOWNLOAD_URL;
  let url: URL;
  try {
    url = new URL(base);
  } catch {
    throw new MoicaError('usage', 'MOICA_CERT_DOWNLOAD_URL is not a URL.');
  }
  if (url.protocol !== 'http:' && url.protocol !== 'https:') throw new MoicaError('usage', 'MOICA_CERT_DOWNLOAD_URL takes an http(s) URL.');
  return base;
}

/** `base?CertNo=<serial>` (upper-case hex, no leading zeros, as the issuer prints serials). */
export function downloadUrl(base: string, serialNumber: string): string {
  const url = new URL(base);
  url.searchParams.set('CertNo', normaliseSerial(serialNumber, 'usage'));
  return url.toString();
}

export interface DownloadOptions<T extends { serialNumber: string }> {
  base?: string;
  timeoutMs: number;
  /** The answer's bound (a certificate file's). */
  maxBytes: number;
  /** The answer read as a certificate; throws when it is not one. */
  parse(bytes: Uint8Array, from: string): T;
}

export async function downloadCertificate<T extends { serialNumber: string }>(serialNumber: string, options: DownloadOptions<T>): Promise<T> {
  const url = downloadUrl(options.base ?? downloadBase(), serialNumber);
  const agents = { http: new http.Agent({ keepAlive: false }), https: new https.Agent({ keepAlive: false }) };
  let body: Buffer;
  try {
    const res = await requestOnce({ method: 'GET', url, headers: { accept: 'application/pkix-cert, application/x-x509-ca-cert, */*' }, maxBytes: options.maxBytes, timeoutMs: options.timeoutMs, agents });
    if (res.status === 404) throw new MoicaError('certificate-download-failed', `The issuer has no certificate ${normaliseSerial(serialNumber, 'usage')} (HTTP 404).`, { url, status: 404 });
    if (res.status !== 200) throw new MoicaError('certificate-download-failed', `The issuer's certificate download answered HTTP ${res.status}.`, { url, status: res.status });
    body = res.body;
  } catch (e) {
    if (isMoicaError(e, 'certificate-download-failed')) throw e;
    const message = e instanceof Error ? e.message : String(e);
    throw new MoicaError('certificate-download-failed', `The certificate download failed: ${message}`, { url }, { cause: e });
  } finally {
    agents.http.destroy();
    agents.https.destroy();
  }
  let supplied: T;
  try {
    supplied = options.parse(new Uint8Array(body), url);
  } catch (e) {
    // An HTML error page, an empty body: the download did not give a certificate.
    const message = e instanceof Error ? e.message : String(e);
    throw new MoicaError('certificate-download-failed', `The issuer's download sent no usable certificate: ${message}`, { url }, { cause: e });
  }
  if (normaliseSerial(supplied.serialNumber) !== normaliseSerial(serialNumber, 'usage')) {
    throw new MoicaError('certificate-download-failed', `Asked for certificate ${normaliseSerial(serialNumber, 'usage')}, the download sent ${supplied.serialNumber}.`, { url });
  }
  return supplied;
}
