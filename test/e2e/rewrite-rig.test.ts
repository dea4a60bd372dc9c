/**
 * The rewrite end to end over PC/SC: the virtual card in the private pcscd's vpcd reader, the reference
 * registry on 127.0.0.1 and OpenSSL's OCSP responder for the scenario's CA; the `check` and `rewrite`
 * commands run in-process (run(options, io) over fake streams). What the card saw is read from its own
 * APDU log, not from the host's trace.
 */
import { after, before, test } from 'node:test';
import assert from 'node:assert/strict';
import { existsSync, readFileSync, rmSync } from 'node:fs';
import type { BuiltScenario } from '../../source/virtual/scenario.js';
import { send } from '../rig/virtual-apdu.js';
import { RigReader, apduLog, count, pinVerifies, filesIn, runCommand, scenarioNetwork, staleScenario, tempDir, type ScenarioNetwork, useRig } from './harness.js';

const live = useRig();
const dirs: string[] = [];

after(async () => {
  for (const dir of dirs) rmSync(dir, { recursive: true, force: true });
});

/** One scenario's card in the reader and its network up, for the length of `body` (harness RigReader.withCard). */
const withCard = (scenario: BuiltScenario, body: (net: ScenarioNetwork, log: string[], backupDir: string) => Promise<void>) =>
  live.reader.withCard(scenario, dirs, 'moica-e2e-backup-', body);

const eeprom = (scenario: BuiltScenario) => JSON.stringify(scenario.card.toState().binaries);

for (const generation of [2] as const) {
  // gen1 takes the same flow through the spawned CLI (cli-rig.test.ts).
  test(`gen${generation}: check B-1 (exit 10) → rewrite B-2 (exit 0) → check A (exit 0); the registry has the record; one VERIFY`, async () => {
    const scenario = await staleScenario({ generation });
    await withCard(scenario, async (net, log, backupDir) => {
      const before = await runCommand(['check', '--json', ...net.flags]);
      assert.equal(before.code, 10, before.stdout + before.stderr);
      assert.equal(before.json.verdict, 'B-1');
      assert.equal(before.json.card.generation, generation);
      assert.equal(before.json.ocsp.checked, true, 'OpenSSL\'s answers verify against the card\'s CA');
      assert.deepEqual(before.json.ocsp.certificates.map((c: any) => c.status), ['good', 'good']);

      const rewrite = await runCommand(['rewrite', '--pin-stdin', '--yes', '--json', '--backup-dir', backupDir, ...net.flags], `${scenario.pin}\n`);
      assert.equal(rewrite.code, 0, rewrite.stdout + rewrite.stderr);
      assert.equal(rewrite.json.verdict, 'B-2');
      assert.equal(rewrite.json.rewrite.result, 'completed');
      assert.deepEqual(rewrite.json.rewrite.serialNumbers, scenario.issued.map((c) => c.serialNumber));
      assert.equal(rewrite.json.rewrite.recorded, true);
      assert.ok(existsSync(rewrite.json.rewrite.backup), 'the backup file is on disk');
      const backup = JSON.parse(readFileSync(rewrite.json.rewrite.backup, 'utf8'));
      assert.deepEqual(backup.certificates.map((c: any) => Buffer.from(c.der, 'base64').equals(Buffer.from(scenario.onCard[c.slot as 0 | 1].der))), [true, true],
        'the backup holds the old certificates, byte for byte');

      const afterwards = await runCommand(['check', '--json', ...net.flags]);
      assert.equal(afterwards.code, 0, afterwards.stdout + afterwards.stderr);
      assert.equal(afterwards.json.verdict, 'A');
      assert.equal(afterwards.json.ocsp.checked, true);
      assert.deepEqual(afterwards.json.card.certificates.map((c: any) => c.serialNumber), scenario.issued.map((c) => c.serialNumber));

      assert.deepEqual(net.registry.rewrites.map((r) => [r.cardNumber, r.result, r.serialNumbers]),
        [[scenario.spec.cardNumber, 'completed', scenario.issued.map((c) => c.serialNumber)]]);
      assert.equal(pinVerifies(log), 1, 'the PIN was sent once');
      assert.ok(count(log, 'D6') > 0);
    });
  });
}

