import { test } from 'node:test';
import assert from 'node:assert/strict';
import { runRewrite } from '../../source/check/rewrite.js';
import type { RewriteProgress, Verdict } from '../../source/check/types.js';
import { decideVerdict } from '../../source/check/verdict.js';
import { isMoicaError, MoicaError } from '../../source/errors.js';
import { card, goodOcsp, NOW, OLD0, OLD1, registry, SERIAL0, SERIAL1 } from './fixtures.js';
import { rig, type Fault, type Rig } from './fakes.js';

const now = () => NOW;
const writes = (r: Rig) => r.log.filter((e) => e.startsWith('write-body') || e.startsWith('commit'));
const allZero = (b: Uint8Array) => b.length > 0 && b.every((x) => x === 0);

async function rejects(p: Promise<unknown>, code: string): Promise<MoicaError> {
  let caught: unknown;
  await p.then(() => assert.fail('expected a failure'), (e) => (caught = e));
  assert.ok(isMoicaError(caught, code as never), `expected ${code}, got ${String((caught as Error)?.message ?? caught)}`);
  return caught as MoicaError;
}

test('rewrite: happy path, steps in order, B-2, card holds the issued certificates', async () => {
  const r = await rig();
  const steps: RewriteProgress[] = [];
  const result = await runRewrite(r.deps(), { now, onProgress: (p) => steps.push(p) });
  assert.deepEqual(steps.map((s) => (s.slot === undefined ? s.step : `${s.step}:${s.slot}`)), [
    'fresh-check', 'download', 'prove', 'pin', 'verify-pin', 'key-proof', 'backup',
    'write:0', 'commit:0', 'write:1', 'commit:1', 'read-back', 'record', 'done',
  ]);
  assert.equal(result.verdict, 'B-2');
  assert.deepEqual(result.serialNumbers, [SERIAL0, SERIAL1]);
  assert.deepEqual(result.slots, [0, 1]);
  assert.equal(result.backup, 'memory:1');
  assert.equal(result.recorded, true);
  assert.deepEqual(r.card.directory, [SERIAL0, SERIAL1]);
  assert.ok(r.card.info().consistent);
  assert.deepEqual(r.registry.records.map((x) => [x.result, x.serialNumbers]), [['completed', [SERIAL0, SERIAL1]]]);
  assert.equal(r.log.filter((e) => e === 'verifyPin').length, 1);
  assert.equal(r.log.at(-1), 'post:completed');
  assert.ok(r.log.includes('end'), 'the verified state is dropped');
  const verdictAfter = decideVerdict(r.card.info(), r.registry.answer, goodOcsp(), NOW);
  assert.equal(verdictAfter.verdict, 'A');
});

test('rewrite: the backup is on disk before the first write, and holds the old card and the registry answer', async () => {
  const r = await rig();
  await runRewrite(r.deps(), { now });
  const backupAt = r.log.indexOf('backup');
  const firstWrite = r.log.findIndex((e) => e.startsWith('write-body'));
  assert.ok(backupAt >= 0 && backupAt < firstWrite, r.log.join(' '));
  const [saved] = r.backups.saved;
  assert.equal(saved!.cardNumber, 'TP03130708163649');
  assert.deepEqual(saved!.certificates.map((c) => [c.slot, c.serialNumber]), [[0, OLD0], [1, OLD1]]);
  assert.deepEqual(Buffer.from(saved!.certificates[0]!.der, 'base64'), Buffer.from(r.card.material.old[0]));
  assert.equal(Buffer.from(saved!.extras.cdf!, 'base64').toString(), `${OLD0},${OLD1}`);
  assert.deepEqual(saved!.registry.certificates.map((c) => [c.serialNumber, c.notAfter]), [[SERIAL0, '2029-03-01T00:00:00.000Z'], [SERIAL1, '2029-03-01T00:00:00.000Z']]);
});

test('rewrite: only the stale slot is written', async () => {
  const r = await rig();
  r.card.bodies[1] = r.card.material.issued[1];
  r.card.directory[1] = SERIAL1;
  const result = await runRewrite(r.deps(), { now });
  assert.deepEqual(result.slots, [0]);
  assert.deepEqual(writes(r), ['write-body:0', 'commit:0']);
});

for (const [name, pick, reason] of [
  ['another key', 'otherKey0', 'key'],
  ['another serial', 'wrongSerial0', 'serial'],
  ['another issuer name', 'otherIssuerName0', 'issuer-name'],
  ['the same issuer name but another CA\'s signature', 'otherCa0', 'issuer-signature'],
  ['not a certificate at all', 'junk', 'not-a-certificate'],
] as const) {
  test(`rewrite: refused for ${name}, before any PIN and with zero writes`, async () => {
    const r = await rig();
    r.registry.certificates.set(SERIAL0, pick === 'junk' ? new Uint8Array([0x30, 0x03, 1, 2, 3]) : r.card.material[pick]);
    const e = await rejects(runRewrite(r.deps(), { now }), 'rewrite-refused');
    assert.equal(e.detail.reason, reason);
    assert.equal(r.pinsAsked, 0);
    assert.ok(!r.log.includes('verifyPin') && !r.log.includes('backup'));
    assert.deepEqual(writes(r), []);
    assert.deepEqual(r.registry.records.map((x) => x.result), ['failed']);
  });
}

