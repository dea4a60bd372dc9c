/**
 * Certificate status from the CA's CRL (issue 11 item 5), when OCSP gives no usable answer.
 *
 * - Download with a conditional GET (If-None-Match / If-Modified-Since) into the user's cache directory
 *   (`$XDG_CACHE_HOME/moica-check/crl`, else `~/.cache/moica-check/crl`), each file written to a temp
 *   file and renamed into place; only a CRL whose signature verified with the card's CA key is kept.
 * - A download is bounded: a byte cap (MAX_CRL_BYTES), a stall limit and a whole-download deadline.
 *   When it fails and a cached copy exists, the copy is used (and said so).
 * - `nextUpdate` respected: a CRL past it is used with a warning, and never makes a certificate "good"
 *   (a serial it does not list is then `unknown`); a revocation it lists still stands.
 * - The URLs are tried in the order given: the holder's CDP (a partition) before the CA's complete CRL.
 * - The scan (crl-scan.ts) never builds the entries it passes. Its answers are kept per (CRL hash, CA key,
 *   serial) beside the file, so the next check of the same card answers without reading the CRL again.
 */
import { createHash, randomBytes } from 'node:crypto';
import { mkdir, readFile, rename, stat, writeFile, unlink } from 'node:fs/promises';
import http from 'node:http';
import https from 'node:https';
import { homedir } from 'node:os';
import { join } from 'node:path';
import type { Agents } from 'got';
import { MoicaError, isMoicaError } from '../errors.js';
import { requestOnce } from './http.js';
import { caPublicKey, findRevoked, layoutOf, verifyCrlSignature, type CrlEntry } from './crl-scan.js';
import { normaliseSerial } from '../domain/serial.js';
import type { OcspCertStatus } from './types.js';

/** The G2 complete CRL is ≈ 20 MB (2026): room to grow, still a bound. */
export const MAX_CRL_BYTES = 64 * 1024 * 1024;
/** Clocks disagree by minutes: the same allowance as OCSP. */
export const CRL_SKEW_MS = 5 * 60_000;
/** A CRL without nextUpdate is taken as current for a day at most (MOICA publishes daily). */
export const CRL_MAX_AGE_MS = 24 * 60 * 60_000;

export interface CrlAnswer {
  serialNumber: string;
  /** `good`: not listed in a current CRL; `revoked`: listed; `unknown`: not listed, but the CRL is stale. */
  status: OcspCertStatus;
  /** CRLReason name for revoked (superseded, certificateHold, keyCompromise …), else null. */
  reason: string | null;
  revokedAt?: Date;
}

export type CrlFailureReason = 'unreachable' | 'timeout' | 'invalid' | 'bad-signature' | 'no-issuer' | 'no-url';

export interface CrlReport {
  checked: boolean;
  /** The CRL that answered (or the last one tried). */
  url: string | null;
  thisUpdate?: Date;
  nextUpdate?: Date | null;
  /** True when the answer came from the cached file (a 304, or the server unreachable). */
  fromCache: boolean;
  /** Past nextUpdate (or, without one, older than a day): used, with a warning. */
  stale: boolean;
  partitioned?: boolean;
  crlNumber?: string | null;
  certificates: CrlAnswer[];
  notCheckedReason?: CrlFailureReason;
  detail?: string;
  /** A warning to show: a stale CRL, a refresh that failed, a bad signature (may be forged). */
  warning?: string;
}

export interface CrlProgress {
  url: string;
  bytes: number;
  total: number | undefined;
}

export interface CrlCheck {
  /** In the order to try (partition first). */
  urls: string[];
  serialNumbers: string[];
  /** DER of the CA certificate that signs the CRL (the card's issuing CA). */
  issuerDer: Uint8Array | undefined;
  /** Stall limit, and the base of the whole-download deadline (×10, at least 60 s). */
  timeoutMs: number;
  /** Whole-download deadline; default max(60 s, 10 × timeoutMs). */
  downloadTimeoutMs?: number;
  cacheDir?: string;
  now?: Date;
  maxBytes?: number;
  onProgress?: (progress: CrlProgress) => void;
  agents?: Agents;
  /** Environment for the cache directory (tests); default process.env. */
  env?: NodeJS.ProcessEnv;
}

