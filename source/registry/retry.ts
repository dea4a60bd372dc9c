/**
 * When to ask again. GETs only (a POST may have taken effect), at most twice, with jittered
 * exponential backoff so many clients hitting a struggling registry do not retry in lock-step.
 */
export const MAX_RETRIES = 2;
/**
 * A Retry-After longer than this is not waited for: the request fails with registry-http 429/503 at once.
 * Waiting minutes would freeze a check; retrying sooner than asked would not honour the header.
 */
export const RETRY_AFTER_MAX_MS = 5_000;
const BACKOFF_BASE_MS = 200;

export const RETRYABLE_STATUS = new Set([408, 429, 500, 502, 503, 504]);
// Transient connection failures; a DNS NXDOMAIN or a TLS failure is not going to heal in a second.
export const RETRYABLE_NETWORK = new Set(['ECONNREFUSED', 'ECONNRESET', 'EPIPE', 'EAI_AGAIN', 'ENETUNREACH', 'EHOSTUNREACH']);

/** Retry-After in milliseconds: delta-seconds or an HTTP-date; undefined when absent or unreadable. */
export function parseRetryAfter(value: string | undefined, nowMs: number): number | undefined {
  if (value === undefined) return undefined;
  const v = value.trim();
  if (/^\d{1,10}$/.test(v)) return Number(v) * 1000;
  const at = Date.parse(v);
  if (Number.isNaN(at)) return undefined;
  return Math.max(0, at - nowMs);
}

/** Attempt 0 → 100-200 ms, attempt 1 → 200-400 ms. */
export function backoffMs(attempt: number, random: () => number): number {
  const ceiling = BACKOFF_BASE_MS * 2 ** attempt;
  return Math.round(ceiling / 2 + (random() * ceiling) / 2);
}
