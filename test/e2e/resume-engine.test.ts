/**
 * The TUI's engine on a card left inconsistent by an interrupted rewrite (the new certificate body written,
 * its CDF entry still the old one): `check` reports the card as an error (cli.md), while the engine offers
 * the rewrite that finishes it (B-1), and that rewrite ends in B-2 and a card that checks A.
 */
import { test } from 'node:test';
import assert from 'node:assert/strict';
import { rmSync } from 'node:fs';
import { buildNamedScenario } from '../../source/virtual/demos.js';
import { InProcessTransport } from '../../source/virtual/in-process.js';
import { openCardAccess } from '../../source/engine/card-access.js';
import { isTornDirectory } from '../../source/check/torn.js';
import { runCheck } from '../../source/engine/check.js';
import { rewriteCard } from '../../source/engine/rewrite.js';
import { VirtualCard } from '../../source/virtual/card.js';
import { apduLog } from './harness.js';
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

test('a torn directory: the engine opens the card by its number, offers B-1, and the rewrite puts the directory back and finishes; then A', async () => {
  const scenario = await buildNamedScenario('rewrite');
  const start = scenario.card.toState();
  const backupDir = tempDir('moica-torn-engine-');
  const options = parseOptions(['check', '--backup-dir', backupDir], {});
  const net = await openNetwork({ ...options, demo: 'rewrite' }, scenario);
  const inReader = (card: VirtualCard) => {
    const transport = new InProcessTransport();
    transport.insert(card);
    return { transport, close: () => transport.close() };
  };
  const rewrite = async (card: VirtualCard) => {
    const source = inReader(card);
    try {
      const access = await openCardAccess(options, source);
      try {
        const outcome = await runCheck(access, net);
        await rewriteCard(access, net, { askPin: async () => new TextEncoder().encode(scenario.pin), backupDir, previousVerdict: outcome.verdict });
      } finally {
        await access.close();
      }
    } finally {
      await source.close();
    }
  };
  try {
    // Count a whole rewrite's APDUs, then pull inside each directory write until one tears the directory.
    const counted = VirtualCard.fromState(start);
    const log = apduLog(counted);
    await rewrite(counted);
    const cdfWrites = log.map((apdu, i) => ({ i, apdu })).filter(({ apdu }) => apdu.slice(2, 4) === 'D6' && parseInt(apdu.slice(4, 8), 16) < 0x0e00);
    let torn: { card: VirtualCard; error: unknown } | undefined;
    for (const { i } of cdfWrites) {
      const card = VirtualCard.fromState(start);
      card.pullAfter(i);
      await rewrite(card).catch(() => undefined);
      const back = VirtualCard.fromState(card.toState());
      const source = inReader(back);
      const opened = await openCardAccess(options, source).catch((e: unknown) => e);
      if (isTornDirectory(opened)) { torn = { card: back, error: opened }; await source.close(); break; }
      if (!(opened instanceof Error)) await (opened as { close(): Promise<void> }).close();
      await source.close();
    }
    assert.ok(torn && isTornDirectory(torn.error), 'a pull inside a multi-APDU directory commit tears the directory');

    const source = inReader(torn.card);
    const access = await openCardAccess(options, source, {}, { acceptTorn: true });
    try {
      assert.equal(access.directory, 'torn');
      assert.equal(access.info.number, scenario.spec.cardNumber);
      assert.equal(access.info.consistent, false);
      const offered = await runCheck(access, net, new Date(), { inconsistentAsStale: true });
      assert.equal(offered.verdict.verdict, 'B-1');
      const result = await rewriteCard(access, net, { askPin: async () => new TextEncoder().encode(scenario.pin), backupDir, previousVerdict: offered.verdict });
      assert.equal(result.verdict, 'B-2');
      const after = await runCheck({ ...access, info: await access.reread() }, net);
      assert.equal(after.verdict.verdict, 'A');
    } finally {
      await access.close();
      await source.close();
    }
  } finally {
    await net.close();
    rmSync(backupDir, { recursive: true, force: true });
  }
});