/** `$XDG_CACHE_HOME/moica-check/crl`, else `~/.cache/moica-check/crl`. */
export function crlCacheDir(env: NodeJS.ProcessEnv = process.env): string {
  const base = env.XDG_CACHE_HOME && env.XDG_CACHE_HOME.startsWith('/') ? env.XDG_CACHE_HOME : join(env.HOME || homedir(), '.cache');
  return join(base, 'moica-check', 'crl');
}

interface Meta {
  url: string;
  etag?: string;
  lastModified?: string;
  sha256: string;
  size: number;
  fetchedAt: string;
}

interface ScanCache {
  sha256: string;
  caKeySha256: string;
  thisUpdate: string;
  nextUpdate: string | null;
  crlNumber: string | null;
  partitioned: boolean;
  /** serial → its entry, or null when the CRL does not list it. */
  answers: Record<string, { revokedAt: string; reason: string } | null>;
}

const oneShot: Agents = { http: new http.Agent({ keepAlive: false }), https: new https.Agent({ keepAlive: false }) };

function paths(dir: string, url: string) {
  const base = join(dir, createHash('sha256').update(url).digest('hex').slice(0, 32));
  return { crl: `${base}.crl`, meta: `${base}.json`, scan: `${base}.scan.json` };
}

async function writeAtomic(path: string, data: Uint8Array | string): Promise<void> {
  const tmp = `${path}.${process.pid}.${randomBytes(4).toString('hex')}.tmp`;
  try {
    await writeFile(tmp, data, { mode: 0o600 });
    await rename(tmp, path);
  } catch (e) {
    await unlink(tmp).catch(() => undefined);
    throw e;
  }
}

async function readJson<T>(path: string): Promise<T | undefined> {
  try {
    return JSON.parse(await readFile(path, 'utf8')) as T;
  } catch {
    return undefined;
  }
}

const sha256 = (data: Uint8Array) => createHash('sha256').update(data).digest('hex');

/** A verified CRL's answers for `serials`, from the scan cache where it has them, else from the DER. */
export interface CrlFacts {
  thisUpdate: Date;
  nextUpdate: Date | null;
  crlNumber: string | null;
  partitioned: boolean;
  entries: Map<string, CrlEntry | null>;
}

/**
 * Answers from a CRL file on disk. Warm: the scan cache beside it holds every serial for this file (its
 * size and hash as recorded when it was written) and this CA key → no CRL byte is read. Cold: the file is
 * read, its signature verified, the DER walked once for the missing serials, the scan cache updated.
 */
export async function answersFromFile(
  file: { crl: string; scan: string; meta?: Meta },
  serials: string[],
  issuerDer: Uint8Array,
): Promise<CrlFacts & { warm: boolean }> {
  const ca = caPublicKey(issuerDer);
  const wanted = serials.map((s) => normaliseSerial(s, 'crl-invalid'));
  const cached = await readJson<ScanCache>(file.scan);
  const size = (await stat(file.crl)).size;
  const fresh = cached !== undefined && file.meta !== undefined && cached.sha256 === file.meta.sha256 &&
    file.meta.size === size && cached.caKeySha256 === ca.keySha256;
  if (fresh && wanted.every((s) => s in cached.answers)) {
    return {
      warm: true,
      thisUpdate: new Date(cached.thisUpdate),
      nextUpdate: cached.nextUpdate === null ? null : new Date(cached.nextUpdate),
      crlNumber: cached.crlNumber,
      partitioned: cached.partitioned,
      entries: new Map(wanted.map((s) => {
        const a = cached.answers[s];
        return [s, a ? { serialNumber: s, revokedAt: new Date(a.revokedAt), reason: a.reason } : null];
      })),
    };
  }
  const der: Uint8Array = await readFile(file.crl); // a Buffer is a Uint8Array: no 20 MB copy
  const facts = verifiedFacts(der, wanted, ca);
  const digest = file.meta?.sha256 ?? sha256(der);
  const answers: ScanCache['answers'] = fresh ? { ...cached.answers } : {};
  for (const [s, e] of facts.entries) answers[s] = e ? { revokedAt: e.revokedAt.toISOString(), reason: e.reason } : null;
  const scan: ScanCache = {
    sha256: digest, caKeySha256: ca.keySha256, thisUpdate: facts.thisUpdate.toISOString(),
    nextUpdate: facts.nextUpdate?.toISOString() ?? null, crlNumber: facts.crlNumber, partitioned: facts.partitioned, answers,
  };
  await writeAtomic(file.scan, JSON.stringify(scan)).catch(() => undefined); // a read-only cache only costs speed
  return { ...facts, warm: false };
}

