/** A throwaway node:http server on 127.0.0.1 for the client's fault tests. */
import http from 'node:http';
import type { AddressInfo } from 'node:net';

export interface Fixture {
  url: string;
  /** Requests seen, in order. */
  requests: Array<{ method: string; url: string; body: string }>;
  connections: number;
  close(): Promise<void>;
}

export type Handler = (req: http.IncomingMessage, res: http.ServerResponse, index: number, body: string) => void;

export async function fixture(handler: Handler): Promise<Fixture> {
  const requests: Fixture['requests'] = [];
  const server = http.createServer((req, res) => {
    const chunks: Buffer[] = [];
    req.on('data', (c: Buffer) => chunks.push(c));
    req.on('end', () => {
      const body = Buffer.concat(chunks).toString('utf8');
      requests.push({ method: req.method ?? '', url: req.url ?? '', body });
      handler(req, res, requests.length - 1, body);
    });
  });
  const state = { connections: 0 };
  server.on('connection', () => state.connections++);
  await new Promise<void>((resolve) => server.listen(0, '127.0.0.1', resolve));
  const { port } = server.address() as AddressInfo;
  return {
    url: `http://127.0.0.1:${port}`,
    requests,
    get connections() {
      return state.connections;
    },
    close: () =>
      new Promise<void>((resolve) => {
        server.closeAllConnections();
        server.close(() => resolve());
      }),
  };
}

/** A port nothing listens on: bound once, then released. */
export async function closedPort(): Promise<number> {
  const server = http.createServer();
  await new Promise<void>((resolve) => server.listen(0, '127.0.0.1', resolve));
  const { port } = server.address() as AddressInfo;
  await new Promise<void>((resolve) => server.close(() => resolve()));
  return port;
}

export const CARD = 'TP03130708163649';
export function cardBody(overrides: Record<string, unknown> = {}): string {
  return JSON.stringify({
    cardNumber: CARD,
    certificates: [
      { slot: 0, usage: 'signature', serialNumber: '3B7161C40F46488916A', status: 'valid',
        notBefore: '2024-03-01T00:00:00Z', notAfter: '2029-03-01T00:00:00Z', renewedFrom: null },
      { slot: 1, usage: 'encryption', serialNumber: '69D8DCA6BECC064523', status: 'valid',
        notBefore: '2024-03-01T00:00:00Z', notAfter: '2029-03-01T00:00:00Z', renewedFrom: null },
    ],
    ...overrides,
  });
}

export function json(res: http.ServerResponse, status: number, body: string, headers: Record<string, string> = {}): void {
  res.writeHead(status, { 'content-type': 'application/json', ...headers });
  res.end(body);
}
