/**
 * The backup as the CDF's journal: a card whose directory a torn commit broke is put back from the newest
 * backup of its card number (PIN asked once, before the proofs: only bytes read from this card are
 * written then), and the rewrite resumes; without such a backup nothing is asked or written.
 */
import { test } from 'node:test';
import assert from 'node:assert/strict';
import { runRewrite } from '../../source/check/rewrite.js';
import type { CardBackup } from '../../source/check/backup.js';
import { isMoicaError } from '../../source/errors.js';
import { NOW, OLD0, OLD1, SERIAL0, SERIAL1 } from './fixtures.js';
import { rig } from './fakes.js';

const now = () => NOW;

function backupOf(cardNumber: string, directory: string, createdAt: string): CardBackup {
  return {
    version: 1, cardNumber, createdAt, reader: 'Virtual PCD 00 00', atr: '3B8D', writer: 'virtual-apdu', certificates: [],
    extras: { cdf: Buffer.from(directory).toString('base64') }, registry: { cardNumber, certificates: [] },
  };
}

test('journal: a torn directory is put back from the newest backup of this card, then the rewrite resumes to B-2', async () => {
  const r = await rig();
  r.backups.saved.push(
    backupOf('TP03130708163649', `${OLD0},${OLD1}`, '2026-05-01T00:00:00.000Z'),
    backupOf('TP99999999999999', 'X,Y', '2026-05-02T00:00:00.000Z'),
  );
  r.card.tornDirectory = true;
  const steps: string[] = [];
  const result = await runRewrite(r.deps(), { now, onProgress: (p) => steps.push(p.step) });
  assert.equal(result.verdict, 'B-2');
  assert.equal(r.pinsAsked, 1, 'the PIN once for the whole run');
  assert.ok(r.pinGiven.every((b) => b.every((x) => x === 0)), 'PIN buffers zeroed');
  const i = (e: string) => r.log.indexOf(e);
  assert.ok(i('restoreExtras:cdf') > i('verifyPin') && i('verifyPin') > i('askPin'));
  assert.ok(i('publicKey:0') > i('restoreExtras:cdf'), 'the proofs follow, before any certificate is written');
  assert.ok(i('write-body:0') > i('backup'), 'a new backup before the writes');
  assert.deepEqual(r.card.directory, [SERIAL0, SERIAL1]);
  assert.deepEqual(steps.slice(0, 4), ['fresh-check', 'pin', 'verify-pin', 'download']);
  assert.equal(r.log.filter((e) => e === 'verifyPin').length, 1);
});

test('journal: no backup of this card → card-inconsistent, nothing asked, nothing written', async () => {
  const r = await rig();
  r.backups.saved.push(backupOf('TP99999999999999', 'X,Y', '2026-05-02T00:00:00.000Z'));
  r.card.tornDirectory = true;
  await assert.rejects(runRewrite(r.deps(), { now }), (e) => isMoicaError(e, 'card-inconsistent') && e.detail.directory === 'unreadable');
  assert.equal(r.pinsAsked, 0);
  assert.ok(!r.log.some((e) => e.startsWith('restoreExtras') || e.startsWith('write')));
});

test('journal: a torn card that is not the card checked is refused before the PIN', async () => {
  const r = await rig();
  r.backups.saved.push(backupOf('TP03130708163649', `${OLD0},${OLD1}`, '2026-05-01T00:00:00.000Z'));
  r.card.tornDirectory = true;
  await assert.rejects(runRewrite(r.deps(), { now, expectedCardNumber: 'TP00000000000000' }), (e) => isMoicaError(e, 'rewrite-not-allowed'));
  assert.equal(r.pinsAsked, 0);
});

test('journal: a wrong PIN while putting the directory back is not retried, and the writer is ended', async () => {
  const r = await rig();
  r.backups.saved.push(backupOf('TP03130708163649', `${OLD0},${OLD1}`, '2026-05-01T00:00:00.000Z'));
  r.card.tornDirectory = true;
  await assert.rejects(runRewrite(r.deps('654321'), { now }), (e) => isMoicaError(e, 'pin-wrong'));
  assert.equal(r.log.filter((e) => e === 'verifyPin').length, 1);
  assert.ok(r.log.includes('end'));
  assert.ok(!r.log.some((e) => e.startsWith('restoreExtras')));
});
