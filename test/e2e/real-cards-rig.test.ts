/**
 * Real cards' facts over the pcscd rig (issue 12): the issuer's manual's 13-digit card number reads, checks
 * and rewrites; a card with a real MOICA ATR (or an unknown one) is read and checked by probing, and never
 * gets a PIN or write APDU over PC/SC.
 */
import { after, before, test } from 'node:test';
import assert from 'node:assert/strict';
import { rmSync } from 'node:fs';
import { buildScenario, type BuiltScenario, type ScenarioSpec } from '../../source/virtual/scenario.js';
import { scenarioSpec } from '../../source/virtual/demos.js';
import { startPcscd, type PcscdRig } from '../rig/pcscd.js';
import { RigReader, apduLog, count, runCommand, scenarioNetwork, spawnCli, tempDir, type ScenarioNetwork } from './harness.js';
import { RIG_READER } from '../rig/pcscd.js';
import { SOFTHSM_MODULE, listCertificates } from '../card/pkcs11/softhsm.js';
import { scenarioToken } from '../card/pkcs11/scenario-token.js';

/** The third published MOICA ATR (issuer-services.md §4) and one nobody listed. */
const THIRD_ATR = '3B8B80010031C164084021300090 0057'.replace(/\s/g, '');
const UNLISTED_ATR = '3B9F958131FE9F006646530400013300';

let rig: PcscdRig;
let reader: RigReader;
const dirs: string[] = [];

before(async () => {
  // doctor runs in this process too: the machine's USB bus and HiPKI Local Server stay out of it.
  const sys = tempDir('moica-sysfs-');
  dirs.push(sys);
  process.env.MOICA_SYSFS_ROOT = sys;
  process.env.MOICA_HIPKI_URL = 'http://127.0.0.1:9';
  rig = await startPcscd();
  reader = await RigReader.open(rig);
});

after(async () => {
  await reader?.close();
  await rig?.stop();
  for (const dir of dirs) rmSync(dir, { recursive: true, force: true });
});

export const MANUAL_NUMBER = 'GP0000000615421';

/** VERIFYs that carry a PIN (the no-data `00 20 00 01` only asks the tries left). */
const pinVerifies = (log: readonly string[]): number => log.filter((a) => a.slice(2, 4) === '20' && a.length > 10).length;

/** The B-1 scenario (a renewal never written) with other card facts. */
function stale(extra: Partial<ScenarioSpec>): Promise<BuiltScenario> {
  return buildScenario({ ...scenarioSpec('rewrite'), ...extra });
}

/** One scenario's card in the reader and its network up, for the length of `body` (harness RigReader.withCard). */
const withCard = (scenario: BuiltScenario, body: (net: ScenarioNetwork, log: string[], backupDir: string) => Promise<void>) =>
  reader.withCard(scenario, dirs, 'moica-e2e-backup-', body);

