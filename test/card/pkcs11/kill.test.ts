/**
 * A rewrite killed at each point of the replacement leaves the token with the old or the new certificate,
 * never none; a later session resolves what the kill left, and the backup on disk holds the old one.
 */
import assert from 'node:assert/strict';
import { spawn } from 'node:child_process';
import { mkdtempSync, readFileSync, rmSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { fileURLToPath } from 'node:url';
import { after, before, test } from 'node:test';
import type { X509Certificate } from '@peculiar/x509';
import { openPkcs11Card } from '../../../source/card/pkcs11/index.js';
import { CARD_NUMBER, copyToken, ID_HEX, issue, listCertificates, makeTemplateToken, SOFTHSM_MODULE, USER_PIN,
  type TemplateToken, type TokenDir } from './softhsm.js';

const CHILD = fileURLToPath(new URL('fixtures/write-child.ts', import.meta.url));
const OLD = '3B7161C40F46488916A';
const NEW = '4C0FFEE0123456789A';

let template: TemplateToken;
let fresh: X509Certificate;
before(async () => {
  template = await makeTemplateToken();
  fresh = await issue(template.ca, template.spki.SIGN, {
    serialNumber: NEW, notBefore: new Date('2024-06-01T00:00:00Z'), notAfter: new Date('2032-06-01T00:00:00Z'), usage: 'S' });
});
after(() => template.cleanup());

interface Run { token: TokenDir; work: string; output: string; cleanup(): void }

/** Runs the child until it prints `step:<haltAt>` (then SIGKILLs it) or until it exits on its own. */
async function runChild(haltAt?: string): Promise<Run> {
  const token = copyToken(template);
  const work = mkdtempSync(join(tmpdir(), 'moica-kill-'));
  writeFileSync(join(work, 'new.der'), new Uint8Array(fresh.rawData));
  const child = spawn(process.execPath, ['--import', 'tsx', CHILD, CARD_NUMBER, '0', join(work, 'new.der'), work, ...(haltAt ? [haltAt] : [])],
    { env: { ...process.env, SOFTHSM2_CONF: token.conf }, stdio: ['pipe', 'pipe', 'pipe'] });
  child.stdin.end(`${USER_PIN}\n`);
  let output = '';
  let errors = '';
  child.stderr.on('data', (d: Buffer) => { errors += d.toString(); });
  const exited = new Promise<number | null>((resolve) => child.on('exit', (code) => resolve(code)));
  const reached = new Promise<void>((resolve) => child.stdout.on('data', (d: Buffer) => {
    output += d.toString();
    if (haltAt && output.includes(`step:${haltAt}\n`)) resolve();
  }));
  // A guard, not a timing assertion: a child that never gets there must not hang the suite.
  const guard = setTimeout(() => child.kill('SIGKILL'), 60_000);
  try {
    if (haltAt) {
      const first = await Promise.race([reached.then(() => 'reached' as const), exited.then(() => 'exited' as const)]);
      assert.equal(first, 'reached', `the child exited before ${haltAt}: ${output}${errors}`);
      child.kill('SIGKILL');
      await exited;
    } else {
      assert.equal(await exited, 0, errors);
    }
  } finally {
    clearTimeout(guard);
  }
  return { token, work, output, cleanup: () => { token.cleanup(); rmSync(work, { recursive: true, force: true }); } };
}

const signSerials = (token: TokenDir) =>
  listCertificates(token.conf, CARD_NUMBER).filter((c) => c.id === ID_HEX.SIGN).map((c) => c.serial).sort();

async function laterSession(token: TokenDir): Promise<{ readSerial: string; afterLogin: string[] }> {
  process.env.SOFTHSM2_CONF = token.conf;
  const card = await openPkcs11Card({ modulePath: SOFTHSM_MODULE, cardNumber: CARD_NUMBER });
  try {
    const readSerial = (await card.read()).certificates[0]!.serialNumber;
    await card.writer().verifyPin(new Uint8Array(Buffer.from(USER_PIN)));
    return { readSerial, afterLogin: signSerials(token) };
  } finally {
    await card.close();
  }
}

for (const [haltAt, onToken, resolved] of [
  ['before-create', [OLD], OLD],
  ['created', [OLD, NEW].sort(), NEW],
  ['destroyed-old', [NEW], NEW],
] as const) {
  test(`killed at ${haltAt}: the token holds ${onToken.join(' and ')}; a later session settles on ${resolved}`, async () => {
    const run = await runChild(haltAt);
    try {
      assert.match(run.output, /backup-written/);
      assert.deepEqual(Buffer.from(readFileSync(join(run.work, 'slot-0.der'))), Buffer.from(template.oldCerts.SIGN.rawData));
      assert.deepEqual(signSerials(run.token), [...onToken]);
      assert.deepEqual(await laterSession(run.token), { readSerial: resolved, afterLogin: [resolved] });
      // KEYX was never touched.
      assert.deepEqual(listCertificates(run.token.conf, CARD_NUMBER).filter((c) => c.id === ID_HEX.KEYX).map((c) => c.serial), ['A0B1C2D3E4F5061728']);
    } finally {
      run.cleanup();
    }
  });
}

test('an uninterrupted child run replaces the certificate; the backup on disk puts the old one back', async () => {
  const run = await runChild();
  try {
    assert.match(run.output, /step:before-create\nstep:created\nstep:destroyed-old\nstep:read-back\ndone/);
    assert.deepEqual(signSerials(run.token), [NEW]);
    process.env.SOFTHSM2_CONF = run.token.conf;
    const card = await openPkcs11Card({ modulePath: SOFTHSM_MODULE, cardNumber: CARD_NUMBER });
    try {
      const writer = card.writer();
      await writer.verifyPin(new Uint8Array(Buffer.from(USER_PIN)));
      await writer.writeCertificate(0, new Uint8Array(readFileSync(join(run.work, 'slot-0.der'))));
    } finally {
      await card.close();
    }
    assert.deepEqual(signSerials(run.token), [OLD]);
  } finally {
    run.cleanup();
  }
});
