/**
 * The registry's HTTP client (registry-api.md). Every answer is checked before anyone sees it: a body of
 * the wrong shape, size or status is a registry error, never a verdict.
 */
import { MoicaError } from '../errors.js';
import { keepAliveAgents, request, requestOnce, type HttpResponse, type RetryHooks } from './http.js';
import { cardNumberSchema, cardResponseSchema, describeIssues, rewriteRecordSchema, type RewriteRecordBody } from './schema.js';
import { normaliseSerial } from '../domain/serial.js';
import type { RegistryCard } from './types.js';
import { checkRegistryUrl } from './url.js';

export const MAX_JSON_BYTES = 64 * 1024;
export const MAX_CERTIFICATE_BYTES = 16 * 1024;

export interface RegistryClient {
  readonly baseUrl: string;
  getCard(cardNumber: string): Promise<RegistryCard>;
  /** DER of an issued certificate. */
  getCertificate(serialNumber: string): Promise<Uint8Array>;
  /** The record of a rewrite attempt; sent once, never retried (it may have been stored). */
  postRewrite(cardNumber: string, record: RewriteRecordBody): Promise<void>;
  /** Drop kept-alive connections. */
  close(): void;
}

export interface RegistryClientOptions extends RetryHooks {
  baseUrl: string;
  timeoutMs: number;
}

/** What the client needs of the command line (built from Options in engine/session.ts): registry/ never reads Options. */
export interface RegistryConfig {
  /** --registry URL or MOICA_REGISTRY_URL; undefined when none is configured. */
  registry: string | undefined;
  timeoutMs: number;
}

export function registryClientFromConfig(config: RegistryConfig, hooks: RetryHooks = {}): RegistryClient {
  if (config.registry === undefined) {
    throw new MoicaError('usage', 'No registry: pass --registry URL or set MOICA_REGISTRY_URL (or use --demo).');
  }
  return createRegistryClient({ baseUrl: config.registry, timeoutMs: config.timeoutMs, ...hooks });
}

function parseJson(res: HttpResponse, what: string): unknown {
  try {
    return JSON.parse(res.body.toString('utf8'));
  } catch {
    throw new MoicaError('registry-invalid', `The registry's answer for ${what} is not JSON.`);
  }
}

function httpError(res: HttpResponse, what: string): MoicaError {
  return new MoicaError('registry-http', `The registry answered HTTP ${res.status} for ${what}.`, { status: res.status });
}

export function createRegistryClient(opts: RegistryClientOptions): RegistryClient {
  const baseUrl = checkRegistryUrl(opts.baseUrl);
  const { agents, close } = keepAliveAgents();
  const get = (path: string, maxBytes: number, accept: string) =>
    request({ method: 'GET', url: `${baseUrl}${path}`, headers: { accept }, maxBytes, timeoutMs: opts.timeoutMs, agents }, opts);

  return {
    baseUrl,
    async getCard(cardNumber) {
      if (!cardNumberSchema.safeParse(cardNumber).success) {
        throw new MoicaError('card-answer-invalid', `"${cardNumber.slice(0, 40)}" is not a card number.`);
      }
      const what = `card ${cardNumber}`;
      const res = await get(`/v1/cards/${cardNumber}`, MAX_JSON_BYTES, 'application/json');
      if (res.status === 404) {
        const body = (() => { try { return JSON.parse(res.body.toString('utf8')) as unknown; } catch { return undefined; } })();
        if ((body as { error?: unknown } | undefined)?.error === 'card-not-found') {
          throw new MoicaError('card-not-found', `The registry has no card ${cardNumber}.`, { cardNumber });
        }
      }
      if (res.status !== 200) throw httpError(res, what);
      const parsed = cardResponseSchema.safeParse(parseJson(res, what));
      if (!parsed.success) {
        throw new MoicaError('registry-invalid', `The registry's answer for ${what} is not of the documented shape: ${describeIssues(parsed.error)}`);
      }
      if (parsed.data.cardNumber !== cardNumber) {
        throw new MoicaError('registry-invalid', `Asked for card ${cardNumber}, the registry answered for ${parsed.data.cardNumber}.`);
      }
      return parsed.data;
    },
    async getCertificate(serialNumber) {
      const serial = normaliseSerial(serialNumber);
      const what = `certificate ${serial}`;
      const res = await get(`/v1/certificates/${serial}`, MAX_CERTIFICATE_BYTES, 'application/pkix-cert');
      if (res.status !== 200) throw httpError(res, what);
      const type = String(res.headers['content-type'] ?? '').split(';')[0]!.trim().toLowerCase();
      if (type !== 'application/pkix-cert') {
        throw new MoicaError('registry-invalid', `The registry sent ${type || 'no content type'} for ${what}, not application/pkix-cert.`);
      }
      // A DER certificate is a SEQUENCE; the rewrite proves the rest (serial, issuer, key) before writing.
      if (res.body.length < 2 || res.body[0] !== 0x30) throw new MoicaError('registry-invalid', `The registry's ${what} is not DER.`);
      return new Uint8Array(res.body);
    },
    async postRewrite(cardNumber, record) {
      const checked = rewriteRecordSchema.safeParse(record);
      if (!checked.success) throw new MoicaError('internal', `A rewrite record not of the documented shape: ${describeIssues(checked.error)}`);
      const body = checked.data;
      const what = `the rewrite record of ${cardNumber}`;
      const res = await requestOnce({
        method: 'POST',
        url: `${baseUrl}/v1/cards/${encodeURIComponent(cardNumber)}/rewrites`,
        headers: { 'content-type': 'application/json', accept: 'application/json' },
        body: JSON.stringify(body),
        maxBytes: MAX_JSON_BYTES,
        timeoutMs: opts.timeoutMs,
        agents,
      });
      if (res.status === 404) throw new MoicaError('card-not-found', `The registry has no card ${cardNumber}.`, { cardNumber });
      if (res.status < 200 || res.status > 299) throw httpError(res, what);
    },
    close,
  };
}
