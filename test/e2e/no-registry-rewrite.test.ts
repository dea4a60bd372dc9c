/**
 * Rewrite with NO registry (issue 11 item 6), over the private pcscd rig with the virtual card and
 * OpenSSL's OCSP responder for its CA: `rewrite --certificate FILE` (PEM and DER) and `rewrite --serial HEX`
 * (from a loopback stand-in for the issuer's public download, through MOICA_CERT_DOWNLOAD_URL). The whole
 * superseded path: check B-1 (10) → rewrite --certificate B-2 (0) → check A not compared (0). Every bad
 * input is a typed error with its exit code and nothing written (no UPDATE BINARY, no PIN sent).
 */
import { after, before, test } from 'node:test';
import assert from 'node:assert/strict';
import { createServer, type Server } from 'node:http';
import { rmSync, writeFileSync } from 'node:fs';
import { join } from 'node:path';
import { buildScenario, type BuiltScenario } from '../../source/virtual/scenario.js';
import { scenarioSpec } from '../../source/virtual/demos.js';
import { pooledKeyPair } from '../../source/virtual/key-pool.js';
import { createTestPki } from '../../source/virtual/pki.js';
import { apduLog, count, filesIn, runCommand, scenarioResponder, spawnCli, staleScenario, tempDir, useRig } from './harness.js';

const live = useRig({ build: true });
const dirs: string[] = [];
const dir = (prefix: string) => {
  const d = tempDir(prefix);
  dirs.push(d);
  return d;
};

after(async () => {
  for (const d of dirs) rmSync(d, { recursive: true, force: true });
});

const env = () => ({ PCSCLITE_CSOCK_NAME: live.rig.socketPath, MOICA_REGISTRY_URL: '' });

/** The renewal scenario whose old certificates the CA revoked as superseded when it issued the new ones. */
async function supersededScenario(): Promise<BuiltScenario> {
  const spec = scenarioSpec('rewrite');
  const superseded = { ocsp: { status: 'revoked' as const, reason: 'superseded' as const, revokedAt: -2 } };
  return buildScenario({ ...spec, onCard: [{ ...spec.onCard[0], ...superseded }, { ...spec.onCard[1], ...superseded }] });
}

/** A stand-in for the issuer's DownLoadCert.CEXE on loopback: ?CertNo=<serial> → the DER, else 404. */
async function downloadServer(certificates: Record<string, Uint8Array>): Promise<{ url: string; asked: string[]; close(): Promise<void> }> {
  const asked: string[] = [];
  const server: Server = createServer((req, res) => {
    const serial = new URL(req.url ?? '/', 'http://x').searchParams.get('CertNo') ?? '';
    asked.push(serial);
    const der = certificates[serial];
    if (der === undefined) {
      res.writeHead(404, { 'content-type': 'text/html' }).end('<html>not found</html>');
      return;
    }
    res.writeHead(200, { 'content-type': 'application/x-x509-ca-cert' }).end(Buffer.from(der));
  });
  await new Promise<void>((resolve) => server.listen(0, '127.0.0.1', () => resolve()));
  const { port } = server.address() as { port: number };
  return { url: `http://127.0.0.1:${port}/PEXE_MOICA/DownLoadCert.CEXE`, asked, close: () => new Promise((resolve) => server.close(() => resolve())) };
}

