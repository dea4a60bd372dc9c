/**
 * A test CA made with the openssl CLI in a temp dir, and OpenSSL's own OCSP responder (`openssl ocsp
 * -index …`) serving it on 127.0.0.1. The responder announces its port ("ACCEPT [::]:PORT"): we wait
 * for that line, never a fixed sleep, and kill it in after hooks.
 */
import { execFileSync, spawn, type ChildProcess } from 'node:child_process';
import { mkdtempSync, readFileSync, rmSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import http from 'node:http';
import type { AddressInfo } from 'node:net';
import * as pkijs from 'pkijs';
import { certIdSerial } from '../../source/registry/ocsp-asn1.js';

export interface TestPki {
  dir: string;
  caDer: Uint8Array;
  /** paths of PEM certificate + key pairs by name */
  pem(name: string): string;
  key(name: string): string;
  der(name: string): Uint8Array;
  cleanup(): void;
}

function openssl(dir: string, args: string[]): void {
  execFileSync('openssl', args, { cwd: dir, stdio: ['ignore', 'ignore', 'pipe'] });
}

const EC = ['-newkey', 'ec', '-pkeyopt', 'ec_paramgen_curve:P-256'];

const EXTENSIONS = `
[ocsp]
basicConstraints = CA:FALSE
keyUsage = critical, digitalSignature
extendedKeyUsage = OCSPSigning
[plain]
basicConstraints = CA:FALSE
keyUsage = critical, digitalSignature
`;

/**
 * ca: the CA; resp: responder cert from ca with id-kp-OCSPSigning; noeku: from ca without it;
 * fakeca: self-signed, same name as ca, another key (a forger); outsider: OCSPSigning, issued by fakeca.
 */
export function makePki(): TestPki {
  const dir = mkdtempSync(join(tmpdir(), 'moica-ocsp-'));
  writeFileSync(join(dir, 'ext.cnf'), EXTENSIONS);
  const caName = '/C=TW/O=Test Ministry/OU=Test MOICA CA';
  // The CA is RSA like MOICA's; the other keys are P-256, quicker to make on a busy machine and a
  // second signature algorithm for the verifier.
  const selfSigned = (name: string, key: string[]) =>
    openssl(dir, ['req', '-x509', ...key, '-nodes', '-keyout', `${name}.key`, '-out', `${name}.pem`, '-days', '3650',
      '-subj', caName, '-addext', 'basicConstraints=critical,CA:TRUE', '-addext', 'keyUsage=critical,keyCertSign,cRLSign']);
  const issued = (name: string, ca: string, section: string) => {
    openssl(dir, ['req', ...EC, '-nodes', '-keyout', `${name}.key`, '-out', `${name}.csr`, '-subj', `/C=TW/CN=${name}`]);
    openssl(dir, ['x509', '-req', '-in', `${name}.csr`, '-CA', `${ca}.pem`, '-CAkey', `${ca}.key`, '-set_serial', String(1000 + name.length),
      '-out', `${name}.pem`, '-days', '365', '-extfile', 'ext.cnf', '-extensions', section]);
  };
  selfSigned('ca', ['-newkey', 'rsa:2048']);
  selfSigned('fakeca', EC);
  issued('resp', 'ca', 'ocsp');
  issued('noeku', 'ca', 'plain');
  issued('outsider', 'fakeca', 'ocsp');
  const der = (name: string) => {
    const pem = readFileSync(join(dir, `${name}.pem`), 'utf8');
    return new Uint8Array(Buffer.from(pem.replace(/-----[^-]+-----/g, '').replace(/\s+/g, ''), 'base64'));
  };
  return {
    dir,
    caDer: der('ca'),
    pem: (name) => join(dir, `${name}.pem`),
    key: (name) => join(dir, `${name}.key`),
    der,
    cleanup: () => rmSync(dir, { recursive: true, force: true }),
  };
}

export type IndexEntry = { serial: string; status: 'V' } | { serial: string; status: 'R'; reason: string };

/** index.txt as `openssl ca` writes it: serials in even-length upper-case hex. */
export function writeIndex(pki: TestPki, entries: IndexEntry[]): string {
  const lines = entries.map((e) => {
    const serial = e.serial.length % 2 === 1 ? `0${e.serial}` : e.serial;
    const revoked = e.status === 'R' ? `240101000000Z,${e.reason}` : '';
    return `${e.status}\t350101000000Z\t${revoked}\t${serial}\tunknown\t/CN=holder ${serial}\n`;
  });
  const file = join(pki.dir, 'index.txt');
  writeFileSync(file, lines.join(''));
  return file;
}

export interface Responder {
  url: string;
  close(): Promise<void>;
}

const running = new Set<ChildProcess>();
process.on('exit', () => {
  for (const child of running) child.kill('SIGKILL');
});

/** `openssl ocsp` as a responder for pki's CA, signing with `signer` (a name in the pki). */
export function startResponder(pki: TestPki, signer: string, extra: string[] = []): Promise<Responder> {
  const child = spawn('openssl', ['ocsp', '-index', join(pki.dir, 'index.txt'), '-CA', pki.pem('ca'), '-rsigner', pki.pem(signer),
    '-rkey', pki.key(signer), '-port', '0', '-nrequest', '1000', ...extra], { cwd: pki.dir, stdio: ['ignore', 'pipe', 'pipe'] });
  running.add(child);
  const exited = new Promise<void>((resolve) => child.once('exit', () => { running.delete(child); resolve(); }));
  const close = async () => {
    if (child.exitCode === null && child.signalCode === null) child.kill('SIGTERM');
    await exited;
  };
  return new Promise((resolve, reject) => {
    let out = '';
    let err = '';
    child.stderr!.on('data', (c: Buffer) => { err += c.toString(); });
    child.stdout!.on('data', (c: Buffer) => {
      out += c.toString();
      const m = /ACCEPT \S*:(\d+)/.exec(out);
      if (m) resolve({ url: `http://127.0.0.1:${m[1]}/`, close });
    });
    child.once('exit', (code) => reject(new Error(`openssl ocsp exited (${code}) before listening: ${err}`)));
  });
}

/**
 * An answer pre-produced by OpenSSL (`openssl ocsp -index … -no_nonce -respout FILE`, no server): the RFC
 * 5019 form a pre-signing responder serves from its caches. `sha256` makes its CertID SHA-256.
 */
export function preProduce(pki: TestPki, serial: string, signer: string, options: { sha256?: boolean; extra?: string[] } = {}): Uint8Array {
  const out = join(pki.dir, `pre-${serial}-${signer}-${options.sha256 ? 256 : 1}-${Math.random().toString(36).slice(2)}.der`);
  openssl(pki.dir, ['ocsp', '-index', join(pki.dir, 'index.txt'), '-CA', pki.pem('ca'), '-rsigner', pki.pem(signer), '-rkey', pki.key(signer),
    '-issuer', pki.pem('ca'), ...(options.sha256 ? ['-sha256'] : []), '-serial', `0x${serial}`, '-no_nonce', '-respout', out, ...(options.extra ?? [])]);
  return new Uint8Array(readFileSync(out));
}

/**
 * A static loopback server of pre-produced answers (the RFC 5019 form): bytes made beforehand (e.g. by
 * preProduce), picked by the serial the request asks about, over POST and GET alike; 404 for any other.
 */
export async function preProducedServer(answers: Record<string, Uint8Array>): Promise<{ url: string; methods: string[]; close(): Promise<void> }> {
  const methods: string[] = [];
  const server = http.createServer((req, res) => {
    const chunks: Buffer[] = [];
    req.on('data', (c: Buffer) => chunks.push(c));
    req.on('end', () => {
      methods.push(req.method ?? '');
      const der = req.method === 'GET'
        ? Buffer.from(decodeURIComponent((req.url ?? '/').replace(/^\/ocsp\//, '')), 'base64')
        : Buffer.concat(chunks);
      let serial = '';
      try {
        serial = certIdSerial(pkijs.OCSPRequest.fromBER(new Uint8Array(der)).tbsRequest.requestList[0]!.reqCert);
      } catch { /* answered 404 below */ }
      const body = answers[serial];
      if (body === undefined) return void res.writeHead(404).end();
      res.writeHead(200, { 'content-type': 'application/ocsp-response', 'cache-control': 'max-age=600' }).end(body);
    });
  });
  await new Promise<void>((r) => server.listen(0, '127.0.0.1', r));
  return {
    url: `http://127.0.0.1:${(server.address() as AddressInfo).port}/ocsp`,
    methods,
    close: () => new Promise<void>((r) => { server.closeAllConnections(); server.close(() => r()); }),
  };
}

/**
 * A delegated OCSP responder (id-kp-OCSPSigning) issued by the CA whose ca.pem / ca.key lie in `dir`
 * (e.g. the virtual PKI's writePemFiles); writes resp.pem and resp.key there and returns the DER.
 */
export function delegatedResponder(dir: string): Uint8Array {
  writeFileSync(join(dir, 'ext.cnf'), EXTENSIONS);
  openssl(dir, ['req', ...EC, '-nodes', '-keyout', 'resp.key', '-out', 'resp.csr', '-subj', '/C=TW/CN=test OCSP responder']);
  openssl(dir, ['x509', '-req', '-in', 'resp.csr', '-CA', 'ca.pem', '-CAkey', 'ca.key', '-set_serial', '4242',
    '-out', 'resp.pem', '-days', '30', '-extfile', 'ext.cnf', '-extensions', 'ocsp']);
  const pem = readFileSync(join(dir, 'resp.pem'), 'utf8');
  return new Uint8Array(Buffer.from(pem.replace(/-----[^-]+-----/g, '').replace(/\s+/g, ''), 'base64'));
}

/** `openssl ocsp … -no_nonce -respout` for the CA in `dir` (ca.pem, index.txt), signed by `signer` (pem/key names). */
export function preProduceIn(dir: string, serial: string, signer: { pem: string; key: string }, extra: string[] = []): Uint8Array {
  const out = join(dir, `pre-${serial}-${Math.random().toString(36).slice(2)}.der`);
  openssl(dir, ['ocsp', '-index', 'index.txt', '-CA', 'ca.pem', '-rsigner', signer.pem, '-rkey', signer.key,
    '-issuer', 'ca.pem', '-serial', `0x${serial}`, '-no_nonce', '-respout', out, ...extra]);
  return new Uint8Array(readFileSync(out));
}
