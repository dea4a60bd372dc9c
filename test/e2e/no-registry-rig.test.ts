/**
 * No registry, over the real pieces (issue 11 item 1): the built CLI spawned against the private pcscd
 * rig with the virtual card in its reader, and OpenSSL's own OCSP responder for the card's CA. Exit codes
 * and the JSON of cli.md "Without a registry"; nothing answering is exit 4 `status-unavailable` with the
 * card kept in the JSON; and the TUI over the real engine shows the verdict (not a usage error).
 */
import { test } from 'node:test';
import assert from 'node:assert/strict';
import { buildScenario, type ScenarioSpec } from '../../source/virtual/scenario.js';
import { createEngine } from '../../source/engine/index.js';
import { parseOptions } from '../../source/options.js';
import { t } from '../../source/i18n/t.js';
import { assertContains } from '../ui/frames.js';
import { closedPort } from '../registry/http-fixture.js';
import { renderApp } from '../ui/render.js';
import { scenarioResponder, spawnCli, useRig } from './harness.js';

const live = useRig({ build: true });

const FIVE_YEARS = 1826;
const pair = (sign: string, keyx: string, notBefore: number, notAfter: number, extra: object = {}): ScenarioSpec['onCard'] => [
  { serialNumber: sign, notBefore, notAfter, ...extra },
  { serialNumber: keyx, notBefore, notAfter, ...extra },
];
const env = () => ({ PCSCLITE_CSOCK_NAME: live.rig.socketPath, MOICA_REGISTRY_URL: '' });

test('spawned CLI, no registry: valid → exit 0, "registry": null, "match": null, statusSource ocsp, verdict A', async () => {
  const scenario = await buildScenario({ name: 'valid', cardNumber: 'TP03130708163649', onCard: pair('3B7161C40F46488916A', '69D8DCA6BECC064523', -400, FIVE_YEARS - 400) });
  const responder = await scenarioResponder(scenario);
  const client = await live.reader.insert(scenario.card);
  try {
    const run = await spawnCli(['check', '--json', ...responder.flags], env());
    assert.equal(run.code, 0, run.stdout + run.stderr);
    assert.equal(run.json.registry, null);
    assert.equal(run.json.match, null);
    assert.equal(run.json.statusSource, 'ocsp');
    assert.equal(run.json.verdictBasis, 'not-compared');
    assert.equal(run.json.verdict, 'A');
    assert.equal(run.json.status, 'valid');
    assert.equal(run.json.ocsp.checked, true);
    assert.equal(run.json.error, undefined);
    const text = await spawnCli(['check', '--lang', 'en', ...responder.flags], env());
    assert.equal(text.code, 0, text.stderr);
    assert.match(text.stdout, /not compared with the certificate registry/);
    assert.match(text.stdout, /No registry configured: the statuses come from OCSP/);
  } finally {
    await live.reader.remove(client);
    await responder.close();
  }
});

test('spawned CLI, no registry: revoked → 20, suspended → 20, superseded → 10 (verdictBasis superseded)', async () => {
  const cases = [
    { extra: { status: 'revoked' }, code: 20, verdict: 'C', status: 'revoked' },
    { extra: { status: 'suspended' }, code: 20, verdict: 'C', status: 'suspended' },
    { extra: { ocsp: { status: 'revoked', reason: 'superseded' } }, code: 10, verdict: 'B-1', status: 'valid' },
  ];
  for (const c of cases) {
    const scenario = await buildScenario({ name: c.status, cardNumber: 'TP03110118038622', onCard: pair('BC3587C88F47E73FAC23', '73FF4C633D5FADE167A6', -700, FIVE_YEARS - 700, c.extra) });
    const responder = await scenarioResponder(scenario);
    const client = await live.reader.insert(scenario.card);
    try {
      const run = await spawnCli(['check', '--json', ...responder.flags], env());
      assert.equal(run.code, c.code, run.stdout + run.stderr);
      assert.equal(run.json.verdict, c.verdict);
      assert.equal(run.json.status, c.status);
      assert.equal(run.json.registry, null);
      if (c.verdict === 'B-1') {
        assert.equal(run.json.verdictBasis, 'superseded');
        assert.deepEqual(run.json.ocsp.certificates.map((a: { reason: string }) => a.reason), ['superseded', 'superseded']);
      }
    } finally {
      await live.reader.remove(client);
      await responder.close();
    }
  }
});

