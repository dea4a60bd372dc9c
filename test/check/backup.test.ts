import { test } from 'node:test';
import assert from 'node:assert/strict';
import { mkdtemp, readdir, readFile, rm, stat, writeFile } from 'node:fs/promises';
import { tmpdir, homedir } from 'node:os';
import { join } from 'node:path';
import { backupFileName, type CardBackup } from '../../source/check/backup.js';
import { defaultBackupDir, fileBackupStore } from '../../source/engine/backup-store.js';
import { restoreBackup } from '../../source/check/restore.js';
import { runRewrite } from '../../source/check/rewrite.js';
import { isMoicaError } from '../../source/errors.js';
import { NOW, OLD0, OLD1, SERIAL0, SERIAL1 } from './fixtures.js';
import { rig } from './fakes.js';

async function withDir(fn: (dir: string) => Promise<void>): Promise<void> {
  const dir = await mkdtemp(join(tmpdir(), 'moica-backup-'));
  try {
    await fn(dir);
  } finally {
    await rm(dir, { recursive: true, force: true });
  }
}

function sample(createdAt = '2026-11-27T23:33:34.123Z'): CardBackup {
  return {
    version: 1, cardNumber: 'TP03130708163649', createdAt, reader: 'Virtual PCD 00 00', atr: '3B8D', writer: 'virtual-apdu',
    certificates: [{ slot: 0, serialNumber: 'AB', der: Buffer.from([0x30, 0x00]).toString('base64') }],
    extras: { cdf: 'AAE=' },
    registry: { cardNumber: 'TP03130708163649', certificates: [] },
  };
}

test('backup: default directory follows XDG_DATA_HOME, else ~/.local/share', () => {
  assert.equal(defaultBackupDir({ XDG_DATA_HOME: '/data' }), '/data/moica-check/backups');
  assert.equal(defaultBackupDir({}), join(homedir(), '.local/share/moica-check/backups'));
  // A relative XDG_DATA_HOME is invalid by the XDG spec and ignored.
  assert.equal(defaultBackupDir({ XDG_DATA_HOME: 'rel' }), join(homedir(), '.local/share/moica-check/backups'));
});

test('backup: one private JSON file per rewrite, named with card number and timestamp, no temp file left', async () => {
  await withDir(async (dir) => {
    const store = fileBackupStore(join(dir, 'nested', 'backups'));
    const file = await store.save(sample());
    assert.equal(file, join(dir, 'nested', 'backups', 'TP03130708163649-20261127T233334123Z.json'));
    assert.equal(backupFileName('TP03130708163649', new Date('2026-11-27T23:33:34.123Z')), 'TP03130708163649-20261127T233334123Z.json');
    assert.equal((await stat(file)).mode & 0o777, 0o600);
    assert.deepEqual(await readdir(join(dir, 'nested', 'backups')), ['TP03130708163649-20261127T233334123Z.json']);
    assert.deepEqual(JSON.parse(await readFile(file, 'utf8')), sample());
    assert.deepEqual(await store.load(file), sample());
  });
});

test('backup: two backups in the same millisecond never overwrite each other', async () => {
  await withDir(async (dir) => {
    const store = fileBackupStore(dir);
    const a = await store.save(sample());
    const b = await store.save({ ...sample(), extras: { other: 'AA==' } });
    assert.notEqual(a, b);
    assert.deepEqual((await store.load(a)).extras, { cdf: 'AAE=' });
    assert.deepEqual((await store.load(b)).extras, { other: 'AA==' });
    assert.equal((await readdir(dir)).length, 2);
  });
});

test('backup: a directory that cannot be made is backup-failed', async () => {
  await withDir(async (dir) => {
    await writeFile(join(dir, 'file'), 'x');
    await assert.rejects(fileBackupStore(join(dir, 'file', 'backups')).save(sample()), (e) => isMoicaError(e, 'backup-failed'));
  });
});