test('superseded, no registry: check B-1 (10) → rewrite --certificate PEM + DER → B-2 (0) → check A not compared (0)', async () => {
  const scenario = await supersededScenario();
  const responder = await scenarioResponder(scenario);
  const files = dir('moica-supplied-');
  const pem = join(files, 'sign.pem');
  const der = join(files, 'keyx.cer');
  writeFileSync(pem, scenario.issued[0].pem);
  writeFileSync(der, scenario.issued[1].der);
  const backupDir = dir('moica-supplied-backup-');
  const log = apduLog(scenario.card);
  const client = await live.reader.insert(scenario.card);
  try {
    const checked = await spawnCli(['check', '--json', ...responder.flags], env());
    assert.equal(checked.code, 10, checked.stdout + checked.stderr);
    assert.equal(checked.json.verdictBasis, 'superseded');

    const plain = await spawnCli(['rewrite', '--pin-stdin', '--yes', '--json', ...responder.flags], env(), `${scenario.pin}\n`);
    assert.equal(plain.code, 2, 'no registry and no certificates: a usage error');
    assert.match(plain.json.error.message, /--certificate FILE/);
    assert.equal(count(log, 'D6'), 0);

    const rewrite = await spawnCli(['rewrite', '--pin-stdin', '--yes', '--json', '--backup-dir', backupDir,
      '--certificate', der, '--certificate', pem, ...responder.flags], env(), `${scenario.pin}\n`);
    assert.equal(rewrite.code, 0, rewrite.stdout + rewrite.stderr);
    assert.equal(rewrite.json.verdict, 'B-2');
    assert.equal(rewrite.json.rewrite.result, 'completed');
    assert.equal(rewrite.json.rewrite.recorded, false, 'no registry to record it in');
    assert.deepEqual(rewrite.json.rewrite.serialNumbers, [scenario.issued[0].serialNumber, scenario.issued[1].serialNumber]);
    assert.deepEqual(rewrite.json.certificates.map((c: { slot: number }) => c.slot), [0, 1], 'slots from the key usage, whatever the order given');
    assert.equal(filesIn(backupDir).length, 1, 'the backup was written');
    assert.ok(count(log, 'D6') > 0, 'certificates were written');

    const after = await spawnCli(['check', '--json', ...responder.flags], env());
    assert.equal(after.code, 0, after.stdout + after.stderr);
    assert.equal(after.json.verdict, 'A');
    assert.equal(after.json.match, null);
    assert.equal(after.json.verdictBasis, 'not-compared');
    assert.deepEqual(after.json.card.certificates.map((c: { serialNumber: string }) => c.serialNumber),
      [scenario.issued[0].serialNumber, scenario.issued[1].serialNumber]);
  } finally {
    await live.reader.remove(client);
    await responder.close();
  }
});

test('an expired card whose holder renewed online: check C (20) with the renewed-online guidance → rewrite --serial ×2 from the issuer\'s download → B-2', async () => {
  const spec = scenarioSpec('rewrite');
  // The old certificates ran out 10 days ago; the renewal was issued online 5 days ago and never written.
  const scenario = await buildScenario({
    ...spec,
    onCard: [{ ...spec.onCard[0], notBefore: -1800, notAfter: -10 }, { ...spec.onCard[1], notBefore: -1800, notAfter: -10 }],
    issued: [{ ...spec.issued![0], notBefore: -5, notAfter: 1090 }, { ...spec.issued![1], notBefore: -5, notAfter: 1090 }],
  });
  const responder = await scenarioResponder(scenario);
  const download = await downloadServer(Object.fromEntries(scenario.issued.map((c) => [c.serialNumber, c.der])));
  const client = await live.reader.insert(scenario.card);
  try {
    const checked = await spawnCli(['check', '--json', ...responder.flags], env());
    assert.equal(checked.code, 20, checked.stdout + checked.stderr);
    assert.equal(checked.json.status, 'expired');
    const renewed = checked.json.guidance.find((g: { kind: string }) => g.kind === 'renewed-online');
    assert.ok(renewed, 'the stale-card case is named');
    assert.match(renewed.text, /rewrite --serial/);

    const rewrite = await spawnCli(['rewrite', '--pin-stdin', '--yes', '--json', '--backup-dir', dir('moica-dl-backup-'),
      '--serial', scenario.issued[0].serialNumber.toLowerCase(), '--serial', scenario.issued[1].serialNumber, ...responder.flags],
    { ...env(), MOICA_CERT_DOWNLOAD_URL: download.url }, `${scenario.pin}\n`);
    assert.equal(rewrite.code, 0, rewrite.stdout + rewrite.stderr);
    assert.equal(rewrite.json.verdict, 'B-2');
    assert.deepEqual(download.asked, scenario.issued.map((c) => c.serialNumber), 'CertNo in upper-case hex, as the issuer prints serials');
    const after = await spawnCli(['check', '--json', ...responder.flags], env());
    assert.equal(after.code, 0, after.stdout + after.stderr);
    assert.equal(after.json.verdict, 'A');
  } finally {
    await live.reader.remove(client);
    await responder.close();
    await download.close();
  }
});