test('spawned CLI, no registry, nothing answers: exit 4 status-unavailable, what was read from the card kept', async () => {
  const scenario = await buildScenario({ name: 'valid', cardNumber: 'TP03130708163649', onCard: pair('3B7161C40F46488916A', '69D8DCA6BECC064523', -400, FIVE_YEARS - 400) });
  const port = await closedPort();
  const client = await live.reader.insert(scenario.card);
  try {
    const run = await spawnCli(['check', '--json', '--ocsp', `http://127.0.0.1:${port}/`], env());
    assert.equal(run.code, 4, run.stdout + run.stderr);
    assert.equal(run.json.error.code, 'status-unavailable');
    assert.equal(run.json.card.number, 'TP03130708163649');
    assert.deepEqual(run.json.card.certificates.map((c: { serialNumber: string }) => c.serialNumber), ['3B7161C40F46488916A', '69D8DCA6BECC064523']);
    const text = await spawnCli(['check', '--no-ocsp'], env());
    assert.equal(text.code, 4);
    assert.match(text.stderr, /No status service answered/);
    assert.doesNotMatch(text.stderr, /\n\s+at /, 'no stack trace');
  } finally {
    await live.reader.remove(client);
  }
});

test('the TUI over the real engine, no registry: the result panel shows verdict A "not compared", never a usage error', async () => {
  const scenario = await buildScenario({ name: 'valid', cardNumber: 'TP03130708163649', onCard: pair('3B7161C40F46488916A', '69D8DCA6BECC064523', -400, FIVE_YEARS - 400) });
  const responder = await scenarioResponder(scenario);
  const client = await live.reader.insert(scenario.card);
  const engine = await createEngine(parseOptions(responder.flags, {}));
  try {
    // 60 columns: the panels stack, so a wrapped sentence reads whole again (test/ui/frames.ts squash).
    const app = await renderApp({ engine, lang: 'en' }, { columns: 60, rows: 80 });
    const frame = await app.waitFor((f) => f.includes('verdict A') || f.includes('Invalid arguments') || f.includes('error'), 'the verdict');
    assert.doesNotMatch(frame, /Invalid arguments/);
    assert.match(frame, /✔ valid/);
    assertContains(frame, t('en', 'verdict.A.not-compared'), 'the not-compared sentence');
    assertContains(frame, 'no registry (not compared)', 'the status bar says no registry, not "Registry ✔"');
    app.unmount();
  } finally {
    await engine.close();
    await live.reader.remove(client);
    await responder.close();
  }
});

test('doctor, no registry: "registry: not configured" as information (ℹ, never ✔ nor ✖), OCSP nonce and signer, the CA generation line; the summary is not "all good"', async () => {
  const scenario = await buildScenario({ name: 'valid', cardNumber: 'TP03130708163649', onCard: pair('3B7161C40F46488916A', '69D8DCA6BECC064523', -400, FIVE_YEARS - 400) });
  const responder = await scenarioResponder(scenario);
  const client = await live.reader.insert(scenario.card);
  try {
    const json = await spawnCli(['doctor', '--json', ...responder.flags], env());
    assert.equal(json.code, 0, json.stdout + json.stderr);
    const by = (check: string) => json.json.checks.find((c: { check: string }) => c.check === check);
    assert.equal(by('registry').status, 'info');
    assert.equal(by('registry').essential, false);
    assert.match(by('registry').message, /not configured: statuses come from OCSP\/CRL; the card is not compared/);
    assert.equal(by('ocsp').status, 'ok');
    assert.equal(by('ocsp').details.nonce, true, 'openssl ocsp echoes the nonce');
    assert.equal(by('ocsp').details.signer, 'ca');
    assert.match(by('ocsp').message, /signed by the CA, nonce echoed/);
    assert.equal(by('issuer').status, 'info', 'the virtual PKI is not one of the issuer\'s CAs: said, not refused');
    assert.equal(by('issuer').details.known, false);
    assert.ok(by('crl'), 'a CRL line');
    const text = await spawnCli(['doctor', '--lang', 'zh-TW', ...responder.flags], env());
    assert.equal(text.code, 0, text.stderr);
    assert.match(text.stdout, /ℹ 憑證資料庫: 未設定：憑證狀態來自 OCSP\/CRL/);
    assert.doesNotMatch(text.stdout, /必要項目皆正常。/, 'never "all is well" without a registry');
    assert.match(text.stdout, /未設定憑證資料庫，IC卡內容不與發卡單位的紀錄比對/);
  } finally {
    await live.reader.remove(client);
    await responder.close();
  }
});

