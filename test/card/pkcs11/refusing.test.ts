/**
 * The PKCS#11 write path, defensively (issue 12 item 5): a module that refuses C_CreateObject or
 * C_DestroyObject with codes SoftHSM2 never gives (CKR_DEVICE_MEMORY, CKR_ACTION_PROHIBITED, CKR_TEMPLATE_*,
 * CKR_FUNCTION_NOT_SUPPORTED …). The real SoftHSM2 module underneath, through the module-wrapper seam
 * (openModule's wrapApi); the whole rewrite step machine on top, with its backup store on disk. Each refusal
 * is `pkcs11-cannot-write` (exit 5) naming the issuer's 檢測重寫 page, the backup already on disk, the token
 * holding what it held (or, when only the destroy is refused, both certificates): nothing lost.
 */
import assert from 'node:assert/strict';
import { existsSync, mkdtempSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { after, before, test } from 'node:test';
import { openPkcs11Card } from '../../../source/card/pkcs11/index.js';
import type { OpenModuleOptions } from '../../../source/card/pkcs11/module.js';
import { fileBackupStore } from '../../../source/engine/backup-store.js';
import { runRewrite, type RewriteRecord } from '../../../source/check/rewrite.js';
import { errorText } from '../../../source/i18n/t.js';
import { isMoicaError, type MoicaError } from '../../../source/errors.js';
import { ERROR_EXIT } from '../../../source/exit.js';
import { CARD_NUMBER, copyToken, ID_HEX, listCertificates, makeTemplateToken, renewalFor, SOFTHSM_MODULE, USER_PIN,
  type Renewal, type TemplateToken } from './softhsm.js';
import { counting, type Calls } from './wrap.js';

let template: TemplateToken;
let renewal: Renewal;
before(async () => {
  template = await makeTemplateToken();
  renewal = await renewalFor(template);
});
after(() => template.cleanup());

const CODES = {
  CKR_DEVICE_MEMORY: 0x31,
  CKR_ACTION_PROHIBITED: 0x1b,
  CKR_TEMPLATE_INCOMPLETE: 0xd0,
  CKR_TEMPLATE_INCONSISTENT: 0xd1,
  CKR_FUNCTION_NOT_SUPPORTED: 0x54,
} as const;

/** Certificate objects only: a module may well create other objects; these tests refuse certificates. */
function refusing(calls: Calls, operation: 'C_CreateObject' | 'C_DestroyObject', name: string, code: number): NonNullable<OpenModuleOptions['wrapApi']> {
  return (api, lib) => counting(calls, {
    C_CreateObject(session, template) {
      if (operation === 'C_CreateObject') throw new lib.Pkcs11Error(name, code, 'C_CreateObject');
      return api.C_CreateObject(session, template);
    },
    C_DestroyObject(session, object) {
      if (operation === 'C_DestroyObject') throw new lib.Pkcs11Error(name, code, 'C_DestroyObject');
      return api.C_DestroyObject(session, object);
    },
  })(api);
}

async function rewriteWith(wrapApi: NonNullable<OpenModuleOptions['wrapApi']>) {
  const token = copyToken(template);
  const backupDir = mkdtempSync(join(tmpdir(), 'moica-backup-'));
  process.env.SOFTHSM2_CONF = token.conf;
  const card = await openPkcs11Card({ modulePath: SOFTHSM_MODULE, cardNumber: CARD_NUMBER, wrapApi });
  const records: RewriteRecord[] = [];
  let error: MoicaError | undefined;
  try {
    await runRewrite({
      registry: {
        getCard: async () => renewal.registryCard,
        getCertificate: async () => new Uint8Array(renewal.fresh.rawData),
        postRewrite: async (_number, record) => { records.push(record); },
      },
      writer: card.writer(),
      readCard: () => card.read(),
      backupStore: fileBackupStore(backupDir),
      askPin: async () => new Uint8Array(Buffer.from(USER_PIN)),
    }, { now: () => new Date('2025-01-01T00:00:00Z') });
  } catch (e) {
    error = e as MoicaError;
  } finally {
    await card.close();
  }
  return { token, backupDir, records, error, cleanup: () => { token.cleanup(); rmSync(backupDir, { recursive: true, force: true }); } };
}

for (const [name, code] of Object.entries(CODES)) {
  test(`C_CreateObject refused with ${name}: pkcs11-cannot-write, the issuer's page named, the backup on disk, the token unchanged`, async () => {
    const calls: Calls = new Map();
    const run = await rewriteWith(refusing(calls, 'C_CreateObject', name, code));
    try {
      assert.ok(isMoicaError(run.error, 'pkcs11-cannot-write'), String(run.error));
      const error = run.error!;
      assert.equal(ERROR_EXIT['pkcs11-cannot-write'], 5);
      assert.equal(error.exitCode, 5);
      assert.equal(error.detail.ckr, name);
      assert.equal(error.detail.state, 'unchanged');
      assert.match(error.message, /This PKCS#11 module cannot write certificates .*nothing on the card was changed.*檢測重寫 page/);
      assert.match(errorText('zh-TW', error), /無法寫入憑證.*IC卡檢測重寫/);
      assert.match(errorText('en', error), /cannot write certificates: nothing on the card is lost.*檢測重寫 page/);
      assert.equal(typeof error.detail.backup, 'string');
      assert.ok(existsSync(String(error.detail.backup)), 'the backup was on disk before the write was tried');
      assert.equal(calls.get('C_DestroyObject') ?? 0, 0, 'nothing destroyed');
      const signs = listCertificates(run.token.conf, CARD_NUMBER).filter((c) => c.id === ID_HEX.SIGN);
      assert.deepEqual(signs.map((c) => c.serial), ['3B7161C40F46488916A'], 'the old certificate is there, alone');
      assert.deepEqual(run.records.map((r) => r.result), ['failed'], 'the attempt is on record');
    } finally {
      run.cleanup();
    }
  });
}

for (const name of ['CKR_ACTION_PROHIBITED', 'CKR_FUNCTION_NOT_SUPPORTED'] as const) {
  test(`C_DestroyObject refused with ${name} after the create: pkcs11-cannot-write, both certificates kept, nothing lost`, async () => {
    const calls: Calls = new Map();
    const run = await rewriteWith(refusing(calls, 'C_DestroyObject', name, CODES[name]));
    try {
      assert.ok(isMoicaError(run.error, 'pkcs11-cannot-write'), String(run.error));
      assert.equal(run.error!.detail.operation, 'C_DestroyObject');
      assert.equal(run.error!.detail.state, 'both');
      assert.match(run.error!.message, /holds the new certificate and the old one: nothing is lost/);
      assert.ok(existsSync(String(run.error!.detail.backup)));
      const signs = listCertificates(run.token.conf, CARD_NUMBER).filter((c) => c.id === ID_HEX.SIGN);
      assert.deepEqual(signs.map((c) => c.serial).sort(), ['3B7161C40F46488916A', '4C0FFEE0123456789A']);
    } finally {
      run.cleanup();
    }
  });
}