test('rewrite: without CA certificates on the card, the issuer is compared with the current certificate\'s', async () => {
  const ok = await rig({ withCa: false });
  await runRewrite(ok.deps(), { now });
  assert.deepEqual(ok.card.directory, [SERIAL0, SERIAL1]);
  const bad = await rig({ withCa: false });
  bad.registry.certificates.set(SERIAL0, bad.card.material.otherIssuerName0);
  const e = await rejects(runRewrite(bad.deps(), { now }), 'rewrite-refused');
  assert.equal(e.detail.reason, 'issuer-name');
  assert.deepEqual(writes(bad), []);
});

for (const pin of ['12345', '123456789', '12a456', '', '１２３４５６', '123 456']) {
  test(`rewrite: malformed PIN ${JSON.stringify(pin)} never reaches the card`, async () => {
    const r = await rig();
    const e = await rejects(runRewrite(r.deps(pin), { now }), 'pin-malformed');
    assert.ok(!e.message.includes(pin) || pin === '');
    assert.ok(!r.log.includes('verifyPin'));
    assert.deepEqual(r.card.pinBuffers, []);
    assert.deepEqual(writes(r), []);
    assert.ok(r.pinGiven.every((b) => b.every((x) => x === 0)), 'the PIN buffer is zeroed');
  });
}

test('rewrite: wrong PIN gives tries left, verifyPin called exactly once, nothing written, buffer zeroed', async () => {
  const r = await rig();
  const e = await rejects(runRewrite(r.deps('654321'), { now }), 'pin-wrong');
  assert.equal(e.detail.triesLeft, 2);
  assert.equal(r.log.filter((x) => x === 'verifyPin').length, 1);
  assert.deepEqual(writes(r), []);
  assert.ok(allZero(r.pinGiven[0]!));
  assert.ok(r.card.pinBuffers[0] === r.pinGiven[0] && allZero(r.card.pinBuffers[0]!));
  assert.ok(!e.message.includes('654321') && !JSON.stringify(e.toJSON()).includes('654321'));
  assert.deepEqual(r.registry.records.map((x) => x.result), ['failed']);
  assert.ok(!r.registry.records[0]!.detail.includes('654321'));
});

test('rewrite: a blocked PIN is reported as blocked, not retried', async () => {
  const r = await rig();
  r.card.triesLeft = 0;
  await rejects(runRewrite(r.deps(), { now }), 'pin-blocked');
  assert.equal(r.log.filter((x) => x === 'verifyPin').length, 1);
  assert.deepEqual(writes(r), []);
});

test('rewrite: the PIN buffer is zeroed after a successful rewrite too', async () => {
  const r = await rig();
  r.card.pin = '87654321';
  await runRewrite(r.deps('87654321'), { now });
  assert.equal(r.pinGiven.length, 1);
  assert.ok(allZero(r.pinGiven[0]!));
});

test('rewrite: a card that cannot sign with the new certificate\'s key is refused before the backup and any write', async () => {
  const r = await rig();
  r.card.signWith = r.card.material.otherKey;
  const e = await rejects(runRewrite(r.deps(), { now }), 'rewrite-refused');
  assert.equal(e.detail.reason, 'key-proof');
  assert.ok(!r.log.includes('backup'));
  assert.deepEqual(writes(r), []);
});

test('rewrite: key proof is off by default for PKCS#11 writers, on when asked', async () => {
  const r = await rig({ path: 'pkcs11' });
  const steps: string[] = [];
  await runRewrite(r.deps(), { now, onProgress: (p) => steps.push(p.step) });
  assert.ok(!steps.includes('key-proof') && !r.log.some((x) => x.startsWith('sign')));
  const s = await rig({ path: 'pkcs11' });
  await runRewrite(s.deps(), { now, keyProof: true });
  assert.ok(s.log.includes('sign:0') && s.log.includes('sign:1'));
});

const faults: Array<[string, Fault]> = [
  ['the body of certificate 0', { at: 'body', slot: 0 }],
  ['the directory entry of certificate 0', { at: 'commit', slot: 0 }],
  ['the body of certificate 1', { at: 'body', slot: 1 }],
  ['the directory entry of certificate 1', { at: 'commit', slot: 1 }],
  ['the read-back', { at: 'read-back', slot: 1 }],
];
for (const [name, fault] of faults) {
  test(`rewrite: a failure at ${name} leaves the backup, and running again completes`, async () => {
    const r = await rig();
    r.card.faults = [fault];
    const e = await rejects(runRewrite(r.deps(), { now }), 'card-removed');
    assert.equal(e.detail.backup, 'memory:1');
    assert.equal(e.detail.resumable, true);
    assert.equal(r.backups.saved.length, 1);
    assert.deepEqual(r.registry.records.map((x) => x.result), ['failed']);
    // The card is left old, inconsistent or half-new: never a verdict A.
    const left = r.card.info();
    if (left.consistent) assert.equal(decideVerdict(left, r.registry.answer, goodOcsp(), NOW).verdict, fault.at === 'read-back' ? 'A' : 'B-1');
    if (fault.at === 'read-back') return; // everything was written; nothing to resume
    const again = await runRewrite(r.deps(), { now });
    assert.equal(again.verdict, 'B-2');
    assert.deepEqual(r.card.directory, [SERIAL0, SERIAL1]);
    assert.ok(r.card.info().consistent);
    assert.deepEqual(r.registry.records.map((x) => x.result), ['failed', 'completed']);
  });
}

