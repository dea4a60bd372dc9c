/**
 * Registry answers, mutated, through the real client (got, byte cap, zod) from a local server: the JSON
 * changed field by field (types, values, missing and extra fields, duplicated slots, huge strings, deep
 * nesting), then sometimes byte by byte, under odd statuses and content types, declared or chunked.
 * Each case asks for its own card number, so the server knows which answer to give.
 */
import http from 'node:http';
import type { AddressInfo } from 'node:net';
import { MoicaError } from '../../../source/errors.js';
import { createRegistryClient, type RegistryClient } from '../../../source/registry/client.js';
import { mutateBytes, type Prng } from '../prng.js';
import type { Target } from '../harness.js';

const REGISTRY_CODES = new Set(['registry-unreachable', 'registry-timeout', 'registry-http', 'registry-invalid', 'card-not-found']);
const SERIAL = /^(?:0|[1-9A-F][0-9A-F]*)$/;

interface Answer {
  status: number;
  contentType: string | undefined;
  body: Buffer;
  chunked: boolean;
}

export function validCard(cardNumber: string): Record<string, unknown> {
  return {
    cardNumber,
    certificates: [
      { slot: 0, usage: 'signature', serialNumber: '3B7161C40F46488916A', status: 'valid', notBefore: '2024-03-01T00:00:00Z', notAfter: '2029-03-01T00:00:00Z', renewedFrom: null },
      { slot: 1, usage: 'encryption', serialNumber: '69D8DCA6BECC064523', status: 'valid', notBefore: '2024-03-01T00:00:00Z', notAfter: '2029-03-01T00:00:00Z', renewedFrom: null },
    ],
  };
}

const deep = (n: number): unknown => JSON.parse('['.repeat(n) + ']'.repeat(n));
const ODD_VALUES: Array<() => unknown> = [
  () => null, () => true, () => 0, () => -1, () => 1, () => 2, () => 1.5, () => 1e308, () => '', () => 'x',
  () => '0x1F', () => 'GG', () => '-1A', () => '０１', () => '\u0000', () => '0'.repeat(5000), () => 'F'.repeat(300),
  () => '2024-02-30T00:00:00Z', () => '+275760-09-13T00:00:00Z', () => '2024-03-01T24:00:00Z', () => '2024-03-01',
  () => 'valid', () => 'revoked', () => 'unknown', () => 'signature', () => 'TP03130708163649', () => 'tp03130708163649',
  () => [], () => ({}), () => [null], () => ({ slot: 0 }), () => deep(2000), () => 'é'.repeat(40_000),
];

/** Every (container, key) in the document down to a few levels, to pick one to change. */
function places(doc: unknown, depth = 0, out: Array<[Record<string, unknown> | unknown[], string | number]> = []): typeof out {
  if (depth > 4) return out;
  if (Array.isArray(doc)) doc.forEach((v, i) => { out.push([doc, i]); places(v, depth + 1, out); });
  else if (doc !== null && typeof doc === 'object') {
    for (const [k, v] of Object.entries(doc)) { out.push([doc as Record<string, unknown>, k]); places(v, depth + 1, out); }
  }
  return out;
}

function mutateDocument(doc: Record<string, unknown>, rng: Prng, applied: string[]): void {
  const rounds = 1 + rng.int(3);
  for (let i = 0; i < rounds; i++) {
    const all = places(doc);
    if (all.length === 0) all.push([doc, 'cardNumber']);
    const [container, key] = rng.pick(all);
    const op = rng.int(5);
    if (op === 0) {
      if (Array.isArray(container)) container.splice(key as number, 1);
      else delete container[key as string];
      applied.push(`delete ${String(key)}`);
    } else if (op === 1 && Array.isArray(container)) {
      container.push(structuredClone(container[key as number]));
      applied.push(`duplicate [${String(key)}]`);
    } else if (op === 2 && !Array.isArray(container)) {
      container[rng.pick(['extra', '__proto__', 'constructor', 'error', 'slot'])] = rng.pick(ODD_VALUES)();
      applied.push('extra field');
    } else {
      const value = rng.pick(ODD_VALUES)();
      (container as Record<string, unknown>)[key as string] = value;
      applied.push(`set ${String(key)}=${JSON.stringify(value)?.slice(0, 24)}`);
    }
  }
}

