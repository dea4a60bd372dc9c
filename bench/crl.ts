/**
 * The CRL bench (issue 11 item 5): a generated CRL of 412,000 entries (≈ 20 MB, the size of the G2 complete
 * CRL), and the answer for a card's two serials (one listed near the end, one not listed) from it:
 * - cold: the CRL file on disk, never scanned: read, signature verified, DER walked (crl.ts answersFromFile);
 * - warm: the same file again, its scan cached beside it (no CRL byte read);
 * - peak RSS of the process that answers (VmHWM by its pid, a fresh child: the generation is not counted). The
 *   child runs this file bundled by esbuild as the CLI is (under tsx the loader alone takes ≈ 60 MiB more);
 *   its RSS just after loading the modules is reported beside the peak.
 * Goals: warm ≤ 0.2 s, cold ≤ 1.5 s, peak RSS ≤ 150 MiB.
 *
 * `openssl ca -gencrl` would take far too long for 412,000 entries: the TBSCertList is built here with asn1js
 * (its fixed parts; the entries from one DER template, since building 412,000 asn1js objects is what the
 * reader must not do either), signed with a test CA key (node crypto), and `openssl crl -inform DER -noout`
 * is asked once whether it accepts it.
 */
import { execFileSync, spawn } from 'node:child_process';
import { createHash, randomBytes, sign } from 'node:crypto';
import { mkdtempSync, readFileSync, rmSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { fileURLToPath } from 'node:url';
import * as asn1js from 'asn1js';

export interface CrlBenchFigures {
  entries: number;
  crlMiB: number;
  generateMs: number;
  opensslAccepts: boolean;
  crlColdMs: number;
  crlWarmMs: number;
  crlPeakRssMiB: number;
  /** RSS of the answering process once its modules are loaded, before the CRL is touched. */
  crlLoadedRssMiB: number;
  found: Record<string, string | null>;
}

const ENTRIES = 412_000;

function utcTime(d: Date): Uint8Array {
  return new Uint8Array(new asn1js.UTCTime({ valueDate: d }).toBER(false));
}

function derLength(n: number): number[] {
  if (n < 0x80) return [n];
  const bytes: number[] = [];
  for (let v = n; v > 0; v = Math.floor(v / 256)) bytes.unshift(v & 0xff);
  return [0x80 | bytes.length, ...bytes];
}

/** Builds and signs the CRL; returns its DER and the serials the bench asks about. */
export function generateCrl(dir: string, entries = ENTRIES): { der: Uint8Array; caDer: Uint8Array; listed: string; unlisted: string } {
  execFileSync('openssl', ['req', '-x509', '-newkey', 'rsa:2048', '-nodes', '-keyout', 'ca.key', '-out', 'ca.pem', '-days', '30',
    '-subj', '/C=TW/O=Bench/OU=Bench MOICA CA', '-addext', 'basicConstraints=critical,CA:TRUE', '-addext', 'subjectKeyIdentifier=hash'],
  { cwd: dir, stdio: ['ignore', 'ignore', 'pipe'] });
  const caPem = readFileSync(join(dir, 'ca.pem'), 'utf8');
  const caDer = new Uint8Array(Buffer.from(caPem.replace(/-----[^-]+-----/g, '').replace(/\s+/g, ''), 'base64'));
  const caCert = asn1js.fromBER(caDer).result as asn1js.Sequence;
  const tbsCert = caCert.valueBlock.value[0] as asn1js.Sequence;
  // TBSCertificate: [0] version, serial, signature, issuer, validity, subject … → the subject Name as the CRL issuer
  const subject = tbsCert.valueBlock.value[5]!;

  const now = new Date();
  const revokedAt = utcTime(new Date(now.getTime() - 30 * 86_400_000));
  const reasons = [1, 4, 6]; // keyCompromise, superseded, certificateHold
  // Each entry: SEQUENCE { INTEGER serial (16 bytes, 128 bits), UTCTime, Extensions { reasonCode } }
  const entryBody = 2 + 16 + revokedAt.length + 14;
  const entryLen = 2 + entryBody;
  const revokedBody = Buffer.alloc(entryLen * entries);
  const serialAt = (i: number) => {
    const s = createHash('sha256').update(`bench-${i}`).digest().subarray(0, 16);
    s[0] = (s[0]! & 0x7f) | 0x10; // positive, no leading zero
    return s;
  };
  for (let i = 0; i < entries; i++) {
    const o = i * entryLen;
    revokedBody[o] = 0x30; revokedBody[o + 1] = entryBody;
    revokedBody[o + 2] = 0x02; revokedBody[o + 3] = 16;
    serialAt(i).copy(revokedBody, o + 4);
    revokedBody.set(revokedAt, o + 20);
    const e = o + 20 + revokedAt.length;
    revokedBody.set([0x30, 0x0c, 0x30, 0x0a, 0x06, 0x03, 0x55, 0x1d, 0x15, 0x04, 0x03, 0x0a, 0x01, reasons[i % 3]!], e);
  }
  const listedIndex = entries - 17;
  const listed = serialAt(listedIndex).toString('hex').toUpperCase().replace(/^0+/, '');
  const unlisted = randomBytes(16).toString('hex').toUpperCase().replace(/^0+/, '');

  const alg = new asn1js.Sequence({ value: [new asn1js.ObjectIdentifier({ value: '1.2.840.113549.1.1.11' }), new asn1js.Null()] });
  const crlNumber = new asn1js.Sequence({
    value: [new asn1js.ObjectIdentifier({ value: '2.5.29.20' }), new asn1js.OctetString({ valueHex: new asn1js.Integer({ value: 4242 }).toBER(false) })],
  });
  const head = new Uint8Array(Buffer.concat([
    Buffer.from(new asn1js.Integer({ value: 1 }).toBER(false)),
    Buffer.from(alg.toBER(false)),
    Buffer.from(subject.toBER(false)),
    Buffer.from(utcTime(new Date(now.getTime() - 3600_000))),
    Buffer.from(utcTime(new Date(now.getTime() + 7 * 86_400_000))),
  ]));
  const revokedHeader = Buffer.from([0x30, ...derLength(revokedBody.length)]);
  const extensions = Buffer.from(new asn1js.Constructed({ idBlock: { tagClass: 3, tagNumber: 0 }, value: [new asn1js.Sequence({ value: [crlNumber] })] }).toBER(false));
  const tbsBody = Buffer.concat([head, revokedHeader, revokedBody, extensions]);
  const tbs = Buffer.concat([Buffer.from([0x30, ...derLength(tbsBody.length)]), tbsBody]);
  const signature = sign('sha256', tbs, readFileSync(join(dir, 'ca.key'), 'utf8'));
  const algDer = Buffer.from(alg.toBER(false));
  const bitString = Buffer.concat([Buffer.from([0x03, ...derLength(signature.length + 1), 0x00]), signature]);
  const body = Buffer.concat([tbs, algDer, bitString]);
  const der = new Uint8Array(Buffer.concat([Buffer.from([0x30, ...derLength(body.length)]), body]));
  return { der, caDer, listed, unlisted };
}

/** In a fresh child: cold answer, warm answer, the child's own VmHWM. */
let baselineKiB = 0;
async function measure(dir: string, listed: string, unlisted: string): Promise<void> {
  const { answersFromFile } = await import('../source/registry/crl.js');
  baselineKiB = Number(/VmHWM:\s+(\d+) kB/.exec(readFileSync(`/proc/${process.pid}/status`, 'utf8'))?.[1] ?? 0);
  const meta = JSON.parse(readFileSync(join(dir, 'bench.json'), 'utf8'));
  const caDer = new Uint8Array(readFileSync(join(dir, 'ca.der')));
  const file = { crl: join(dir, 'bench.crl'), scan: join(dir, 'bench.scan.json'), meta };
  const t0 = performance.now();
  const cold = await answersFromFile(file, [listed, unlisted], caDer);
  const t1 = performance.now();
  const warm = await answersFromFile(file, [listed, unlisted], caDer);
  const t2 = performance.now();
  const hwm = /VmHWM:\s+(\d+) kB/.exec(readFileSync(`/proc/${process.pid}/status`, 'utf8'));
  process.stdout.write(`${JSON.stringify({
    coldMs: t1 - t0, warmMs: t2 - t1, coldWasWarm: cold.warm, warmWasWarm: warm.warm, peakRssKiB: hwm ? Number(hwm[1]) : null, baselineKiB,
    found: Object.fromEntries([...warm.entries].map(([s, e]) => [s, e?.reason ?? null])),
  })}\n`);
}

export async function benchCrl(): Promise<CrlBenchFigures> {
  const dir = mkdtempSync(join(tmpdir(), 'moica-crl-bench-'));
  try {
    const g0 = performance.now();
    const { der, caDer, listed, unlisted } = generateCrl(dir);
    const generateMs = performance.now() - g0;
    writeFileSync(join(dir, 'bench.crl'), der);
    writeFileSync(join(dir, 'ca.der'), caDer);
    writeFileSync(join(dir, 'bench.json'), JSON.stringify({
      url: 'bench', sha256: createHash('sha256').update(der).digest('hex'), size: der.length, fetchedAt: new Date().toISOString(),
    }));
    let opensslAccepts = false;
    try {
      execFileSync('openssl', ['crl', '-inform', 'DER', '-in', join(dir, 'bench.crl'), '-noout', '-CAfile', join(dir, 'ca.pem')], { stdio: ['ignore', 'ignore', 'pipe'] });
      opensslAccepts = true;
    } catch { /* reported as false */ }
    const { build } = await import('esbuild');
    const bundled = join(dir, 'crl-bench.mjs');
    await build({
      entryPoints: [fileURLToPath(import.meta.url)], bundle: true, platform: 'node', format: 'esm', target: 'node20', outfile: bundled,
      logLevel: 'silent', external: ['esbuild'],
      banner: { js: "import { createRequire as __r } from 'node:module'; const require = __r(import.meta.url);" },
    });
    const out = await new Promise<string>((resolve, reject) => {
      const child = spawn(process.execPath, [bundled, '--measure', dir, listed, unlisted], { stdio: ['ignore', 'pipe', 'pipe'] });
      let stdout = '';
      let stderr = '';
      child.stdout.on('data', (c) => (stdout += c));
      child.stderr.on('data', (c) => (stderr += c));
      child.once('close', (code) => (code === 0 ? resolve(stdout) : reject(new Error(`crl measure exited ${code}: ${stderr.slice(-300)}`))));
    });
    const m = JSON.parse(out.trim().split('\n').pop()!) as {
      coldMs: number; warmMs: number; coldWasWarm: boolean; warmWasWarm: boolean; peakRssKiB: number; baselineKiB: number; found: Record<string, string | null>;
    };
    if (m.coldWasWarm || !m.warmWasWarm) throw new Error('the cold/warm runs did not take the paths they measure');
    return {
      entries: ENTRIES,
      crlMiB: Math.round((der.length / 1048576) * 10) / 10,
      generateMs: Math.round(generateMs),
      opensslAccepts,
      crlColdMs: Math.round(m.coldMs),
      crlWarmMs: Math.round(m.warmMs * 10) / 10,
      crlPeakRssMiB: Math.round((m.peakRssKiB / 1024) * 10) / 10,
      crlLoadedRssMiB: Math.round((m.baselineKiB / 1024) * 10) / 10,
      found: m.found,
    };
  } finally {
    rmSync(dir, { recursive: true, force: true });
  }
}

const args = process.argv.slice(2);
if (args[0] === '--measure') await measure(args[1]!, args[2]!, args[3]!);
else if (process.argv[1] === fileURLToPath(import.meta.url)) process.stdout.write(`${JSON.stringify(await benchCrl(), null, 2)}\n`);