test('rewrite: a card left inconsistent is finished by a re-run (the verdict alone would refuse it)', async () => {
  const r = await rig();
  r.card.faults = [{ at: 'commit', slot: 0 }];
  await rejects(runRewrite(r.deps(), { now }), 'card-removed');
  assert.equal(r.card.info().consistent, false);
  assert.throws(() => decideVerdict(r.card.info(), r.registry.answer, goodOcsp(), NOW), (e) => isMoicaError(e, 'card-inconsistent'));
  const result = await runRewrite(r.deps(), { now });
  assert.deepEqual(result.slots, [0, 1]);
});

test('rewrite: read-back that differs is a rewrite failure with the backup', async () => {
  const r = await rig();
  r.card.corruptAfterWrite = 1;
  const e = await rejects(runRewrite(r.deps(), { now }), 'rewrite-failed');
  assert.equal(e.detail.backup, 'memory:1');
  assert.equal(e.detail.slot, 1);
  assert.deepEqual(r.registry.records.map((x) => x.result), ['failed']);
});

test('rewrite: a failing POST of the record does not fail the rewrite', async () => {
  const r = await rig();
  r.registry.postFails = true;
  const result = await runRewrite(r.deps(), { now });
  assert.equal(result.verdict, 'B-2');
  assert.equal(result.recorded, false);
  assert.deepEqual(r.card.directory, [SERIAL0, SERIAL1]);
});

test('rewrite: not allowed unless the fresh check says B-1', async () => {
  const matching = await rig();
  matching.card.bodies = [...matching.card.material.issued];
  matching.card.directory = [SERIAL0, SERIAL1];
  const a = await rejects(runRewrite(matching.deps(), { now }), 'rewrite-not-allowed');
  assert.equal(a.detail.verdict, 'A');
  const revoked = await rig();
  revoked.registry.answer = registry([{ status: 'revoked' }, { status: 'revoked' }]);
  const c = await rejects(runRewrite(revoked.deps(), { now }), 'rewrite-not-allowed');
  assert.equal(c.detail.verdict, 'C');
  const byOcsp = await rig();
  const deps = { ...byOcsp.deps(), ocsp: async () => ({ checked: true, certificates: [{ serialNumber: SERIAL0, status: 'revoked' as const, reason: 'certificateHold' }] }) };
  assert.equal((await rejects(runRewrite(deps, { now }), 'rewrite-not-allowed')).detail.status, 'suspended');
  for (const r of [matching, revoked, byOcsp]) {
    assert.equal(r.pinsAsked, 0);
    assert.deepEqual(r.registry.records, []);
    assert.deepEqual(writes(r), []);
  }
});

test('rewrite: a previous verdict other than B-1 stops before the card is read', async () => {
  const r = await rig();
  const verdictA: Verdict = decideVerdict(card(), registry(), goodOcsp(), NOW);
  await rejects(runRewrite(r.deps(), { now, previousVerdict: verdictA }), 'rewrite-not-allowed');
  assert.deepEqual(r.log, []);
});

test('rewrite: another card in the reader stops it', async () => {
  const r = await rig();
  await rejects(runRewrite(r.deps(), { now, expectedCardNumber: 'TP00000000000000' }), 'rewrite-not-allowed');
  assert.equal(r.pinsAsked, 0);
});

test('rewrite: cancelled before writing leaves the card untouched', async () => {
  const r = await rig();
  const controller = new AbortController();
  const steps: string[] = [];
  const run = runRewrite(r.deps(), { now, signal: controller.signal, onProgress: (p) => { steps.push(p.step); if (p.step === 'verify-pin') controller.abort(); } });
  await rejects(run, 'cancelled');
  assert.deepEqual(writes(r), []);
  assert.ok(!r.log.includes('backup'));
  assert.ok(r.log.includes('end'));
});

test('rewrite: a backup that cannot be written stops before any write', async () => {
  const r = await rig();
  r.backups.fails = true;
  await rejects(runRewrite(r.deps(), { now }), 'backup-failed');
  assert.deepEqual(writes(r), []);
  const s = await rig();
  s.card.faults = [{ at: 'extras' }];
  await rejects(runRewrite(s.deps(), { now }), 'backup-failed');
  assert.deepEqual(writes(s), []);
});
