/**
 * CRLs made by OpenSSL itself (`openssl ca -revoke … -crl_reason`, `openssl ca -gencrl`), in a temp CA dir,
 * and a loopback HTTP server that serves them with an ETag and Last-Modified and answers conditional GETs
 * with 304, counting what it sent. Ports from the OS; closed in after hooks.
 */
import { execFileSync } from 'node:child_process';
import { createHash } from 'node:crypto';
import { mkdtempSync, readFileSync, rmSync, writeFileSync } from 'node:fs';
import http from 'node:http';
import type { AddressInfo } from 'node:net';
import { tmpdir } from 'node:os';
import { join } from 'node:path';

const CONFIG = `
[ca]
default_ca = CA_default
[CA_default]
dir = .
database = ./index.txt
crlnumber = ./crlnumber
certificate = ./ca.pem
private_key = ./ca.key
default_md = sha256
default_crl_days = 1
crl_extensions = crl_ext
new_certs_dir = .
serial = ./serial
policy = pol
[pol]
[crl_ext]
authorityKeyIdentifier = keyid:always
[crl_part]
authorityKeyIdentifier = keyid:always
issuingDistributionPoint = critical, @idp
[idp]
fullname = URI:http://127.0.0.1/part.crl
`;

export interface CrlCa {
  dir: string;
  caDer: Uint8Array;
  /** `openssl ca -revoke` of a new holder certificate with this serial (hex) and reason option. */
  revoke(serialHex: string, how: { reason: string } | { hold: string }): void;
  /** `openssl ca -gencrl` → DER. `part`: with an issuingDistributionPoint (a partition); `hours`: validity. */
  gencrl(options?: { part?: boolean; hours?: number }): Uint8Array;
  cleanup(): void;
}

function run(dir: string, args: string[]): void {
  execFileSync('openssl', args, { cwd: dir, stdio: ['ignore', 'ignore', 'pipe'] });
}

const pemToDer = (pem: string) => new Uint8Array(Buffer.from(pem.replace(/-----[^-]+-----/g, '').replace(/\s+/g, ''), 'base64'));

/** A CA (RSA-2048, self-signed, with an SKI) ready for `openssl ca`; `name` is its subject. */
export function makeCrlCa(name = '/C=TW/O=Test Ministry/OU=Test MOICA CA'): CrlCa {
  const dir = mkdtempSync(join(tmpdir(), 'moica-crl-'));
  writeFileSync(join(dir, 'ca.cnf'), CONFIG);
  writeFileSync(join(dir, 'index.txt'), '');
  writeFileSync(join(dir, 'index.txt.attr'), 'unique_subject = no\n');
  writeFileSync(join(dir, 'crlnumber'), '01\n');
  run(dir, ['req', '-x509', '-newkey', 'rsa:2048', '-nodes', '-keyout', 'ca.key', '-out', 'ca.pem', '-days', '3650', '-subj', name,
    '-addext', 'basicConstraints=critical,CA:TRUE', '-addext', 'keyUsage=critical,keyCertSign,cRLSign', '-addext', 'subjectKeyIdentifier=hash']);
  let n = 0;
  return {
    dir,
    caDer: pemToDer(readFileSync(join(dir, 'ca.pem'), 'utf8')),
    revoke(serialHex, how) {
      const base = `h${n++}`;
      run(dir, ['req', '-newkey', 'ec', '-pkeyopt', 'ec_paramgen_curve:P-256', '-nodes', '-keyout', `${base}.key`, '-out', `${base}.csr`, '-subj', `/CN=${base}`]);
      run(dir, ['x509', '-req', '-in', `${base}.csr`, '-CA', 'ca.pem', '-CAkey', 'ca.key', '-set_serial', `0x${serialHex}`, '-out', `${base}.pem`, '-days', '30']);
      run(dir, ['ca', '-config', 'ca.cnf', '-revoke', `${base}.pem`, ...('reason' in how ? ['-crl_reason', how.reason] : ['-crl_hold', how.hold])]);
    },
    gencrl(options = {}) {
      const out = `crl-${n++}.pem`;
      run(dir, ['ca', '-config', 'ca.cnf', '-gencrl', '-out', out, ...(options.part ? ['-crlexts', 'crl_part'] : []),
        ...(options.hours !== undefined ? ['-crlhours', String(options.hours)] : [])]);
      return pemToDer(readFileSync(join(dir, out), 'utf8'));
    },
    cleanup: () => rmSync(dir, { recursive: true, force: true }),
  };
}

