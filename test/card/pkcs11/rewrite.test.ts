/**
 * The check engineer's rewrite step machine driving the PKCS#11 writer on a SoftHSM2 token: the whole
 * B-1 → B-2 path a real card takes, with the key proof (C_Sign) on.
 */
import assert from 'node:assert/strict';
import { mkdtempSync, readdirSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { after, before, test } from 'node:test';
import { openPkcs11Card } from '../../../source/card/pkcs11/index.js';
import { fileBackupStore } from '../../../source/engine/backup-store.js';
import { runRewrite, type RewriteRecord } from '../../../source/check/rewrite.js';
import type { RewriteStep } from '../../../source/check/types.js';
import { CARD_NUMBER, copyToken, ID_HEX, listCertificates, makeTemplateToken, renewalFor, SOFTHSM_MODULE, USER_PIN,
  type Renewal, type TemplateToken } from './softhsm.js';

let template: TemplateToken;
let renewal: Renewal;
before(async () => {
  template = await makeTemplateToken();
  renewal = await renewalFor(template);
});
after(() => template.cleanup());

test('runRewrite over the PKCS#11 writer: proofs, C_Login, C_Sign key proof, backup, replace, read-back, record', async () => {
  const token = copyToken(template);
  const backupDir = mkdtempSync(join(tmpdir(), 'moica-backup-'));
  process.env.SOFTHSM2_CONF = token.conf;
  const card = await openPkcs11Card({ modulePath: SOFTHSM_MODULE, cardNumber: CARD_NUMBER });
  try {
    const records: RewriteRecord[] = [];
    const steps: RewriteStep[] = [];
    const result = await runRewrite({
      registry: {
        getCard: async () => renewal.registryCard,
        getCertificate: async (serial) => {
          assert.equal(serial, '4C0FFEE0123456789A');
          return new Uint8Array(renewal.fresh.rawData);
        },
        postRewrite: async (_number, record) => { records.push(record); },
      },
      writer: card.writer(),
      readCard: () => card.read(),
      backupStore: fileBackupStore(backupDir),
      askPin: async () => new Uint8Array(Buffer.from(USER_PIN)),
    }, { keyProof: true, now: () => new Date('2025-01-01T00:00:00Z'), onProgress: (p) => steps.push(p.step) });

    assert.equal(result.verdict, 'B-2');
    assert.deepEqual(result.serialNumbers, ['4C0FFEE0123456789A']);
    assert.ok(steps.includes('key-proof') && steps.includes('read-back'));
    assert.deepEqual(records.map((r) => r.result), ['completed']);
    const listed = listCertificates(token.conf, CARD_NUMBER);
    assert.deepEqual(listed.filter((c) => c.id === ID_HEX.SIGN).map((c) => c.serial), ['4C0FFEE0123456789A']);
    assert.deepEqual(listed.filter((c) => c.id === ID_HEX.KEYX).map((c) => c.serial), ['A0B1C2D3E4F5061728']);
    const backup = await fileBackupStore(backupDir).load(result.backup);
    assert.equal(backup.writer, 'pkcs11');
    assert.deepEqual(Buffer.from(backup.certificates.find((c) => c.slot === 0)!.der, 'base64'), Buffer.from(template.oldCerts.SIGN.rawData));
    assert.ok('pkcs11-token.json' in backup.extras);
    assert.equal(readdirSync(backupDir).length, 1);
  } finally {
    await card.close();
    token.cleanup();
    rmSync(backupDir, { recursive: true, force: true });
  }
});
