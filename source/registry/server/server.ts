/**
 * The reference registry server (registry-api.md) on node:http, serving RegistryData from memory, with
 * an optional OCSP endpoint (POST /ocsp) so the demo has a whole OCSP path on loopback. Rewrite records
 * are kept in memory and exposed for tests. One log line per request: method path status ms.
 */
import http from 'node:http';
import type { AddressInfo } from 'node:net';
import { MoicaError } from '../../errors.js';
import { checkRegistryData } from './data.js';
import { createOcspResponder, type OcspResponderConfig } from './ocsp-responder.js';
import { CARD_NUMBER, describeIssues, rewriteRecordSchema } from '../schema.js';
import { tryNormaliseSerial } from '../../domain/serial.js';
import type { RegistryData } from '../types.js';

const MAX_BODY_BYTES = 64 * 1024;

export interface RewriteRecord {
  id: number;
  cardNumber: string;
  serialNumbers: string[];
  result: 'completed' | 'failed';
  detail: string;
  receivedAt: string;
}

export interface ServerOptions {
  data: RegistryData;
  port?: number;
  host?: string;
  /** One line per request; nothing when absent. */
  log?: (line: string) => void;
  ocsp?: OcspResponderConfig;
  /** Added before every answer: simulated network latency, for benchmarks. */
  delayMs?: number;
  now?: () => Date;
}

export interface RunningServer {
  url: string;
  /** `${url}/ocsp` when the OCSP endpoint is on. */
  ocspUrl?: string;
  rewrites: RewriteRecord[];
  close(): Promise<void>;
}

class Reply {
  constructor(readonly status: number, readonly body: Buffer | string, readonly headers: Record<string, string> = {}) {}
}
const reply = (status: number, doc: unknown, headers: Record<string, string> = {}) =>
  new Reply(status, JSON.stringify(doc), { 'content-type': 'application/json; charset=utf-8', ...headers });
const badRequest = (message: string) => reply(400, { error: 'bad-request', message });
const notFound = (error = 'not-found', message = 'No such resource.') => reply(404, { error, message });
const methodNotAllowed = (allow: string) => reply(405, { error: 'method-not-allowed', message: `Use ${allow}.` }, { allow });

function readBody(req: http.IncomingMessage): Promise<Buffer | null> {
  return new Promise((resolve, reject) => {
    const chunks: Buffer[] = [];
    let size = 0;
    req.on('data', (c: Buffer) => {
      size += c.length;
      if (size <= MAX_BODY_BYTES) chunks.push(c);
    });
    req.on('end', () => resolve(size > MAX_BODY_BYTES ? null : Buffer.concat(chunks)));
    req.on('error', reject);
  });
}

export async function start(options: ServerOptions): Promise<RunningServer> {
  const data = checkRegistryData(options.data);
  const now = options.now ?? (() => new Date());
  const ocsp = options.ocsp ? await createOcspResponder(options.ocsp) : undefined;
  const rewrites: RewriteRecord[] = [];

  async function route(req: http.IncomingMessage, path: string): Promise<Reply> {
    const method = req.method ?? '';
    if (path === '/ocsp' && ocsp) {
      if (method !== 'POST') return methodNotAllowed('POST');
      const body = await readBody(req);
      if (body === null) return reply(413, { error: 'too-large', message: 'Request over 64 KiB.' });
      return new Reply(200, Buffer.from(await ocsp(body, now())), { 'content-type': 'application/ocsp-response' });
    }
    let segments: string[];
    try {
      segments = path.split('/').slice(1).map((s) => decodeURIComponent(s));
    } catch {
      return badRequest('Malformed path.');
    }
    const [v1, kind, id, sub, ...rest] = segments;
    if (v1 !== 'v1' || (kind !== 'cards' && kind !== 'certificates')) return notFound();
    if (id === undefined || id === '' || rest.length > 0 || (kind === 'certificates' && sub !== undefined) || (sub !== undefined && sub !== 'rewrites')) {
      return badRequest('Malformed path.');
    }
    if (kind === 'certificates') {
      if (method !== 'GET') return methodNotAllowed('GET');
      const serial = tryNormaliseSerial(id);
      if (serial === null) return badRequest('A serial number is hexadecimal.');
      const base64 = data.certificates[serial];
      if (base64 === undefined) return notFound('not-found', `No certificate ${serial}.`);
      return new Reply(200, Buffer.from(base64, 'base64'), { 'content-type': 'application/pkix-cert' });
    }
    if (!CARD_NUMBER.test(id)) return badRequest('A card number is letters and digits, 12-16 characters.');
    const card = data.cards[id];
    if (sub === undefined) {
      if (method !== 'GET') return methodNotAllowed('GET');
      if (card === undefined) return notFound('card-not-found', `No card ${id}.`);
      return reply(200, { cardNumber: id, certificates: card.certificates });
    }
    if (method !== 'POST') return methodNotAllowed('POST');
    const body = await readBody(req);
    if (body === null) return reply(413, { error: 'too-large', message: 'Request over 64 KiB.' });
    let raw: unknown;
    try {
      raw = JSON.parse(body.toString('utf8'));
    } catch {
      return badRequest('The body is not JSON.');
    }
    const parsed = rewriteRecordSchema.safeParse(raw);
    if (!parsed.success) return badRequest(describeIssues(parsed.error));
    if (card === undefined) return notFound('card-not-found', `No card ${id}.`);
    const record: RewriteRecord = { id: rewrites.length + 1, cardNumber: id, ...parsed.data, receivedAt: now().toISOString() };
    rewrites.push(record);
    return reply(201, record);
  }

  const server = http.createServer((req, res) => {
    const started = process.hrtime.bigint();
    const path = (req.url ?? '/').split('?')[0]!;
    res.on('finish', () => {
      const ms = Number(process.hrtime.bigint() - started) / 1e6;
      options.log?.(`${req.method} ${path} ${res.statusCode} ${ms.toFixed(1)}ms`);
    });
    const delay = options.delayMs ? new Promise((r) => setTimeout(r, options.delayMs)) : Promise.resolve();
    delay
      .then(() => route(req, path))
      .catch(() => reply(500, { error: 'internal', message: 'The server failed.' }))
      .then((r) => {
        req.resume(); // a body nobody read must not hold the connection
        res.writeHead(r.status, { ...r.headers, 'content-length': String(Buffer.byteLength(r.body)) });
        res.end(r.body);
      });
  });
  await new Promise<void>((resolve, reject) => {
    server.once('error', (e: NodeJS.ErrnoException) =>
      reject(new MoicaError('usage', `Cannot listen on ${options.host ?? '127.0.0.1'}:${options.port ?? 0} (${e.code ?? e.message}).`)));
    server.listen(options.port ?? 0, options.host ?? '127.0.0.1', () => resolve());
  });
  const { address, port } = server.address() as AddressInfo;
  const host = address.includes(':') ? `[${address}]` : address;
  const url = `http://${host}:${port}`;
  return {
    url,
    ...(ocsp ? { ocspUrl: `${url}/ocsp` } : {}),
    rewrites,
    close: () =>
      new Promise<void>((resolve) => {
        server.close(() => resolve());
        server.closeAllConnections();
      }),
  };
}