export interface CrlServer {
  url(path: string): string;
  /** What each path serves (change it between requests: a new CRL is published). */
  files: Map<string, Uint8Array>;
  /** Per request: path and the status sent (200, 304, 404 …). */
  log: Array<{ path: string; status: number }>;
  /** Paths whose answer sends `stallAfter` bytes of the body and then nothing. */
  stall: Map<string, number>;
  close(): Promise<void>;
}

/** Serves `files` with a strong ETag (SHA-256 of the bytes) and Last-Modified; 304 on a matching If-None-Match. */
export async function crlServer(): Promise<CrlServer> {
  const files = new Map<string, Uint8Array>();
  const stall = new Map<string, number>();
  const log: CrlServer['log'] = [];
  const lastModified = new Date(Math.floor(Date.now() / 1000) * 1000 - 60_000).toUTCString();
  const server = http.createServer((req, res) => {
    const path = (req.url ?? '/').split('?')[0]!;
    const body = files.get(path);
    const send = (status: number) => log.push({ path, status });
    if (body === undefined) { send(404); return void res.writeHead(404).end(); }
    const etag = `"${createHash('sha256').update(body).digest('hex').slice(0, 16)}"`;
    if (req.headers['if-none-match'] === etag) { send(304); return void res.writeHead(304, { etag }).end(); }
    send(200);
    res.writeHead(200, { 'content-type': 'application/pkix-crl', 'content-length': String(body.length), etag, 'last-modified': lastModified });
    const stallAfter = stall.get(path);
    if (stallAfter !== undefined) return void res.write(Buffer.from(body.subarray(0, stallAfter))); // and then nothing
    res.end(Buffer.from(body));
  });
  await new Promise<void>((r) => server.listen(0, '127.0.0.1', r));
  const port = (server.address() as AddressInfo).port;
  return {
    url: (path) => `http://127.0.0.1:${port}${path}`,
    files, log, stall,
    close: () => new Promise<void>((r) => { server.closeAllConnections(); server.close(() => r()); }),
  };
}

/**
 * `openssl ca -gencrl` for a CA whose files another rig wrote: `dir` must hold ca.pem, ca.key and an
 * index.txt in `openssl ca` form (e.g. the virtual PKI's writePemFiles + the OCSP fixture's writeOpensslIndex).
 */
export function gencrlIn(dir: string, options: { hours?: number } = {}): Uint8Array {
  writeFileSync(join(dir, 'ca.cnf'), CONFIG);
  writeFileSync(join(dir, 'crlnumber'), '10\n');
  const out = 'gen.crl.pem';
  run(dir, ['ca', '-config', 'ca.cnf', '-gencrl', '-out', out, ...(options.hours !== undefined ? ['-crlhours', String(options.hours)] : [])]);
  return pemToDer(readFileSync(join(dir, out), 'utf8'));
}

export interface HeldCrlServer {
  /** The CRL's URL (for a card's CDP: known before the CRL is made). */
  url: string;
  /** The body to serve (set once the CA exists); requests wait for it. */
  serve(body: Uint8Array): void;
  /** Sends the rest of the body: until then each answer holds after the first half. */
  release(): void;
  close(): Promise<void>;
}

/** A slow CRL download on demand: every answer sends its Content-Length and half the body, then holds the rest until release(). */
export async function heldCrlServer(): Promise<HeldCrlServer> {
  let serve!: (b: Uint8Array) => void;
  const served = new Promise<Uint8Array>((resolve) => (serve = resolve));
  let release!: () => void;
  const held = new Promise<void>((resolve) => (release = resolve));
  const server = http.createServer((_req, res) => {
    void served.then((body) => {
      res.writeHead(200, { 'content-type': 'application/pkix-crl', 'content-length': String(body.length) });
      const half = Math.floor(body.length / 2);
      res.write(Buffer.from(body.subarray(0, half)));
      void held.then(() => res.end(Buffer.from(body.subarray(half))));
    });
  });
  await new Promise<void>((r) => server.listen(0, '127.0.0.1', r));
  return {
    url: `http://127.0.0.1:${(server.address() as AddressInfo).port}/held.crl`,
    serve, release,
    close: () => new Promise<void>((r) => { release(); server.closeAllConnections(); server.close(() => r()); }),
  };
}