test('bad input, no registry: each a typed error with its exit code, and nothing written (no UPDATE BINARY, no PIN sent)', async () => {
  const scenario = await staleScenario();
  // The card's own CA, another key: a certificate issued to someone else.
  const otherKeyCert = await scenario.pki.issueHolder({
    serialNumber: '7A11C0DE5EED', holderName: '李大同', usage: 'signature',
    notBefore: new Date(scenario.now.getTime() - 86_400_000), notAfter: new Date(scenario.now.getTime() + 1000 * 86_400_000), key: await pooledKeyPair(6),
  });
  // Another card's certificate: another CA (same MOICA name, another key) and another holder key.
  const strangerPki = await createTestPki({ now: scenario.now, rootKeyIndex: 8, issuingKeyIndex: 7 });
  const strangerCert = await strangerPki.issueHolder({
    serialNumber: 'BC3587C88F47E73FAC23', holderName: '陳美玲', subjectSerialNumber: '003110118038622', usage: 'signature',
    notBefore: new Date(scenario.now.getTime() - 86_400_000), notAfter: new Date(scenario.now.getTime() + 1000 * 86_400_000), key: await pooledKeyPair(9),
  });
  const responder = await scenarioResponder(scenario);
  const files = dir('moica-bad-');
  const write = (name: string, bytes: string | Uint8Array) => {
    const path = join(files, name);
    writeFileSync(path, bytes);
    return path;
  };
  const good0 = write('good0.pem', scenario.issued[0].pem);
  const good1 = write('good1.der', scenario.issued[1].der);
  const notCert = write('notes.txt', 'this is not a certificate\n');
  const html = write('page.html', '<html><body>憑證下載</body></html>');
  const otherKey = write('other-key.pem', otherKeyCert.pem);
  const otherCard = write('other-card.pem', strangerCert.pem);
  const sameSlot = write('sign-again.der', scenario.onCard[0].der);
  const download = await downloadServer({});
  const log = apduLog(scenario.card);
  const client = await live.reader.insert(scenario.card);
  const rewrite = (...args: string[]) => runCommand(['rewrite', '--pin-stdin', '--yes', '--json', '--backup-dir', dir('moica-bad-backup-'), ...responder.flags, ...args], `${scenario.pin}\n`);
  try {
    const cases: Array<{ args: string[]; code: number; error: string; reason?: string }> = [
      { args: ['--certificate', notCert], code: 2, error: 'certificate-file-invalid' },
      { args: ['--certificate', html], code: 2, error: 'certificate-file-invalid' },
      { args: ['--certificate', join(files, 'missing.pem')], code: 2, error: 'certificate-file-unreadable' },
      { args: ['--certificate', files], code: 2, error: 'certificate-file-unreadable' },
      { args: ['--certificate', good0, '--certificate', sameSlot], code: 2, error: 'certificate-file-invalid' },
      { args: ['--certificate', otherKey], code: 5, error: 'rewrite-refused', reason: 'key' },
      { args: ['--certificate', otherCard, '--certificate', good1], code: 5, error: 'rewrite-refused', reason: 'issuer-signature' },
    ];
    for (const c of cases) {
      const run = await rewrite(...c.args);
      assert.equal(run.code, c.code, `${c.args.join(' ')}: ${run.stdout}${run.stderr}`);
      assert.equal(run.json.error.code, c.error, c.args.join(' '));
      if (c.reason) assert.equal(run.json.error.reason, c.reason);
    }
    process.env.MOICA_CERT_DOWNLOAD_URL = download.url;
    try {
      const missing = await rewrite('--serial', 'ABCDEF0123');
      assert.equal(missing.code, 4, missing.stdout);
      assert.equal(missing.json.error.code, 'certificate-download-failed');
    } finally {
      delete process.env.MOICA_CERT_DOWNLOAD_URL;
    }
    const three = await spawnCli(['rewrite', '--pin-stdin', '--yes', '--certificate', good0, '--certificate', good1, '--serial', 'ABC'], env());
    assert.equal(three.code, 2, three.stderr);
    assert.match(three.stderr, /At most two/);
    const pinLike = await spawnCli(['rewrite', '--pin-stdin', '--yes', '--serial', '12345G'], env());
    assert.equal(pinLike.code, 2, pinLike.stderr);
    assert.doesNotMatch(pinLike.stdout + pinLike.stderr, /12345G/, 'the value is not echoed');

    assert.equal(count(log, 'D6'), 0, 'no UPDATE BINARY');
    const pinVerifies = log.filter((apdu) => apdu.slice(2, 4) === '20' && apdu.length > 10);
    assert.equal(pinVerifies.length, 0, 'no PIN was sent');
  } finally {
    await live.reader.remove(client);
    await responder.close();
    await download.close();
  }
});

