/**
 * PIN gating (issue 13 item 3, issue 12 item 4): the tries left are asked before the PIN prompt without
 * consuming one; a blocked card is never sent a VERIFY; the last try is spent only when confirmed; a wrong
 * PIN is never sent twice. Over the step machine with fakes, the in-process virtual card (real APDUs) and
 * SoftHSM2 behind a token wrapper that locks.
 */
import { test, after, before } from 'node:test';
import assert from 'node:assert/strict';
import { runRewrite } from '../../source/check/rewrite.js';
import { isMoicaError, MoicaError } from '../../source/errors.js';
import { ERROR_EXIT } from '../../source/exit.js';
import { t } from '../../source/i18n/t.js';
import { openPkcs11Card } from '../../source/card/pkcs11/index.js';
import { rig } from '../check/fakes.js';
import { NOW } from '../check/fixtures.js';
import { staleScenario } from '../e2e/harness.js';
import { CARD_NUMBER, copyToken, makeTemplateToken, SOFTHSM_MODULE, USER_PIN, type TemplateToken } from '../card/pkcs11/softhsm.js';
import { lockingToken, type Calls } from '../card/pkcs11/wrap.js';
import { MemoryBackups } from '../check/fakes.js';
import { virtualRewriteParts } from './virtual-rewrite.js';

const now = () => NOW;

async function rejects(p: Promise<unknown>, code: string): Promise<MoicaError> {
  let caught: unknown;
  await p.then(() => assert.fail(`expected ${code}`), (e) => (caught = e));
  assert.ok(isMoicaError(caught, code as never), `expected ${code}, got ${String((caught as Error)?.message ?? caught)}`);
  return caught as MoicaError;
}

test('the new code: pin-last-try-unconfirmed exits 6 and has its texts', () => {
  assert.equal(ERROR_EXIT['pin-last-try-unconfirmed'], 6);
  assert.match(t('zh-TW', 'error.pin-last-try-unconfirmed'), /最後 1 次/);
  assert.match(t('en', 'error.pin-last-try-unconfirmed'), /one PIN try left/);
});

test('a blocked PIN\'s texts carry the unlock route (用戶代碼 online, household registration office) in both languages', () => {
  assert.match(t('zh-TW', 'error.pin-blocked'), /用戶代碼/);
  assert.match(t('zh-TW', 'error.pin-blocked'), /戶政事務所/);
  assert.match(t('en', 'error.pin-blocked'), /user code/);
  assert.match(t('en', 'error.pin-blocked'), /household registration office/);
});

test('machine: 0 tries → pin-blocked with the unlock route, no PIN asked, no VERIFY, nothing written', async () => {
  const r = await rig();
  const e = await rejects(runRewrite({ ...r.deps(), pinTries: async () => 0 }, { now }), 'pin-blocked');
  assert.match(e.message, /household registration office/);
  assert.equal(e.detail.triesLeft, 0);
  assert.deepEqual(Object.keys(e.detail.unlock as object).sort(), ['en', 'zh-TW']);
  assert.equal(r.pinsAsked, 0);
  assert.ok(!r.log.includes('verifyPin'));
  assert.ok(!r.log.some((l) => l.startsWith('write-body')));
});

test('machine: 1 try and no confirmLastTry → pin-last-try-unconfirmed, nothing asked or sent', async () => {
  const r = await rig();
  const e = await rejects(runRewrite({ ...r.deps(), pinTries: async () => 1 }, { now }), 'pin-last-try-unconfirmed');
  assert.equal(e.exitCode, 6);
  assert.equal(r.pinsAsked, 0);
  assert.ok(!r.log.includes('verifyPin'));
});

test('machine: 1 try, confirmLastTry answers false → refused; true → the rewrite goes ahead with one VERIFY', async () => {
  const r = await rig();
  let asked = 0;
  await rejects(runRewrite({ ...r.deps(), pinTries: async () => 1, confirmLastTry: async () => { asked++; return false; } }, { now }), 'pin-last-try-unconfirmed');
  assert.equal(asked, 1);
  assert.equal(r.pinsAsked, 0);
  const r2 = await rig();
  const steps: Array<{ step: string; triesLeft?: number }> = [];
  const result = await runRewrite({ ...r2.deps(), pinTries: async () => 1, confirmLastTry: async () => true }, { now, onProgress: (p) => steps.push(p) });
  assert.equal(result.verdict, 'B-2');
  assert.equal(r2.log.filter((l) => l === 'verifyPin').length, 1);
  assert.equal(steps.find((s) => s.step === 'pin')?.triesLeft, 1, 'the prompt is told the count');
});

test('machine: tries unknown (null) or several → the PIN prompt as before, never a confirmation', async () => {
  for (const tries of [null, 2, 3]) {
    const r = await rig();
    let confirmations = 0;
    const result = await runRewrite({ ...r.deps(), pinTries: async () => tries, confirmLastTry: async () => { confirmations++; return true; } }, { now });
    assert.equal(result.verdict, 'B-2');
    assert.equal(confirmations, 0);
  }
});

test('machine: a wrong PIN is sent once and never retried (the next try needs a new run)', async () => {
  const r = await rig();
  await rejects(runRewrite(r.deps('999999'), { now }), 'pin-wrong');
  assert.equal(r.log.filter((l) => l === 'verifyPin').length, 1);
  assert.equal(r.pinsAsked, 1);
});

// ---------------------------------------------------------------- the virtual card's APDUs

