/**
 * A PKCS#11 token as the card, through the built CLI (cli.md: `read|check|rewrite --pkcs11-module PATH
 * --pkcs11-token SERIAL_OR_LABEL` with no PC/SC card): read → check B-1 → rewrite (B-2) → check A, on a
 * SoftHSM2 token made at test time, against the reference registry on loopback.
 */
import assert from 'node:assert/strict';
import { mkdtempSync, readdirSync, readFileSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { after, before, test } from 'node:test';
import type { X509Certificate } from '@peculiar/x509';
import { start, type RunningServer } from '../../../source/registry/server/server.js';
import { spawnCli, type Run } from '../../e2e/harness.js';
import type { RegistryData } from '../../../source/registry/types.js';
import { CARD_NUMBER, copyToken, issue, listCertificates, makeTemplateToken, SOFTHSM_MODULE, USER_PIN,
  type TemplateToken, type TokenDir } from './softhsm.js';

let template: TemplateToken;
let token: TokenDir;
let fresh: X509Certificate;
let server: RunningServer;
let backupDir: string;
const NEW_SERIAL = '4C0FFEE0ABCDEF789A';

before(async () => {
  template = await makeTemplateToken();
  token = copyToken(template);
  backupDir = mkdtempSync(join(tmpdir(), 'moica-p11-backup-'));
  const validity = { notBefore: new Date('2024-06-01T00:00:00Z'), notAfter: new Date('2032-06-01T00:00:00Z') };
  fresh = await issue(template.ca, template.spki.SIGN, { serialNumber: NEW_SERIAL, ...validity, usage: 'S' });
  const keyx = template.oldCerts.KEYX;
  const data: RegistryData = {
    cards: {
      [CARD_NUMBER]: {
        certificates: [
          { slot: 0, usage: 'signature', serialNumber: NEW_SERIAL, status: 'valid', notBefore: validity.notBefore.toISOString(),
            notAfter: validity.notAfter.toISOString(), renewedFrom: '3B7161C40F46488916A' },
          { slot: 1, usage: 'encryption', serialNumber: 'A0B1C2D3E4F5061728', status: 'valid', notBefore: keyx.notBefore.toISOString(),
            notAfter: keyx.notAfter.toISOString(), renewedFrom: null },
        ],
      },
    },
    certificates: { [NEW_SERIAL]: Buffer.from(fresh.rawData).toString('base64') },
  };
  server = await start({ data, host: '127.0.0.1', port: 0 });
});

after(async () => {
  await server?.close();
  token?.cleanup();
  template?.cleanup();
  if (backupDir) rmSync(backupDir, { recursive: true, force: true });
});

/** The built CLI with the token as the card (no PC/SC: the socket points nowhere). */
const cli = (args: string[], stdin = ''): Promise<Run> =>
  spawnCli([...args, '--pkcs11-module', SOFTHSM_MODULE, '--pkcs11-token', CARD_NUMBER, '--registry', server.url, '--no-ocsp', '--json', '--lang', 'en'],
    { SOFTHSM2_CONF: token.conf, PCSCLITE_CSOCK_NAME: join(token.dir, 'no-pcscd.comm') }, stdin);

test('read: the token is the card (number from the token, SIGN → 憑證序號 0, KEYX → 1)', async () => {
  const run = await cli(['read']);
  assert.equal(run.code, 0, run.stderr);
  assert.equal(run.json.card.number, CARD_NUMBER);
  assert.match(run.json.reader, /^PKCS#11: /);
  assert.deepEqual(run.json.card.certificates.map((c: { slot: number; serialNumber: string }) => [c.slot, c.serialNumber]),
    [[0, '3B7161C40F46488916A'], [1, 'A0B1C2D3E4F5061728']]);
});

test('check B-1 → rewrite through the module (B-2, backup, new serial on the token) → check A', async () => {
  const before = await cli(['check']);
  assert.equal(before.code, 10, before.stderr);
  assert.equal(before.json.verdict, 'B-1');

  const rewrite = await cli(['rewrite', '--pin-stdin', '--yes', '--backup-dir', backupDir], `${USER_PIN}\n`);
  assert.equal(rewrite.code, 0, `${rewrite.stderr}${rewrite.stdout}`);
  assert.equal(rewrite.json.verdict, 'B-2');
  assert.equal(rewrite.json.rewrite.result, 'completed');
  assert.deepEqual(rewrite.json.rewrite.serialNumbers, [NEW_SERIAL]);
  const pinAlone = new RegExp(`(^|[^0-9])${USER_PIN}([^0-9]|$)`);
  assert.ok(!pinAlone.test(rewrite.stdout) && !pinAlone.test(rewrite.stderr), 'the PIN is never printed');

  const onToken = listCertificates(token.conf, CARD_NUMBER).filter((c) => c.id === '5349474e');
  assert.equal(onToken.length, 1, 'one SIGN certificate after the replace');
  assert.equal(onToken[0]!.serial.toUpperCase().replace(/^0+/, ''), NEW_SERIAL);
  const backups = readdirSync(backupDir);
  assert.equal(backups.length, 1);
  const backup = JSON.parse(readFileSync(join(backupDir, backups[0]!), 'utf8')) as { certificates: { slot: number; serialNumber: string }[] };
  assert.ok(backup.certificates.some((c) => c.slot === 0 && c.serialNumber === '3B7161C40F46488916A'), 'the old certificate is backed up');
  assert.equal(server.rewrites.length, 1);

  const afterCheck = await cli(['check']);
  assert.equal(afterCheck.code, 0, afterCheck.stderr);
  assert.equal(afterCheck.json.verdict, 'A');
});

test('a wrong PIN through the module: exit 6, nothing replaced', async () => {
  // The token now matches the registry (A): rewrite says so and asks nothing; make it stale again first.
  const wrongToken = copyToken(template);
  const saved = token;
  token = wrongToken;
  try {
    const run = await cli(['rewrite', '--pin-stdin', '--yes'], '654321\n');
    assert.equal(run.code, 6, run.stderr);
    assert.equal(run.json.error.code, 'pin-wrong');
    const onToken = listCertificates(wrongToken.conf, CARD_NUMBER).filter((c) => c.id === '5349474e');
    assert.deepEqual(onToken.map((c) => c.serial.toUpperCase().replace(/^0+/, '')), ['3B7161C40F46488916A']);
  } finally {
    token = saved;
    wrongToken.cleanup();
  }
});