test('the TUI over the real engine, no registry, superseded: r asks for the certificate files (a bad one refused on screen), then the PIN → B-2 → A not compared', async () => {
  const { createEngine } = await import('../../source/engine/index.js');
  const { parseOptions } = await import('../../source/options.js');
  const { renderApp, KEYS } = await import('../ui/render.js');
  const { assertContains } = await import('../ui/frames.js');
  const { t } = await import('../../source/i18n/t.js');
  const scenario = await supersededScenario();
  const responder = await scenarioResponder(scenario);
  const files = dir('moica-tui-supplied-');
  const pem = join(files, 'sign.pem');
  const der = join(files, 'keyx.cer');
  const junk = join(files, 'junk.txt');
  writeFileSync(pem, scenario.issued[0].pem);
  writeFileSync(der, scenario.issued[1].der);
  writeFileSync(junk, 'not a certificate');
  const log = apduLog(scenario.card);
  const client = await live.reader.insert(scenario.card);
  const engine = await createEngine(parseOptions([...responder.flags, '--backup-dir', dir('moica-tui-backup-')], {}));
  const app = await renderApp({ engine, lang: 'en' }, { columns: 60, rows: 80 });
  try {
    await app.waitFor((f) => f.includes('verdict B-1'), 'verdict B-1', 20_000);
    assertContains(app.lastFrame(), t('en', 'verdict.B-1.superseded'), 'the superseded sentence');
    await app.press('r');
    await app.waitFor((f) => f.includes('Certificate file:'), 'the certificate file prompt');
    assertContains(app.lastFrame(), 'No registry: the new certificates of the renewal are needed first.');
    await app.press(junk);
    await app.press(KEYS.enter);
    await app.waitFor((f) => f.includes('not a certificate'), 'the bad file refused on screen', 10_000);
    for (let i = 0; i < junk.length; i++) await app.press(KEYS.backspace);
    await app.press(pem);
    await app.press(KEYS.enter);
    await app.waitFor((f) => f.includes(`Serial 0: ${scenario.issued[0].serialNumber}`), 'slot 0 given', 10_000);
    await app.press(der);
    await app.press(KEYS.enter);
    await app.waitFor((f) => f.includes('Enter the card PIN'), 'the PIN prompt', 10_000);
    assert.equal(count(log, 'D6'), 0, 'nothing written before the PIN');
    await app.press(scenario.pin);
    await app.press(KEYS.enter);
    await app.waitFor((f) => f.includes('The certificate rewrite is complete'), 'B-2', 30_000);
    const after = await app.waitFor((f) => f.includes('verdict A'), 'the re-check', 30_000);
    assertContains(after, t('en', 'verdict.A.not-compared'), 'A not compared after the rewrite');
    assert.ok(count(log, 'D6') > 0);
  } finally {
    app.unmount();
    await engine.close();
    await live.reader.remove(client);
    await responder.close();
  }
});
