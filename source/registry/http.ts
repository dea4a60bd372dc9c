/**
 * One HTTP exchange through got, bounded three ways: a deadline for the whole exchange (a body that
 * stalls half-way still ends it), a byte cap (the download is aborted as soon as it is passed, never
 * buffered whole), and GET-only retries. Failures come out as the registry's typed errors; the OCSP
 * side maps them to its own reasons.
 */
import http from 'node:http';
import https from 'node:https';
import got, { type Agents } from 'got';
import { MoicaError } from '../errors.js';
import { MAX_RETRIES, RETRY_AFTER_MAX_MS, RETRYABLE_NETWORK, RETRYABLE_STATUS, backoffMs, parseRetryAfter } from './retry.js';

export interface HttpResponse {
  status: number;
  headers: Record<string, string | string[] | undefined>;
  body: Buffer;
}

export interface HttpRequest {
  method: 'GET' | 'POST';
  url: string;
  headers?: Record<string, string>;
  body?: Uint8Array | string;
  maxBytes: number;
  /** Budget for the whole exchange, retries and their waits included. */
  timeoutMs: number;
  agents?: Agents;
  /** Bytes received so far and the declared total (Content-Length), as they arrive (a CRL download's bar). */
  onProgress?: (bytes: number, total: number | undefined) => void;
  /** A body that sends nothing for this long ends the exchange (a stalled download), within timeoutMs. */
  stallMs?: number;
}

export interface RetryHooks {
  sleep?: (ms: number) => Promise<void>;
  random?: () => number;
  now?: () => number;
}

/**
 * Connections kept per registry host. Without a cap, N requests in flight open N sockets and keep-alive
 * only helps the next wave; a check needs at most three at once, and a burst (many checks from one
 * process) queues on these instead of opening hundreds of connections to the registry.
 */
export const MAX_SOCKETS_PER_HOST = 6;

export function keepAliveAgents(): { agents: Agents; close(): void } {
  const options = { keepAlive: true, maxSockets: MAX_SOCKETS_PER_HOST };
  const agents = { http: new http.Agent(options), https: new https.Agent(options) };
  return { agents, close: () => { agents.http.destroy(); agents.https.destroy(); } };
}

const defaultSleep = (ms: number) => new Promise<void>((resolve) => setTimeout(resolve, ms));

/** One attempt, no retry. */
export async function requestOnce(req: HttpRequest): Promise<HttpResponse> {
  const where = new URL(req.url).origin;
  if (req.timeoutMs <= 0) throw new MoicaError('registry-timeout', `No answer from ${where} in time.`);
  let tooLarge = false;
  const pending = got(req.url, {
    method: req.method,
    headers: { 'accept-encoding': 'identity', ...req.headers },
    body: req.body === undefined ? undefined : typeof req.body === 'string' ? req.body : Buffer.from(req.body),
    timeout: { request: req.timeoutMs, ...(req.stallMs !== undefined ? { socket: req.stallMs } : {}) },
    retry: { limit: 0 },
    throwHttpErrors: false,
    followRedirect: false,
    decompress: false,
    responseType: 'buffer',
    agent: req.agents ?? {},
  });
  const cap = () => {
    tooLarge = true;
    pending.cancel();
  };
  // The first progress event comes with the headers (total = Content-Length): a declared oversize body is
  // refused before a byte of it is read; an undeclared one as soon as the count passes the cap.
  pending.on('downloadProgress', (p: { transferred: number; total?: number }) => {
    if (p.transferred > req.maxBytes || (p.total ?? 0) > req.maxBytes) return cap();
    req.onProgress?.(p.transferred, p.total);
  });
  try {
    const res = await pending;
    return { status: res.statusCode, headers: res.headers, body: res.body };
  } catch (e) {
    if (tooLarge) {
      throw new MoicaError('registry-invalid', `The answer from ${where} is larger than ${req.maxBytes} bytes.`, { maxBytes: req.maxBytes });
    }
    const code = (e as { code?: string }).code ?? '';
    if (code === 'ETIMEDOUT') {
      throw new MoicaError('registry-timeout', `No complete answer from ${where} within ${req.timeoutMs} ms.`, {}, { cause: e });
    }
    // got wraps its own option and programming errors in this code: a bug here, not the network.
    if (code === 'ERR_GOT_REQUEST_ERROR') throw new MoicaError('internal', `Request to ${where} failed: ${(e as Error).message}`, {}, { cause: e });
    if (code.startsWith('HPE_')) {
      throw new MoicaError('registry-invalid', `${where} did not answer in HTTP.`, { errno: code }, { cause: e });
    }
    throw new MoicaError('registry-unreachable', `Cannot reach ${where}${code ? ` (${code})` : ''}.`, { errno: code }, { cause: e });
  }
}

/**
 * GETs are retried at most twice on a transient failure (connection refused/reset, 408/429/5xx), after a
 * jittered backoff or the server's Retry-After. POSTs are never retried here. Returns the last response,
 * whatever its status: the caller decides what a status means.
 */
export async function request(req: HttpRequest, hooks: RetryHooks = {}): Promise<HttpResponse> {
  const sleep = hooks.sleep ?? defaultSleep;
  const random = hooks.random ?? Math.random;
  const now = hooks.now ?? Date.now;
  const deadline = now() + req.timeoutMs;
  for (let attempt = 0; ; attempt++) {
    const canRetry = req.method === 'GET' && attempt < MAX_RETRIES;
    let waitMs: number;
    try {
      const res = await requestOnce({ ...req, timeoutMs: deadline - now() });
      if (!canRetry || !RETRYABLE_STATUS.has(res.status)) return res;
      const header = res.headers['retry-after'];
      const retryAfter = parseRetryAfter(Array.isArray(header) ? header[0] : header, now());
      if (retryAfter !== undefined && retryAfter > RETRY_AFTER_MAX_MS) return res;
      waitMs = retryAfter ?? backoffMs(attempt, random);
      if (now() + waitMs >= deadline) return res;
    } catch (e) {
      const errno = e instanceof MoicaError ? String(e.detail.errno ?? '') : '';
      if (!canRetry || !RETRYABLE_NETWORK.has(errno)) throw e;
      waitMs = backoffMs(attempt, random);
      if (now() + waitMs >= deadline) throw e;
    }
    await sleep(waitMs);
  }
}