async function virtualSetup(tries: number) {
  const scenario = await staleScenario({ tries });
  const { entries, registry, readCard, writer } = await virtualRewriteParts(scenario);
  const verifies = () => entries.filter((e) => e.command[1] === 0x20 && e.command.length > 5).length;
  const writes = () => entries.filter((e) => e.command[1] === 0xd6).length;
  const pinOf = (pin: string) => async () => new TextEncoder().encode(pin);
  return { scenario, writer, registry, readCard, verifies, writes, pinOf, entries, now: () => scenario.now };
}

test('virtual card: pinTries sends 00 20 00 01 with no data and never consumes a try', async () => {
  const s = await virtualSetup(3);
  assert.equal(await s.writer.pinTries(), 3);
  assert.equal(await s.writer.pinTries(), 3);
  assert.equal(s.scenario.card.triesLeft, 3);
  const asked = s.entries.filter((e) => e.command[1] === 0x20);
  assert.deepEqual(asked.map((e) => Buffer.from(e.command).toString('hex')), ['00200001', '00200001']);
  await rejects(s.writer.verifyPin(new TextEncoder().encode('000000')), 'pin-wrong');
  assert.equal(await s.writer.pinTries(), 2);
});

test('virtual card with one try: no confirmation → nothing sent; confirmed → rewritten', async () => {
  const s = await virtualSetup(1);
  const deps = { registry: s.registry, writer: s.writer, readCard: s.readCard, backupStore: new MemoryBackups([]), askPin: s.pinOf(s.scenario.pin), pinTries: () => s.writer.pinTries() };
  await rejects(runRewrite(deps, { now: s.now }), 'pin-last-try-unconfirmed');
  assert.equal(s.verifies(), 0);
  assert.equal(s.writes(), 0);
  assert.equal(s.scenario.card.triesLeft, 1);
  const result = await runRewrite({ ...deps, confirmLastTry: async () => true }, { now: s.now });
  assert.equal(result.verdict, 'B-2');
  assert.equal(s.verifies(), 1);
});

test('virtual card blocked by a wrong last try: the next run sends no VERIFY (6983 on the no-data VERIFY)', async () => {
  const s = await virtualSetup(1);
  const deps = { registry: s.registry, writer: s.writer, readCard: s.readCard, backupStore: new MemoryBackups([]), askPin: s.pinOf('000000'),
    pinTries: () => s.writer.pinTries(), confirmLastTry: async () => true };
  const first = await rejects(runRewrite(deps, { now: s.now }), 'pin-blocked');
  assert.match(first.message, /user code/);
  assert.equal(s.verifies(), 1);
  assert.equal(s.scenario.card.triesLeft, 0);
  let asked = 0;
  await rejects(runRewrite({ ...deps, askPin: async () => { asked++; return new TextEncoder().encode(s.scenario.pin); } }, { now: s.now }), 'pin-blocked');
  assert.equal(asked, 0, 'the PIN is not even asked');
  assert.equal(s.verifies(), 1, 'no second VERIFY with data');
  assert.equal(s.writes(), 0);
});

// ---------------------------------------------------------------- PKCS#11 token flags

let template: TemplateToken;
before(async () => { template = await makeTemplateToken(); });
after(() => template.cleanup());

test('PKCS#11: pinTries from the token flags: unknown (null) while the module says nothing, 1 at FINAL_TRY, 0 at LOCKED; a locked token gets no C_Login', async () => {
  const token = copyToken(template);
  process.env.SOFTHSM2_CONF = token.conf;
  const calls: Calls = new Map();
  const card = await openPkcs11Card({ modulePath: SOFTHSM_MODULE, cardNumber: CARD_NUMBER, wrapApi: lockingToken(calls, 2) });
  try {
    const writer = card.writer();
    assert.equal(await writer.pinTries(), null, 'three tries assumed, no number shown: the module gives none');
    await rejects(writer.verifyPin(new TextEncoder().encode('000000')), 'pin-wrong');
    assert.equal(await writer.pinTries(), 1);
    await rejects(writer.verifyPin(new TextEncoder().encode('000000')), 'pin-blocked');
    assert.equal(await writer.pinTries(), 0);
    const logins = calls.get('C_Login');
    await rejects(writer.verifyPin(new TextEncoder().encode(USER_PIN)), 'pin-blocked');
    assert.equal(calls.get('C_Login'), logins, 'a locked token is not sent C_Login');
  } finally {
    await card.close();
    token.cleanup();
  }
});

// ---------------------------------------------------------------- the TUI port over the real engine

test('engine (demo): pinStatus answers the virtual card\'s tries without consuming one; rewrite honours lastTryConfirmed', async () => {
  const { createEngine } = await import('../../source/engine/index.js');
  const { parseOptions } = await import('../../source/options.js');
  const { mkdtempSync, rmSync } = await import('node:fs');
  const { tmpdir } = await import('node:os');
  const { join } = await import('node:path');
  const backupDir = mkdtempSync(join(tmpdir(), 'moica-pin-gate-'));
  const engine = await createEngine(parseOptions(['--demo', 'rewrite', '--lang', 'en', '--backup-dir', backupDir], { LANG: 'C' }));
  try {
    await engine.ready();
    const reader = engine.readers()[0]!.name;
    const card = await engine.readCard(reader);
    await engine.check(card);
    assert.deepEqual(await engine.pinStatus(card), { triesLeft: 3 });
    assert.deepEqual(await engine.pinStatus(card), { triesLeft: 3 });
    const wrong = new TextEncoder().encode('000000');
    await rejects(engine.rewrite(card, wrong, () => {}), 'pin-wrong');
    assert.deepEqual(await engine.pinStatus(card), { triesLeft: 2 });
  } finally {
    await engine.close();
    rmSync(backupDir, { recursive: true, force: true });
  }
});