/** Layout, signature, then the walk: throws crl-invalid / crl-bad-signature. */
export function verifiedFacts(der: Uint8Array, serials: string[], ca: ReturnType<typeof caPublicKey>): CrlFacts {
  const layout = layoutOf(der);
  verifyCrlSignature(der, layout, ca);
  const { found } = findRevoked(der, layout, serials);
  return {
    thisUpdate: layout.thisUpdate,
    nextUpdate: layout.nextUpdate,
    crlNumber: layout.crlNumber,
    partitioned: layout.partitioned,
    entries: new Map(serials.map((s) => [s, found.get(s) ?? null])),
  };
}

function isStale(facts: Pick<CrlFacts, 'thisUpdate' | 'nextUpdate'>, now: Date): boolean {
  const t = now.getTime();
  return facts.nextUpdate !== null ? facts.nextUpdate.getTime() < t - CRL_SKEW_MS : facts.thisUpdate.getTime() < t - CRL_MAX_AGE_MS;
}

const failureOf = (e: unknown): CrlFailureReason => {
  if (!isMoicaError(e)) return 'invalid';
  switch (e.code) {
    case 'crl-timeout': case 'registry-timeout': return 'timeout';
    case 'crl-unreachable': case 'registry-unreachable': return 'unreachable';
    case 'crl-bad-signature': return 'bad-signature';
    default: return 'invalid';
  }
};

/**
 * One CRL URL: the conditional GET, the new file verified before it replaces the cached one. Returns where
 * the verified CRL lies, and whether it is the cached copy. Throws typed errors (crl-*).
 */
export async function fetchCrl(url: string, check: CrlCheck & { dir: string }): Promise<{ file: { crl: string; scan: string; meta: Meta }; fromCache: boolean; refreshError?: MoicaError }> {
  const p = paths(check.dir, url);
  const meta = await readJson<Meta>(p.meta);
  const haveCached = meta !== undefined && meta.url === url && (await stat(p.crl).then((s) => s.size === meta.size, () => false));
  const headers: Record<string, string> = { accept: 'application/pkix-crl, */*' };
  if (haveCached && meta.etag) headers['if-none-match'] = meta.etag;
  if (haveCached && meta.lastModified) headers['if-modified-since'] = meta.lastModified;
  const maxBytes = check.maxBytes ?? MAX_CRL_BYTES;
  let res;
  try {
    res = await requestOnce({
      method: 'GET', url, headers, maxBytes,
      timeoutMs: check.downloadTimeoutMs ?? Math.max(60_000, 10 * check.timeoutMs),
      stallMs: check.timeoutMs,
      agents: check.agents ?? oneShot,
      ...(check.onProgress ? { onProgress: (bytes: number, total: number | undefined) => check.onProgress!({ url, bytes, total }) } : {}),
    });
  } catch (e) {
    const typed = isMoicaError(e, 'registry-timeout') ? new MoicaError('crl-timeout', `The CRL download from ${new URL(url).origin} stalled or took too long.`, {}, { cause: e })
      : isMoicaError(e, 'registry-invalid') && (e.detail as { maxBytes?: number }).maxBytes !== undefined
        ? new MoicaError('crl-invalid', `The CRL at ${url} is larger than ${maxBytes} bytes.`, { maxBytes }, { cause: e })
        : isMoicaError(e, 'registry-invalid') ? new MoicaError('crl-invalid', `${new URL(url).origin} did not answer in HTTP.`, {}, { cause: e })
          : new MoicaError('crl-unreachable', `Cannot download the CRL from ${new URL(url).origin}.`, {}, { cause: e });
    if (haveCached) return { file: { ...p, meta }, fromCache: true, refreshError: typed };
    throw typed;
  }
  if (res.status === 304 && haveCached) return { file: { ...p, meta }, fromCache: true };
  if (res.status !== 200) {
    const err = new MoicaError('crl-unreachable', `The CRL server answered HTTP ${res.status} for ${url}.`, { httpStatus: res.status });
    if (haveCached) return { file: { ...p, meta }, fromCache: true, refreshError: err };
    throw err;
  }
  const der = new Uint8Array(res.body.buffer, res.body.byteOffset, res.body.byteLength);
  if (!check.issuerDer) throw new MoicaError('crl-invalid', 'No CA certificate to verify the CRL with.');
  // Only a verified CRL goes into the cache: structure and signature now (the walk comes with the answers).
  const layout = layoutOf(der);
  verifyCrlSignature(der, layout, caPublicKey(check.issuerDer));
  await mkdir(check.dir, { recursive: true, mode: 0o700 });
  const header = (name: string) => { const v = res.headers[name]; return typeof v === 'string' ? v : undefined; };
  const etag = header('etag');
  const lastModified = header('last-modified');
  const newMeta: Meta = {
    url, sha256: sha256(der), size: der.length, fetchedAt: new Date().toISOString(),
    ...(etag ? { etag } : {}), ...(lastModified ? { lastModified } : {}),
  };
  await writeAtomic(p.crl, der);
  await writeAtomic(p.meta, JSON.stringify(newMeta));
  return { file: { ...p, meta: newMeta }, fromCache: false };
}