test('the manual\'s 13-digit card number (GP0000000615421, EF 0903 padded): read, check B-1, rewrite B-2, check A', async () => {
  const scenario = await stale({ cardNumber: MANUAL_NUMBER, cardNumberPad: 0x00 });
  await withCard(scenario, async (net, log, backupDir) => {
    const read = await spawnCli(['read', '--json'], rig.env);
    assert.equal(read.code, 0, read.stdout + read.stderr);
    assert.equal(read.json.card.number, MANUAL_NUMBER);
    assert.equal(read.json.card.numberForm, 'unusual');
    const text = await spawnCli(['read', '--lang', 'en'], rig.env);
    assert.match(text.stdout, /Card number: GP0000000615421 \(an unusual card number form \(2 letters and 13 digits/);

    const before = await runCommand(['check', '--json', ...net.flags]);
    assert.equal(before.code, 10, before.stdout + before.stderr);
    assert.equal(before.json.verdict, 'B-1');
    assert.equal(before.json.card.number, MANUAL_NUMBER);

    const rewrite = await runCommand(['rewrite', '--pin-stdin', '--yes', '--json', '--backup-dir', backupDir, ...net.flags], `${scenario.pin}\n`);
    assert.equal(rewrite.code, 0, rewrite.stdout + rewrite.stderr);
    assert.equal(rewrite.json.verdict, 'B-2');
    assert.match(rewrite.json.rewrite.backup, /GP0000000615421/, 'the backup is named by the card number');

    const afterwards = await runCommand(['check', '--json', ...net.flags]);
    assert.equal(afterwards.code, 0, afterwards.stdout + afterwards.stderr);
    assert.equal(afterwards.json.verdict, 'A');
    assert.deepEqual(net.registry.rewrites.map((r) => [r.cardNumber, r.result]), [[MANUAL_NUMBER, 'completed']],
      'the registry URL path carried the 15-character number');
    assert.equal(pinVerifies(log), 1, 'the PIN went to the card once');
    assert.ok(count(log, 'D6') > 0);
  });
});

const eeprom = (scenario: BuiltScenario) => JSON.stringify(scenario.card.toState().binaries);

test('a card with the third MOICA ATR: named by readers, read and checked as a real card; rewrite never sends it a PIN or a write: without a module refused (exit 5), with one routed to PKCS#11', async () => {
  const scenario = await stale({ atr: THIRD_ATR });
  const token = scenarioToken(scenario);
  dirs.push(token.dir);
  await withCard(scenario, async (net, log, backupDir) => {
    const untouched = eeprom(scenario);
    const readers = await spawnCli(['readers', '--json'], rig.env);
    const listed = readers.json.readers.find((r: any) => r.name === RIG_READER);
    assert.equal(listed.atr, THIRD_ATR);
    assert.equal(listed.moica, true);
    assert.match(listed.atrName, /MOICA/);

    const read = await spawnCli(['read', '--json'], rig.env);
    assert.equal(read.code, 0, read.stdout + read.stderr);
    assert.equal(read.json.card.virtual, false);
    assert.equal(read.json.card.atr, THIRD_ATR);

    const check = await runCommand(['check', '--json', ...net.flags]);
    assert.equal(check.code, 10, check.stdout + check.stderr);
    assert.equal(check.json.verdict, 'B-1');

    const refused = await runCommand(['rewrite', '--pin-stdin', '--yes', '--json', '--backup-dir', backupDir, ...net.flags], `${scenario.pin}\n`);
    assert.equal(refused.code, 5, refused.stdout + refused.stderr);
    assert.equal(refused.json.error.code, 'pkcs11-unavailable');
    assert.match(refused.json.error.message, /PKCS#11/);
    assert.equal(count(log, '20'), 0, 'no VERIFY of any kind (not even the tries query) to a real card');
    assert.equal(count(log, 'D6'), 0);

    process.env.SOFTHSM2_CONF = token.conf;
    const routed = await runCommand(['rewrite', '--pin-stdin', '--yes', '--json', '--backup-dir', backupDir, '--pkcs11-module', SOFTHSM_MODULE, ...net.flags], `${scenario.pin}\n`);
    assert.equal(routed.code, 0, routed.stdout + routed.stderr);
    assert.equal(routed.json.verdict, 'B-2');
    assert.deepEqual(listCertificates(token.conf, token.label).map((c) => c.serial).sort(), scenario.issued.map((c) => c.serialNumber).sort(),
      'the new certificates went to the module\'s token');
    assert.equal(count(log, '20'), 0, 'the PIN never went to the card over PC/SC');
    assert.equal(count(log, 'D6'), 0, 'no raw write');
    assert.equal(eeprom(scenario), untouched, 'the card\'s files are as they were: only the module writes');
  });
});

test('a card whose ATR nobody listed, answering the MOICA probe: readers does not call it "not MOICA", read reads it', async () => {
  const scenario = await buildScenario({ ...scenarioSpec('valid'), atr: UNLISTED_ATR, generation: 2 });
  await withCard(scenario, async () => {
    const readers = await spawnCli(['readers', '--json'], rig.env);
    const listed = readers.json.readers.find((r: any) => r.name === RIG_READER);
    assert.equal(listed.atr, UNLISTED_ATR);
    assert.equal(listed.moica, null);
    const read = await spawnCli(['read', '--json'], rig.env);
    assert.equal(read.code, 0, read.stdout + read.stderr);
    assert.equal(read.json.card.number, 'TP03130708163649');
    assert.equal(read.json.card.generation, 2);
    assert.equal(read.json.card.virtual, false);
  });
});

test('doctor on a card that does not answer: ✖ card, "take it out and put it in the other way up" in both languages, exit 5, no hang', async () => {
  const { parseOptions } = await import('../../source/options.js');
  const { runDoctor } = await import('../../source/doctor/run.js');
  const { doctorTextReport } = await import('../../source/doctor/report.js');
  const scenario = await buildScenario({ ...scenarioSpec('valid'), atr: THIRD_ATR });
  const client = await reader.insert(scenario.card);
  scenario.card.stopAnswering(0);
  try {
    const options = parseOptions(['doctor', '--timeout', '2000', '--no-ocsp'], { LANG: 'C' });
    const t0 = performance.now();
    const report = await runDoctor(options);
    const card = report.lines.find((l) => l.check === 'card')!;
    assert.equal(card.status, 'fail');
    assert.equal(card.summary.key, 'card.mute');
    assert.equal(card.details.mute, true);
    assert.equal(report.exitCode, 5);
    assert.ok(performance.now() - t0 < 15_000, 'bounded by --timeout');
    assert.match(doctorTextReport(report, 'en', false), /✖ Card: The card in Virtual PCD 00 00 does not answer \(no answer to the first command\)\.\n\s+→ Take it out and put it in the other way up/);
    assert.match(doctorTextReport(report, 'zh-TW', false), /沒有回應（第一個指令即無回應）。\n\s+→ 請取出卡片，換個方向重新插入/);
  } finally {
    // Taking the card out releases pcscd, which still waits on the mute card.
    await reader.remove(client);
  }
});