test('PIN: malformed never reaches the card; wrong: exit 6 with triesLeft, one VERIFY; the last try and later ones: pin-blocked; nothing written', async () => {
  const scenario = await staleScenario({ tries: 2 });
  await withCard(scenario, async (net, log, backupDir) => {
    const untouched = eeprom(scenario);
    const argv = ['rewrite', '--pin-stdin', '--yes', '--json', '--backup-dir', backupDir, ...net.flags];

    const malformed = await runCommand(argv, '12ab56\n');
    assert.equal(malformed.code, 2); // issue 14 item 7: a malformed PIN, never sent, is a usage error
    assert.equal(malformed.json.error.code, 'pin-malformed');
    assert.equal(pinVerifies(log), 0, 'no VERIFY for a malformed PIN');

    const wrong = await runCommand(argv, '000000\n');
    assert.equal(wrong.code, 6, wrong.stdout + wrong.stderr);
    assert.equal(wrong.json.error.code, 'pin-wrong');
    assert.equal(wrong.json.error.triesLeft, 1);
    assert.equal(scenario.card.triesLeft, 1);
    assert.equal(pinVerifies(log), 1, 'VERIFY sent exactly once: never retried');

    // Issue 13: the last try is spent only with a confirmation (headless: --last-try, cli lane); without, nothing is sent.
    const lastTry = await runCommand(argv, '000000\n');
    assert.equal(lastTry.code, 6);
    assert.equal(lastTry.json.error.code, 'pin-last-try-unconfirmed', 'one try left: not spent unasked');
    assert.equal(scenario.card.triesLeft, 1);
    assert.equal(pinVerifies(log), 1, 'no VERIFY for the unconfirmed last try');

    // Another program spends it (a wrong PIN straight to the card): the card is blocked.
    assert.equal(send(scenario.card, '002000010A303030303030FFFFFFFF').swHex, '6983');
    assert.equal(scenario.card.triesLeft, 0);

    const seen = log.length;
    const blocked = await runCommand(argv, `${scenario.pin}\n`);
    assert.equal(blocked.code, 6);
    assert.equal(blocked.json.error.code, 'pin-blocked', 'even the right PIN: the card is blocked');
    assert.match(blocked.json.error.message, /household registration office/, 'with the unlock route');
    assert.equal(pinVerifies(log.slice(seen)), 0, 'a blocked card is never sent a PIN');
    assert.ok(log.slice(seen).includes('00200001'), 'only asked for its tries (69 83)');
    assert.equal(count(log, 'D6'), 0, 'no UPDATE BINARY');
    assert.equal(eeprom(scenario), untouched, 'the card is as it was');
    assert.deepEqual(net.registry.rewrites.map((r) => r.result), ['failed', 'failed', 'failed', 'failed'], 'every attempt is on record');
  });
});

test('a registry certificate for another key pair: rewrite-refused (exit 5) before any VERIFY or write', async () => {
  const scenario = await staleScenario({ issuedKeyIndices: [4, 5] });
  await withCard(scenario, async (net, log, backupDir) => {
    const untouched = eeprom(scenario);
    const run = await runCommand(['rewrite', '--pin-stdin', '--yes', '--json', '--backup-dir', backupDir, ...net.flags], `${scenario.pin}\n`);
    assert.equal(run.code, 5, run.stdout + run.stderr);
    assert.equal(run.json.error.code, 'rewrite-refused');
    assert.equal(run.json.verdict, 'B-1', 'the check that came first is still in the document');
    assert.equal(pinVerifies(log), 0, 'no VERIFY');
    assert.equal(count(log, 'D6'), 0, 'no UPDATE BINARY');
    assert.equal(eeprom(scenario), untouched);
    assert.deepEqual(filesIn(backupDir), [], 'no backup: nothing was going to be written');
  });
});

