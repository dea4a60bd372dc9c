import assert from 'node:assert/strict';
import { spawnSync } from 'node:child_process';
import { mkdtempSync, rmSync, writeFileSync } from 'node:fs';
import { createRequire } from 'node:module';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { fileURLToPath } from 'node:url';
import { test } from 'node:test';
import { isMoicaError } from '../../../source/errors.js';
import { openModule } from '../../../source/card/pkcs11/module.js';
import { SOFTHSM_MODULE } from './softhsm.js';

const unavailable = (e: unknown) => isMoicaError(e, 'pkcs11-unavailable') && e.exitCode === 5
  && /moica\.nat\.gov\.tw/.test(e.message) && /--pkcs11-module/.test(e.message);

test('a module path with no file: pkcs11-unavailable, saying how to install the issuer\'s module', async () => {
  await assert.rejects(openModule('/nonexistent/libHicos_p11.so'), unavailable);
});

test('a file that is no shared library: pkcs11-unavailable', async () => {
  const dir = mkdtempSync(join(tmpdir(), 'moica-p11-'));
  try {
    writeFileSync(join(dir, 'libHicos_p11.so'), 'not a library');
    await assert.rejects(openModule(join(dir, 'libHicos_p11.so')), unavailable);
  } finally {
    rmSync(dir, { recursive: true, force: true });
  }
});

test('a shared library that is not PKCS#11 (no C_GetFunctionList): pkcs11-unavailable', async () => {
  const addon = join(createRequire(import.meta.url).resolve('pkcs11js'), '..', 'build', 'Release', 'pkcs11.node');
  await assert.rejects(openModule(addon), (e) => unavailable(e) && /not a PKCS#11 module/.test((e as Error).message));
});

test('a module whose C_Initialize fails: pkcs11-unavailable naming the failure', async () => {
  const saved = process.env.SOFTHSM2_CONF;
  process.env.SOFTHSM2_CONF = '/nonexistent/softhsm2.conf';
  try {
    await assert.rejects(openModule(SOFTHSM_MODULE), (e) => unavailable(e) && /C_Initialize: CKR_GENERAL_ERROR/.test((e as Error).message));
  } finally {
    process.env.SOFTHSM2_CONF = saved;
  }
});

test('without the pkcs11js package: pkcs11-unavailable saying what to install', () => {
  const fixture = (name: string) => fileURLToPath(new URL(`fixtures/${name}`, import.meta.url));
  const run = spawnSync(process.execPath, ['--import', 'tsx', '--import', fixture('hide-pkcs11js.mjs'),
    fixture('open-module.ts'), SOFTHSM_MODULE], { encoding: 'utf8' });
  const out = JSON.parse(run.stdout) as { ok: boolean; code?: string; message?: string };
  assert.equal(out.ok, false);
  assert.equal(out.code, 'pkcs11-unavailable');
  assert.match(out.message ?? '', /npm install pkcs11js/);
});