test('backup: loading a missing or foreign file is a typed error', async () => {
  await withDir(async (dir) => {
    const store = fileBackupStore(dir);
    await assert.rejects(store.load(join(dir, 'missing.json')), (e) => isMoicaError(e, 'usage'));
    await writeFile(join(dir, 'bad.json'), '{"version": 2}');
    await assert.rejects(store.load(join(dir, 'bad.json')), (e) => isMoicaError(e, 'usage'));
    await writeFile(join(dir, 'text.json'), 'not json');
    await assert.rejects(store.load(join(dir, 'text.json')), (e) => isMoicaError(e, 'usage'));
  });
});

test('restore: a rewrite\'s backup on disk puts the old certificates back', async () => {
  await withDir(async (dir) => {
    const r = await rig();
    const store = fileBackupStore(dir);
    const result = await runRewrite({ ...r.deps(), backupStore: store }, { now: () => NOW });
    assert.deepEqual(r.card.directory, [SERIAL0, SERIAL1]);
    await assert.rejects(restoreBackup(result.backup, r.card, { store, cardNumber: 'TP00000000000000' }), (e) => isMoicaError(e, 'rewrite-not-allowed'));
    await r.card.verifyPin(new TextEncoder().encode('123456'));
    const restored = await restoreBackup(result.backup, r.card, { store, cardNumber: 'TP03130708163649' });
    assert.deepEqual(restored.slots, [0, 1]);
    assert.deepEqual(r.card.directory, [OLD0, OLD1]);
    assert.ok(r.card.info().consistent);
  });
});

test('backup: latest(cardNumber) is the newest backup of that card, whatever else the directory holds', async () => {
  await withDir(async (dir) => {
    const store = fileBackupStore(dir);
    assert.equal(await fileBackupStore(join(dir, 'missing')).latest('TP03130708163649'), undefined);
    await store.save(sample('2026-11-27T23:33:34.123Z'));
    const newest = await store.save({ ...sample('2026-11-28T01:00:00.000Z'), extras: { cdf: 'AAI=' } });
    const twin = await store.save({ ...sample('2026-11-28T01:00:00.000Z'), extras: { cdf: 'AAM=' } });
    await store.save({ ...sample('2026-12-01T00:00:00.000Z'), cardNumber: 'TP99999999999999' });
    await writeFile(join(dir, 'TP03130708163649-20991231T000000000Z.json'), 'not a backup');
    const found = await store.latest('TP03130708163649');
    assert.notEqual(newest, twin);
    assert.equal(found?.location, twin, 'the same-millisecond twin was made later');
    assert.deepEqual(found?.backup.extras, { cdf: 'AAM=' });
    assert.equal(await store.latest('TP00000000000000'), undefined);
  });
});

test('restore: proofs before the PIN (a certificate with another key is refused, no PIN asked), then the CDF extra first', async () => {
  await withDir(async (dir) => {
    const r = await rig();
    const store = fileBackupStore(dir);
    const result = await runRewrite({ ...r.deps(), backupStore: store }, { now: () => NOW });
    let asked = 0;
    const askPin = async () => { asked++; return new TextEncoder().encode('123456'); };
    const forged = await store.save({ ...(await store.load(result.backup)), certificates: [{ slot: 0, serialNumber: OLD0, der: Buffer.from(r.card.material.otherKey0).toString('base64') }] });
    await assert.rejects(restoreBackup(forged, r.card, { store, cardNumber: 'TP03130708163649', askPin }), (e) => isMoicaError(e, 'rewrite-refused'));
    assert.equal(asked, 0);
    r.log.length = 0;
    const restored = await restoreBackup(result.backup, r.card, { store, cardNumber: 'TP03130708163649', askPin });
    assert.equal(asked, 1);
    assert.deepEqual(restored.slots, [0, 1]);
    assert.ok(r.log.indexOf('restoreExtras:cdf') < r.log.indexOf('write-body:0'));
    assert.ok(r.log.indexOf('verifyPin') < r.log.indexOf('restoreExtras:cdf'));
    assert.deepEqual(r.card.directory, [OLD0, OLD1]);
  });
});
