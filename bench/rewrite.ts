/**
 * Rewrite bench: the APDUs of one rewrite on the stale demo card, in-process, OCSP on, run as the `rewrite`
 * command runs it: the card opened (a read) and checked (registry, OCSP: the check reads the issuing CA for
 * it), then the engine's rewriteCard, which alone is counted, against the least a rewrite can send. Also
 * the rewrite on a fresh CardAccess (no check before it: it reads the CA certificates itself). Prints
 * figures; asserts nothing.
 *   npx tsx bench/rewrite.ts
 *
 * minimumApdus, defined: what a rewrite must send when it wastes nothing, given every step the spec
 * requires, with READ/UPDATE BINARY carrying at most 200 (C8) bytes:
 *   - the fresh read (what `read` needs): the card number (1), the CDF up to its records' end
 *     (ceil(bytes/200)), each holder certificate's header up to its validity (the fewest 200-byte reads
 *     that parse);
 *   - the public key of each written slot: the PuKDF up to its records' end (it names the key EF and
 *     reference) and 3 key records (exponent, two modulus halves);
 *   - the key proof: 3 APDUs per written slot; one VERIFY;
 *   - the PIN tries query (a VERIFY without data, never spending a try): 1;
 *   - the backup: each holder slot's whole 0x700-byte area (the old certificate inside it) and each CA
 *     certificate, ceil(bytes/200) (issue 13: every byte a write could touch, CA areas included);
 *   - the writes: ceil(new bytes/200) per slot, plus each slot's CDF commit (the CDF is the commit point of
 *     its slot, moica-card.md §3): the fewest 200-byte writes covering the bytes it changes;
 *   - the read-back: ceil(new bytes/200) per slot;
 *   - SELECTs: one per file the rewrite reads or writes, each counted once.
 * For the fresh-access run the issuing CA certificate (ceil(bytes/200)) is added: the issuer proof needs it.
 * Not counted, the rewrite's own costs above that: selecting a file again, the rest of the CDF past its
 * records (the backup keeps the whole EF: it is the CDF's journal), the used length written apart from the
 * records when the directory grows (it keeps a state between the two parseable), and reading the written
 * CDF bytes back.
 */
