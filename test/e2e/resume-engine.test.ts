/**
 * The TUI's engine on a card left inconsistent by an interrupted rewrite (the new certificate body written,
 * its CDF entry still the old one): `check` reports the card as an error (cli.md), while the engine offers
 * the rewrite that finishes it (B-1), and that rewrite ends in B-2 and a card that checks A.
 */
import { test } from 'node:test';
import assert from 'node:assert/strict';
import { rmSync } from 'node:fs';
import { buildNamedScenario } from '../../source/card/virtual/demos.js';
import { InProcessTransport } from '../../source/card/virtual/in-process.js';
import { openCardAccess } from '../../source/engine/card-access.js';
import { runCheck } from '../../source/engine/check.js';
import { rewriteCard } from '../../source/engine/rewrite.js';
import { openNetwork } from '../../source/engine/session.js';
import { isMoicaError } from '../../source/errors.js';
import { parseOptions } from '../../source/options.js';
import { tempDir } from './harness.js';

test('an inconsistent card: check says card-inconsistent; the engine\'s check offers B-1, the rewrite finishes it, then A', async () => {
  const scenario = await buildNamedScenario('inconsistent');
  const transport = new InProcessTransport();
  transport.insert(scenario.card);
  const backupDir = tempDir('moica-resume-backup-');
  const options = parseOptions(['check', '--backup-dir', backupDir], {});
  const net = await openNetwork({ ...options, demo: 'rewrite' }, scenario);
  const access = await openCardAccess(options, { transport, close: () => transport.close() });
  try {
    assert.equal(access.info.consistent, false);
    assert.deepEqual(access.info.certificates.map((c) => c.consistent), [false, true]);
    await assert.rejects(runCheck(access, net), (e: unknown) => isMoicaError(e, 'card-inconsistent'));

    const offered = await runCheck(access, net, new Date(), { inconsistentAsStale: true });
    assert.equal(offered.verdict.verdict, 'B-1');
    assert.deepEqual(offered.verdict.slots.map((s) => s.match), [false, false]);

    const result = await rewriteCard(access, net, {
      askPin: async () => new TextEncoder().encode(scenario.pin),
      backupDir,
      previousVerdict: offered.verdict,
    });
    assert.equal(result.verdict, 'B-2');
    const after = await runCheck({ ...access, info: await access.reread() }, net);
    assert.equal(after.verdict.verdict, 'A');
  } finally {
    await access.close();
    await net.close();
    await transport.close();
    rmSync(backupDir, { recursive: true, force: true });
  }
});
