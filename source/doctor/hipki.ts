/**
 * The issuer's HiPKI Local Server (HiPKILocalSignServer, issuer-services.md §4): it listens on
 * http://127.0.0.1:61161 (MOICA_HIPKI_URL for tests; loopback only), `GET /` answers its version and
 * `GET /pkcs11info?withcert=true` the tokens it sees. The shape of either answer is not published: the
 * version is the JSON `version` field or the first line of text; tokens are every object with a
 * `serialNumber` or `label` field, wherever it sits in the JSON. Each answer is bounded (64 KiB, the doctor's
 * timeout, at most 2 s) and every string from it is sanitised before it is shown.
 *
 * What it means for rewriting: the issuer's 檢測重寫 web page needs it; moica-check does not (it reads over
 * PC/SC and writes through the PKCS#11 module itself), and with it running the web page and moica-check
 * could both use the card: close the page while rewriting.
 */
import http from 'node:http';
import { sanitize } from '../text/sanitize.js';
import type { DoctorLine } from './types.js';

export const HIPKI_URL = 'http://127.0.0.1:61161';
const MAX_BYTES = 64 * 1024;
const MAX_MS = 2000;
const MAX_TOKENS = 16;

export interface HipkiToken {
  label: string | null;
  serialNumber: string | null;
}

/** A loopback base URL only: never a request to another host from doctor's HiPKI check. */
export function hipkiBase(env: NodeJS.ProcessEnv = process.env): string {
  const raw = env.MOICA_HIPKI_URL || HIPKI_URL;
  try {
    const url = new URL(raw);
    if (url.protocol === 'http:' && ['127.0.0.1', 'localhost', '[::1]'].includes(url.hostname)) return url.origin;
  } catch { /* fall through */ }
  return HIPKI_URL;
}

const clip = (s: string, n = 80) => sanitize(s).slice(0, n);

export function versionOf(body: Buffer): string | null {
  const text = body.toString('utf8');
  try {
    const json = JSON.parse(text) as unknown;
    if (json && typeof json === 'object') {
      for (const key of ['version', 'Version', 'ver']) {
        const v = (json as Record<string, unknown>)[key];
        if (typeof v === 'string' || typeof v === 'number') return clip(String(v));
      }
    }
  } catch { /* not JSON: the first line */ }
  const line = text.split(/\r?\n/).find((l) => l.trim() !== '')?.trim();
  return line ? clip(line) : null;
}

export function tokensOf(body: Buffer): HipkiToken[] | null {
  let json: unknown;
  try {
    json = JSON.parse(body.toString('utf8'));
  } catch {
    return null;
  }
  const out: HipkiToken[] = [];
  const seen = new Set<unknown>();
  const walk = (v: unknown, depth: number) => {
    if (out.length >= MAX_TOKENS || depth > 8 || v === null || typeof v !== 'object' || seen.has(v)) return;
    seen.add(v);
    if (Array.isArray(v)) {
      for (const item of v.slice(0, 64)) walk(item, depth + 1);
      return;
    }
    const o = v as Record<string, unknown>;
    const serial = typeof o.serialNumber === 'string' ? o.serialNumber : null;
    const label = typeof o.label === 'string' ? o.label : null;
    // A token object names a serial or a label; certificates inside it also have a serialNumber: skip those
    // that look like certificates (a subject or issuer next to the serial).
    if ((serial !== null || label !== null) && o.subject === undefined && o.issuer === undefined && o.certb64 === undefined) {
      out.push({ label: label === null ? null : clip(label.trim(), 64), serialNumber: serial === null ? null : clip(serial.trim(), 64) });
    }
    for (const [key, child] of Object.entries(o)) if (key !== 'certs' && key !== 'certificates') walk(child, depth + 1);
  };
  walk(json, 0);
  return out;
}

/** One GET with both bounds; node's http only (no proxy, no redirects: a loopback peer). */
function get(url: string, timeoutMs: number): Promise<{ status: number; body: Buffer }> {
  return new Promise((resolve, reject) => {
    const req = http.get(url, { headers: { accept: 'application/json, text/plain' }, agent: false }, (res) => {
      const chunks: Buffer[] = [];
      let size = 0;
      res.on('data', (c: Buffer) => {
        size += c.length;
        if (size > MAX_BYTES) {
          req.destroy(new Error(`answer larger than ${MAX_BYTES} bytes`));
          return;
        }
        chunks.push(c);
      });
      res.on('end', () => resolve({ status: res.statusCode ?? 0, body: Buffer.concat(chunks) }));
      res.on('error', reject);
    });
    // A deadline for the whole exchange: a server that trickles bytes does not stretch it.
    const deadline = setTimeout(() => req.destroy(new Error(`no complete answer within ${timeoutMs} ms`)), timeoutMs);
    req.on('close', () => clearTimeout(deadline));
    req.on('error', reject);
  });
}

export async function probeHipki(timeoutMs: number, env: NodeJS.ProcessEnv = process.env): Promise<DoctorLine> {
  const url = hipkiBase(env);
  const budget = Math.min(timeoutMs, MAX_MS);
  let root: { status: number; body: Buffer };
  try {
    root = await get(`${url}/`, budget);
  } catch (e) {
    const code = (e as { code?: string }).code;
    if (code === 'ECONNREFUSED' || code === 'ECONNRESET' || code === 'EADDRNOTAVAIL') {
      return { check: 'hipki', status: 'skip', summary: { key: 'hipki.absent', params: { url } }, next: { key: 'hipki.absent.next' }, details: { url, running: false } };
    }
    const message = clip(e instanceof Error ? e.message : String(e));
    return { check: 'hipki', status: 'warn', summary: { key: 'hipki.odd', params: { url, message } }, next: { key: 'hipki.absent.next' }, details: { url, running: null, error: message } };
  }
  const version = root.status === 200 ? versionOf(root.body) : null;
  let tokens: HipkiToken[] | null = null;
  try {
    const info = await get(`${url}/pkcs11info?withcert=true`, budget);
    tokens = info.status === 200 ? tokensOf(info.body) : null;
  } catch { /* the version answered: the token list is a bonus */ }
  if (root.status !== 200 || version === null) {
    const message = `HTTP ${root.status}`;
    return { check: 'hipki', status: 'warn', summary: { key: 'hipki.odd', params: { url, message } }, next: { key: 'hipki.absent.next' }, details: { url, running: null, httpStatus: root.status } };
  }
  const listed = tokens === null ? 'hipki.tokens-unknown'
    : tokens.length === 0 ? 'pkcs11.no-tokens'
      : tokens.map((t) => `${t.label ?? '?'} (${t.serialNumber ?? '?'})`).join(', ');
  return {
    check: 'hipki', status: 'ok',
    summary: { key: 'hipki.running', params: { url, version, tokens: listed } },
    next: { key: 'hipki.running.next' },
    details: { url, running: true, version, tokens },
  };
}