function answersOf(facts: CrlFacts, stale: boolean): CrlAnswer[] {
  return [...facts.entries].map(([serialNumber, e]) => e
    ? { serialNumber, status: 'revoked' as const, reason: e.reason, revokedAt: e.revokedAt }
    : { serialNumber, status: stale ? 'unknown' as const : 'good' as const, reason: null });
}

/** Every URL in order until one gives a verified CRL; never throws (the report says what failed). */
export async function checkCrl(check: CrlCheck): Promise<CrlReport> {
  const notChecked = (reason: CrlFailureReason, detail: string, url: string | null = null): CrlReport => ({
    checked: false, url, fromCache: false, stale: false, certificates: [], notCheckedReason: reason, detail,
    ...(reason === 'bad-signature' ? { warning: detail } : {}),
  });
  if (check.urls.length === 0) return notChecked('no-url', 'No CRL is known for these certificates.');
  if (check.issuerDer === undefined) return notChecked('no-issuer', 'The card holds no CA certificate to verify a CRL with.');
  try {
    caPublicKey(check.issuerDer);
  } catch {
    return notChecked('no-issuer', 'The CA certificate on the card does not parse.');
  }
  const now = check.now ?? new Date();
  const dir = check.cacheDir ?? crlCacheDir(check.env);
  let last: CrlReport | undefined;
  for (const url of check.urls) {
    try {
      const got = await fetchCrl(url, { ...check, dir });
      const facts = await answersFromFile(got.file, check.serialNumbers, check.issuerDer);
      if (facts.thisUpdate.getTime() > now.getTime() + CRL_SKEW_MS) throw new MoicaError('crl-invalid', 'The CRL is dated in the future.');
      const stale = isStale(facts, now);
      const warnings = [
        ...(stale ? [`The CRL is out of date (next update was due ${facts.nextUpdate?.toISOString() ?? 'a day after its issue'}): a certificate it does not list is not confirmed.`] : []),
        ...(got.refreshError ? [`The CRL could not be refreshed (${got.refreshError.message}): the cached copy was used.`] : []),
      ];
      return {
        checked: true, url, thisUpdate: facts.thisUpdate, nextUpdate: facts.nextUpdate, fromCache: got.fromCache, stale,
        partitioned: facts.partitioned, crlNumber: facts.crlNumber, certificates: answersOf(facts, stale),
        ...(warnings.length > 0 ? { warning: warnings.join(' ') } : {}),
      };
    } catch (e) {
      last = notChecked(failureOf(e), e instanceof Error ? e.message : String(e), url);
      if (last.notCheckedReason === 'bad-signature') return last; // a forged-looking CRL is reported, not passed over
    }
  }
  return last!;
}
