/**
 * `doctor` over the private pcscd rig with the virtual card, the reference registry and its OCSP
 * endpoint, and SoftHSM2 as the PKCS#11 module — first with everything working, then with each fault in
 * turn: no card, a card that is not MOICA, registry down, OCSP down, PKCS#11 module missing, and last no
 * pcscd at all (in-process and through the CLI, which must also exit).
 */
import { after, before, test } from 'node:test';
import assert from 'node:assert/strict';
import { spawn } from 'node:child_process';
import { createServer } from 'node:net';
import { mkdirSync, mkdtempSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { parseOptions } from '../../source/options.js';
import { runDoctor } from '../../source/doctor/run.js';
import { doctorJson } from '../../source/doctor/report.js';
import type { CheckId, DoctorReport } from '../../source/doctor/types.js';
import { buildNamedScenario } from '../../source/virtual/demos.js';
import type { BuiltScenario } from '../../source/virtual/scenario.js';
import { VpcdCardClient } from '../../source/virtual/vpcd-client.js';
import { PcscTransport } from '../../source/card/pcsc.js';
import { start, type RunningServer } from '../../source/registry/server/server.js';
import type { OcspStatusEntry } from '../../source/registry/server/ocsp-responder.js';
import { RIG_READER, startPcscd, waitFor, type PcscdRig } from '../rig/pcscd.js';
import { makeTokenDir, SOFTHSM_MODULE, type TokenDir } from '../card/pkcs11/softhsm.js';
import { FOREIGN_ATR_HEX, insertForeignCard } from './foreign-card.js';

let rig: PcscdRig;
let scenario: BuiltScenario;
let server: RunningServer;
let card: VpcdCardClient;
let tokens: TokenDir;
/** A loopback port with nothing listening: "down". */
let deadPort: number;
let sysfs: string;

before(async () => {
  // The machine's own USB bus and HiPKI Local Server stay out of it: an empty USB tree, a dead port.
  sysfs = mkdtempSync(join(tmpdir(), 'moica-sysfs-'));
  mkdirSync(join(sysfs, 'bus', 'usb', 'devices'), { recursive: true });
  process.env.MOICA_SYSFS_ROOT = sysfs;
  rig = await startPcscd();
  // Read by libpcsclite once per process: set before the first context.
  process.env.PCSCLITE_CSOCK_NAME = rig.socketPath;
  tokens = makeTokenDir();
  process.env.SOFTHSM2_CONF = tokens.conf;
  scenario = await buildNamedScenario('valid');
  const statuses: Record<string, OcspStatusEntry> = {};
  for (const e of Object.values(scenario.ocsp.entries)) statuses[e.serialNumber] = { status: 'good' };
  server = await start({ data: scenario.registryData, ocsp: { caCertDer: scenario.ocsp.issuer.der, caPrivateKey: scenario.ocsp.responderKeyPkcs8, statuses } });
  card = new VpcdCardClient(scenario.card, { port: rig.port });
  watcher = await PcscTransport.create({ timeoutMs: 5000 });
  await watcher.ready();
  const probe = createServer();
  deadPort = await new Promise<number>((resolve) => probe.listen(0, '127.0.0.1', () => resolve((probe.address() as { port: number }).port)));
  await new Promise<void>((resolve) => probe.close(() => resolve()));
  process.env.MOICA_HIPKI_URL = `http://127.0.0.1:${deadPort}`;
});

after(async () => {
  await card?.remove();
  await watcher?.close();
  await server?.close();
  await rig?.stop();
  tokens?.cleanup();
  rmSync(sysfs, { recursive: true, force: true });
});

/** One PC/SC client of the test's own watches the reader (short-lived contexts opened and closed at speed leave the binding stuck). */
let watcher: PcscTransport | undefined;
const readerHasCard = (present: boolean) =>
  waitFor(`card ${present ? 'in' : 'out'}`, () => watcher!.readers().some((r) => r.name === RIG_READER && r.cardPresent === present), 15_000);

async function doctor(...flags: string[]): Promise<{ report: DoctorReport; by: (c: CheckId) => DoctorReport['lines'][number] }> {
  const options = parseOptions(['doctor', '--json', '--lang', 'en', '--timeout', '4000', ...flags], { LANG: 'C' });
  const report = await runDoctor(options);
  // Every line renders, in both languages.
  assert.equal((doctorJson(report, 'zh-TW').checks as unknown[]).length, report.lines.length);
  return { report, by: (c) => report.lines.find((l) => l.check === c)! };
}

const good = () => ['--registry', server.url, '--ocsp', server.ocspUrl!, '--pkcs11-module', SOFTHSM_MODULE];

test('everything works: every line ✔, exit 0, with the version, the reader\'s driver, the card, the round trips', async () => {
  await card.insert();
  await readerHasCard(true);
  const { report, by } = await doctor(...good());
  assert.deepEqual(report.lines.map((l) => [l.check, l.status]),
    // issue 11 item 7 adds the issuing CA (the virtual PKI is not one of the issuer's: information) and the
    // CRL (none known for a test CA: not checked).
    [['pcsc', 'ok'], ['readers', 'ok'], ['usb', 'skip'], ['card', 'ok'], ['issuer', 'info'], ['registry', 'ok'], ['ocsp', 'ok'], ['crl', 'skip'], ['clock', 'ok'], ['pkcs11', 'ok'], ['hipki', 'skip']]);
  assert.equal(report.exitCode, 0);
  assert.match(String(by('pcsc').details.version), /^\d+\.\d+\.\d+$/);
  const readers = by('readers').details.readers as Array<{ name: string; driver: string }>;
  assert.deepEqual(readers.find((r) => r.name === RIG_READER)?.driver, 'vsmartcard-vpcd');
  assert.equal(by('card').details.kind, 'virtual');
  assert.equal(by('card').details.number, scenario.spec.cardNumber);
  assert.equal(typeof by('registry').details.ms, 'number');
  assert.equal(by('registry').details.cardNumber, scenario.spec.cardNumber, 'the card\'s own number was asked');
  assert.equal(by('ocsp').details.verified, true);
  assert.equal(by('clock').details.source, 'producedAt');
  console.log(`doctor all good: registry ${by('registry').details.ms} ms, OCSP ${by('ocsp').details.ms} ms, clock skew ${by('clock').details.skewMs} ms`);
});

test('registry down: ✖ registry, exit 4; the card and OCSP still checked', async () => {
  const { report, by } = await doctor('--registry', `http://127.0.0.1:${deadPort}`, '--ocsp', server.ocspUrl!);
  assert.equal(by('registry').status, 'fail');
  assert.equal(by('registry').code, 'registry-unreachable');
  assert.ok(by('registry').next);
  assert.equal(by('card').status, 'ok');
  assert.equal(by('ocsp').status, 'ok');
  assert.equal(report.exitCode, 4);
});

test('OCSP down: ✖ OCSP with what to do, but exit 0 (OCSP never withholds a verdict); the clock not checked', async () => {
  const { report, by } = await doctor('--registry', server.url, '--ocsp', `http://127.0.0.1:${deadPort}/ocsp`);
  assert.equal(by('ocsp').status, 'fail');
  assert.ok(by('ocsp').next);
  assert.equal(by('clock').status, 'skip');
  assert.equal(report.exitCode, 0);
});

test('PKCS#11 module missing: ✖ PKCS#11, exit 5', async () => {
  const { report, by } = await doctor('--registry', server.url, '--no-ocsp', '--pkcs11-module', '/nonexistent/libHicos_p11.so');
  assert.equal(by('pkcs11').status, 'fail');
  assert.equal(by('pkcs11').code, 'pkcs11-unavailable');
  assert.equal(by('ocsp').status, 'skip');
  assert.equal(report.exitCode, 5);
});

test('no card: ✖ card (no-card), exit 3; the registry is still probed with a test number', async () => {
  await card.remove();
  await readerHasCard(false);
  const { report, by } = await doctor('--registry', server.url, '--ocsp', server.ocspUrl!);
  assert.equal(by('card').status, 'fail');
  assert.equal(by('card').code, 'no-card');
  assert.equal(by('registry').status, 'ok');
  assert.equal(by('registry').summary.key, 'registry.ok-probe');
  assert.equal(by('ocsp').status, 'ok', 'the responder answered an unverifiable probe');
  assert.equal(report.exitCode, 3);
});

test('a card that is not MOICA: ✖ card (not-moica) with its ATR, exit 5', async () => {
  const foreign = await insertForeignCard(rig.port);
  try {
    await readerHasCard(true);
    const { report, by } = await doctor('--registry', server.url, '--no-ocsp');
    assert.equal(by('card').status, 'fail');
    assert.equal(by('card').code, 'not-moica');
    assert.equal(by('card').details.atr, FOREIGN_ATR_HEX);
    assert.equal(by('card').details.kind, 'not-moica');
    assert.equal(report.exitCode, 5);
  } finally {
    await foreign.remove();
    await readerHasCard(false);
  }
});

test('no pcscd: ✖ PC/SC, readers and card not checked, exit 3 — in-process and from the CLI, which exits', async () => {
  await watcher?.close();
  watcher = undefined;
  await rig.stop();
  const { report, by } = await doctor('--registry', server.url, '--no-ocsp');
  assert.equal(by('pcsc').status, 'fail');
  assert.equal(by('pcsc').code, 'pcsc-unavailable');
  assert.deepEqual([by('readers').status, by('card').status], ['skip', 'skip']);
  assert.equal(report.exitCode, 3);

  const child = spawn(process.execPath, ['--import', 'tsx', 'source/cli.tsx', 'doctor', '--json', '--registry', server.url, '--no-ocsp'], {
    env: { ...process.env, PCSCLITE_CSOCK_NAME: rig.socketPath, LANG: 'zh_TW.UTF-8' },
    stdio: ['ignore', 'pipe', 'pipe'],
  });
  let stdout = '';
  let stderr = '';
  child.stdout.on('data', (c) => (stdout += c));
  child.stderr.on('data', (c) => (stderr += c));
  const code = await new Promise<number | null>((resolve) => child.once('close', resolve));
  assert.equal(code, 3, stderr);
  assert.equal(stderr, '');
  const doc = JSON.parse(stdout) as { exitCode: number; checks: Array<{ check: string; status: string; message: string; next: string | null }> };
  assert.equal(doc.exitCode, 3);
  const pcsc = doc.checks.find((c) => c.check === 'pcsc')!;
  assert.equal(pcsc.status, 'fail');
  assert.match(pcsc.message, /pcscd/);
  assert.match(pcsc.next ?? '', /systemctl start pcscd/);
  assert.match(pcsc.message, /[\u4e00-\u9fff]/, 'LANG zh_TW gives the zh-TW text');
});
