/**
 * Rewrite bench: the APDUs of one rewrite (the engine's rewriteCard on the stale demo card, in-process)
 * against the least a rewrite can do. Prints figures; asserts nothing.
 *   npx tsx bench/rewrite.ts
 *
 * minimumApdus, defined: for each certificate written, ceil(DER bytes / 200) UPDATE BINARY (200 = C8, the
 * most one APDU carries), the same number of READ BINARY to read it back, and the UPDATE BINARYs of the
 * certificate directory commit (per slot, the fewest 200-byte writes that cover every byte of EF 4104 that
 * differs between before and after that slot's commit). No SELECT, no VERIFY, no key proof, no backup read and no fresh check are
 * counted: the minimum is the data that must cross, so the ratio shows everything else a rewrite costs.
 */
import { VirtualCard } from '../source/card/virtual/card.js';
import { InProcessTransport } from '../source/card/virtual/in-process.js';
import { buildNamedScenario } from '../source/card/virtual/demos.js';
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

export interface RewriteFigures {
  rewriteApdus: number;
  minimumApdus: number;
  rewriteApduRatio: number;
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

export async function benchRewrite(): Promise<RewriteFigures> {
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
    // Each slot's commit against the directory as that slot's write found it.
    let cdf = card.readFile(CDF);
    let cdfCommitApdus = 0;
    const instructions: string[] = [];
    card.onExchange = (command) => instructions.push(Buffer.from(command.subarray(1, 2)).toString('hex').toUpperCase());
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
    const certificateBytes = result.slots.map((slot) => scenario.issued[slot].der.length);
    const minimumApdus = certificateBytes.reduce((n, bytes) => n + 2 * Math.ceil(bytes / CHUNK), 0) + cdfCommitApdus;
    const byInstruction: Record<string, number> = {};
    for (const ins of instructions) byInstruction[ins] = (byInstruction[ins] ?? 0) + 1;
    return {
      rewriteApdus: instructions.length,
      minimumApdus,
      rewriteApduRatio: Math.round((instructions.length / minimumApdus) * 100) / 100,
      byInstruction,
      certificateBytes,
      cdfCommitApdus,
    };
  } finally {
    await transport.close();
    await net.close();
    await registry.close();
    rmSync(backupDir, { recursive: true, force: true });
  }
}

const isMain = process.argv[1] !== undefined && /bench[/\\]rewrite\.ts$/.test(process.argv[1]);
if (isMain) {
  const f = await benchRewrite();
  console.log(`rewrite on the virtual card, in-process: ${f.rewriteApdus} APDUs; minimum ${f.minimumApdus} ` +
    `(certificates of ${f.certificateBytes.join(' + ')} bytes, CDF commit ${f.cdfCommitApdus}); ratio ${f.rewriteApduRatio}× (goal ≤ 1.2×)`);
  console.log(`by instruction: ${Object.entries(f.byInstruction).map(([ins, n]) => `${ins} ${n}`).join(', ')}`);
}