function answerFor(cardNumber: string, rng: Prng, applied: string[]): Answer {
  const doc = rng.chance(0.1) ? { error: 'card-not-found', message: 'No card.' } : validCard(rng.chance(0.05) ? 'TP00000000000001' : cardNumber);
  if (rng.chance(0.85)) mutateDocument(doc, rng, applied);
  let body = Buffer.from(JSON.stringify(doc));
  if (rng.chance(0.3)) {
    const m = mutateBytes(body, rng);
    body = Buffer.from(m.bytes);
    applied.push(...m.applied);
  }
  const status = rng.chance(0.75) ? (doc.error ? 404 : 200) : rng.pick([200, 201, 204, 301, 400, 404, 408, 429, 500, 503, 999]);
  const contentType = rng.pick([undefined, 'application/json', 'application/json; charset=utf-8', 'text/html', 'application/pkix-cert']);
  const chunked = rng.chance(0.2);
  applied.push(`HTTP ${status}${chunked ? ' chunked' : ''} ${body.length} bytes`);
  return { status, contentType, body, chunked };
}

export async function registryTarget(): Promise<Target> {
  const answers = new Map<string, Answer>();
  const server = http.createServer((req, res) => {
    const cardNumber = decodeURIComponent((req.url ?? '').split('/').pop() ?? '');
    const a = answers.get(cardNumber);
    if (a === undefined) {
      res.writeHead(500).end();
      return;
    }
    const headers: Record<string, string> = a.contentType ? { 'content-type': a.contentType } : {};
    if (a.status === 204 || a.status === 301) {
      res.writeHead(a.status, a.status === 301 ? { location: '/elsewhere' } : {}).end();
      return;
    }
    if (a.chunked) {
      res.writeHead(a.status, headers);
      for (let at = 0; at < a.body.length; at += 16_384) res.write(a.body.subarray(at, at + 16_384));
      res.end();
    } else res.writeHead(a.status, { ...headers, 'content-length': String(a.body.length) }).end(a.body);
  });
  await new Promise<void>((resolve) => server.listen(0, '127.0.0.1', () => resolve()));
  const { port } = server.address() as AddressInfo;
  const client: RegistryClient = createRegistryClient({ baseUrl: `http://127.0.0.1:${port}`, timeoutMs: 4_000, sleep: async () => {} });
  return {
    name: 'registry',
    async run(rng, index, applied) {
      const cardNumber = `TP${String(index).padStart(14, '0')}`;
      answers.set(cardNumber, answerFor(cardNumber, rng, applied));
      try {
        const card = await client.getCard(cardNumber);
        if (card.cardNumber !== cardNumber) throw new Error(`getCard answered for ${card.cardNumber}`);
        for (const c of card.certificates) {
          if (!SERIAL.test(c.serialNumber)) throw new Error(`getCard returned serial ${JSON.stringify(c.serialNumber)}`);
          if (!(c.notBefore instanceof Date) || Number.isNaN(c.notBefore.getTime()) || Number.isNaN(c.notAfter.getTime())) {
            throw new Error('getCard returned an invalid date');
          }
        }
      } finally {
        answers.delete(cardNumber);
      }
    },
    typedCode: (e) => (e instanceof MoicaError && REGISTRY_CODES.has(e.code) ? e.code : undefined),
    async close() {
      client.close();
      await new Promise<void>((resolve) => {
        server.close(() => resolve());
        server.closeAllConnections();
      });
    },
  };
}