import { VirtualCard } from '../source/virtual/card.js';
import { InProcessTransport } from '../source/virtual/in-process.js';
import { buildNamedScenario } from '../source/virtual/demos.js';
import { parseCertificateHeader } from '../source/card/certificate-header.js';
import { recordsLength } from '../source/card/pkcs15.js';
import { runCheck } from '../source/engine/check.js';
import { startDemoRegistry } from '../source/engine/demo-registry.js';
import { openCardAccess } from '../source/engine/card-access.js';
import { rewriteCard } from '../source/engine/rewrite.js';
import { openNetwork } from '../source/engine/session.js';
import { parseOptions } from '../source/options.js';
import { mkdtempSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';

const CHUNK = 200;
const CDF = '5030/4104';
const PUKDF = '5030/4101';

export interface RewriteFigures {
  /** As the `rewrite` command runs it: after its check. */
  rewriteApdus: number;
  minimumApdus: number;
  rewriteApduRatio: number;
  /** On a fresh CardAccess (no check before: the rewrite reads the CA certificates itself). */
  freshAccessApdus: number;
  freshAccessMinimum: number;
  freshAccessRatio: number;
  /** Where the minimum comes from (part → APDUs). */
  minimum: Record<string, number>;
  /** APDUs by instruction (hex INS → count), to see where they go. */
  byInstruction: Record<string, number>;
  certificateBytes: number[];
  cdfCommitApdus: number;
}

/** The fewest 200-byte UPDATE BINARYs that cover every byte that differs (equal stretches skipped). */
export function coveringWrites(before: Uint8Array, after: Uint8Array): number {
  let writes = 0;
  for (let i = 0; i < after.length; i++) {
    if (before[i] === after[i]) continue;
    writes++;
    i += CHUNK - 1;
  }
  return writes;
}

const chunks = (bytes: number) => Math.ceil(bytes / CHUNK);

/** The fewest 200-byte reads after which a certificate's header (up to its validity) parses. */
function headerReads(der: Uint8Array): number {
  for (let n = 1; ; n++) if ('done' in parseCertificateHeader(der.subarray(0, n * CHUNK))) return n;
}

interface Run {
  apdus: number;
  minimum: Record<string, number>;
  byInstruction: Record<string, number>;
  certificateBytes: number[];
  cdfCommitApdus: number;
}

async function measure(afterCheck: boolean): Promise<Run> {
  const scenario = await buildNamedScenario('rewrite');
  const registry = await startDemoRegistry(scenario);
  const backupDir = mkdtempSync(join(tmpdir(), 'moica-bench-rewrite-'));
  const options = parseOptions(['rewrite', '--registry', registry.url, '--ocsp', registry.ocspUrl, '--backup-dir', backupDir], {});
  const net = await openNetwork(options);
  const card = VirtualCard.fromState(scenario.card.toState());
  const transport = new InProcessTransport();
  transport.insert(card);
  try {
    const access = await openCardAccess(options, { transport, close: () => transport.close() });
    if (afterCheck) await runCheck(access, net);
    // Each slot's commit against the directory as that slot's write found it.
    const cdfBefore = card.readFile(CDF);
    let cdf = cdfBefore;
    let cdfCommitApdus = 0;
    const commands: Uint8Array[] = [];
    card.onExchange = (command) => commands.push(command.slice(0, 7));
    const result = await rewriteCard(access, net, {
      askPin: async () => new TextEncoder().encode(scenario.pin),
      backupDir,
      onProgress: (p) => {
        if (p.step !== 'commit') return;
        const now = card.readFile(CDF);
        cdfCommitApdus += coveringWrites(cdf, now);
        cdf = now;
      },
    });
    card.onExchange = undefined;
    await access.close();

    const written = result.slots.map((slot) => scenario.issued[slot].der.length);
    const files = new Set(commands.filter((c) => c[1] === 0xa4).map((c) => Buffer.from(c.subarray(4)).toString('hex')));
    const minimum: Record<string, number> = {
      'fresh read': 1 + chunks(recordsLength(cdfBefore)) + scenario.onCard.reduce((n, c) => n + headerReads(c.der), 0),
      ...(afterCheck ? {} : { 'issuing CA': chunks(scenario.pki.issuing.certificate.der.length) }),
      'public keys': chunks(recordsLength(card.readFile(PUKDF))) + 3 * written.length,
      'key proof': 3 * written.length,
      'PIN tries (VERIFY without data)': 1,
      'VERIFY': 1,
      // Issue 13: every byte a write could touch, CA areas included: both holder areas whole (0x700 each,
      // the old certificates inside them) and each CA certificate.
      'backup': 2 * chunks(0x700) + chunks(scenario.pki.root.certificate.der.length) + chunks(scenario.pki.issuing.certificate.der.length),
      'writes': written.reduce((n, bytes) => n + chunks(bytes), 0),
      'CDF commit': cdfCommitApdus,
      'read-back': written.reduce((n, bytes) => n + chunks(bytes), 0),
      'SELECT once per file': files.size,
    };
    const byInstruction: Record<string, number> = {};
    for (const c of commands) {
      const ins = Buffer.from(c.subarray(1, 2)).toString('hex').toUpperCase();
      byInstruction[ins] = (byInstruction[ins] ?? 0) + 1;
    }
    return { apdus: commands.length, minimum, byInstruction, certificateBytes: written, cdfCommitApdus };
  } finally {
    await transport.close();
    await net.close();
    await registry.close();
    rmSync(backupDir, { recursive: true, force: true });
  }
}

const total = (minimum: Record<string, number>) => Object.values(minimum).reduce((a, b) => a + b, 0);
const ratio = (apdus: number, minimum: number) => Math.round((apdus / minimum) * 100) / 100;

export async function benchRewrite(): Promise<RewriteFigures> {
  const command = await measure(true);
  const fresh = await measure(false);
  return {
    rewriteApdus: command.apdus,
    minimumApdus: total(command.minimum),
    rewriteApduRatio: ratio(command.apdus, total(command.minimum)),
    freshAccessApdus: fresh.apdus,
    freshAccessMinimum: total(fresh.minimum),
    freshAccessRatio: ratio(fresh.apdus, total(fresh.minimum)),
    minimum: command.minimum,
    byInstruction: command.byInstruction,
    certificateBytes: command.certificateBytes,
    cdfCommitApdus: command.cdfCommitApdus,
  };
}

const isMain = process.argv[1] !== undefined && /bench[/\\]rewrite\.ts$/.test(process.argv[1]);
if (isMain) {
  const f = await benchRewrite();
  console.log(`rewrite on the virtual card, in-process, after the check (as \`rewrite\` runs it): ${f.rewriteApdus} APDUs; ` +
    `minimum ${f.minimumApdus} (certificates of ${f.certificateBytes.join(' + ')} bytes, CDF commit ${f.cdfCommitApdus}); ` +
    `ratio ${f.rewriteApduRatio}× (goal ≤ 1.2×)`);
  console.log(`minimum: ${Object.entries(f.minimum).map(([part, n]) => `${part} ${n}`).join(', ')}`);
  console.log(`by instruction: ${Object.entries(f.byInstruction).map(([ins, n]) => `${ins} ${n}`).join(', ')}`);
  console.log(`on a fresh access (it reads the CA certificates itself): ${f.freshAccessApdus} APDUs; minimum ${f.freshAccessMinimum}; ratio ${f.freshAccessRatio}×`);
}
