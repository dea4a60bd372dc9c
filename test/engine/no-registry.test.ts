/**
 * The check with NO registry (cli.md "Without a registry", issue 11 item 1): the engine over the virtual
 * card in-process, statuses from OpenSSL's own OCSP responder (`openssl ocsp -index`) for the scenario's
 * CA, then notAfter. One test per verdict: valid (A, not compared), revoked, suspended, expired,
 * superseded (B-1), an OCSP `unknown` (not confirmed), and nothing answering (status-unavailable).
 */
import { test } from 'node:test';
import assert from 'node:assert/strict';
import { buildScenario, type BuiltScenario, type ScenarioSpec } from '../../source/virtual/scenario.js';
import { InProcessTransport } from '../../source/virtual/in-process.js';
import { openCardAccess } from '../../source/engine/card-access.js';
import { runCheck, type CheckOutcome } from '../../source/engine/check.js';
import { openNetwork } from '../../source/engine/session.js';
import { checkJson, checkText } from '../../source/commands/check-output.js';
import type { StatusSource } from '../../source/engine/status-sources.js';
import { isMoicaError } from '../../source/errors.js';
import type { CardInfo } from '../../source/card/types.js';
import { parseOptions } from '../../source/options.js';
import { scenarioResponder } from '../e2e/harness.js';
import { closedPort } from '../registry/http-fixture.js';

const FIVE_YEARS = 1826;
const pair = (sign: string, keyx: string, notBefore: number, notAfter: number, extra: object = {}): ScenarioSpec['onCard'] => [
  { serialNumber: sign, notBefore, notAfter, ...extra },
  { serialNumber: keyx, notBefore, notAfter, ...extra },
];
const spec = (name: string, onCard: ScenarioSpec['onCard']): ScenarioSpec => ({ name, cardNumber: 'TP03130708163649', onCard });

/** The check of `scenario`'s card with no registry: the real OCSP client against OpenSSL's responder. */
type Checked = CheckOutcome & { card: CardInfo };
async function checkWithoutRegistry(scenario: BuiltScenario, ocspFlags?: string[], statusSources?: (defaults: StatusSource[]) => StatusSource[]): Promise<Checked> {
  const responder = ocspFlags === undefined ? await scenarioResponder(scenario) : undefined;
  const transport = new InProcessTransport();
  transport.insert(scenario.card);
  const options = parseOptions(['check', ...(ocspFlags ?? responder!.flags)], {});
  assert.equal(options.registry, undefined, 'no registry configured');
  const net = await openNetwork(options);
  assert.equal(net.registry, null);
  const access = await openCardAccess(options, { transport, close: () => transport.close() });
  try {
    if (statusSources) {
      const { defaultStatusSources } = await import('../../source/engine/status-sources.js');
      net.statusSources = (a, n) => statusSources(defaultStatusSources(a, n));
    }
    return { ...(await runCheck(access, net, scenario.now)), card: access.info };
  } finally {
    await access.close();
    await net.close();
    await transport.close();
    await responder?.close();
  }
}

const json = (_scenario: BuiltScenario, outcome: Checked, lang: 'en' | 'zh-TW' = 'en') => checkJson(outcome.card.reader, outcome.card, outcome, lang);
const text = (outcome: Checked) => checkText(outcome.card.reader, outcome.card, outcome, 'en');

test('valid, no registry: verdict A with match null, statusSource ocsp, and the message says the card was not compared', async () => {
  const scenario = await buildScenario(spec('valid', pair('3B7161C40F46488916A', '69D8DCA6BECC064523', -400, FIVE_YEARS - 400)));
  const outcome = await checkWithoutRegistry(scenario);
  assert.equal(outcome.registry, null);
  assert.equal(outcome.verdict.verdict, 'A');
  assert.equal(outcome.verdict.match, null);
  assert.equal(outcome.verdict.basis, 'not-compared');
  assert.equal(outcome.verdict.statusSource, 'ocsp');
  assert.equal(outcome.ocsp.checked, true, 'OpenSSL\'s answers verify against the card\'s CA');
  const doc = json(scenario, outcome);
  assert.equal(doc.registry, null);
  assert.equal(doc.match, null);
  assert.equal(doc.statusSource, 'ocsp');
  assert.equal(doc.verdictBasis, 'not-compared');
  assert.equal(doc.status, 'valid');
  assert.match(String(doc.message), /not compared with the certificate registry/);
  assert.match(String(doc.message), /--registry URL/, 'the message says what a comparison would need');
  const zh = json(scenario, outcome, 'zh-TW');
  assert.match(String(zh.message), /未與憑證資料庫比對/);
  assert.doesNotMatch(String(zh.message), /IC卡內容與憑證資料庫符合/, 'never claims the card matches the registry');
  assert.ok(outcome.guidance.some((g) => g.kind === 'compare'), 'guidance: how to compare by hand');
  assert.match(text(outcome), /No registry configured: the statuses come from OCSP/);
});

test('revoked (keyCompromise), no registry: C revoked, reapply; the message does not claim a comparison', async () => {
  const scenario = await buildScenario(spec('revoked', pair('BC3587C88F47E73FAC23', '73FF4C633D5FADE167A6', -700, FIVE_YEARS - 700, { status: 'revoked' })));
  const outcome = await checkWithoutRegistry(scenario);
  assert.equal(outcome.verdict.verdict, 'C');
  assert.equal(outcome.verdict.status, 'revoked');
  assert.equal(outcome.verdict.action, 'reapply');
  assert.equal(outcome.verdict.match, null);
  assert.equal(outcome.verdict.statusSource, 'ocsp');
  assert.deepEqual(outcome.ocsp.certificates.map((a) => a.reason), ['keyCompromise', 'keyCompromise']);
  assert.equal(outcome.verdict.message.key, 'verdict.C.revoked.not-compared');
});

test('suspended (certificateHold), no registry: C suspended, reinstate', async () => {
  const scenario = await buildScenario(spec('suspended', pair('800063B6593F4FD861560', '74C123FF31404FD8C756', -900, FIVE_YEARS - 900, { status: 'suspended' })));
  const outcome = await checkWithoutRegistry(scenario);
  assert.equal(outcome.verdict.verdict, 'C');
  assert.equal(outcome.verdict.status, 'suspended');
  assert.equal(outcome.verdict.action, 'reinstate');
  assert.ok(outcome.guidance.some((g) => g.kind === 'reinstate'));
});

test('expired (notAfter past, OCSP still says good), no registry: C expired, renewal window, and the renewed-online guidance', async () => {
  const scenario = await buildScenario(spec('expired', pair('410D648A5422AE8BF219', 'AA0C0B6EB9F30B184069', -(FIVE_YEARS + 60), -60)));
  const outcome = await checkWithoutRegistry(scenario);
  assert.deepEqual(outcome.ocsp.certificates.map((a) => a.status), ['good', 'good'], 'the responder keeps saying good');
  assert.equal(outcome.verdict.verdict, 'C');
  assert.equal(outcome.verdict.status, 'expired');
  assert.equal(outcome.verdict.action, 'renew');
  assert.equal(outcome.verdict.statusSource, 'ocsp', 'an expiry from notAfter does not change the source');
  assert.ok(outcome.guidance.some((g) => g.kind === 'renew'), 'the renewal window from the card\'s dates');
  const renewed = outcome.guidance.find((g) => g.kind === 'renewed-online');
  assert.ok(renewed, 'an expired card whose holder renewed online: the stale-card case');
  const doc = json(scenario, outcome, 'en');
  const said = (doc.guidance as Array<{ kind: string; text: string }>).find((g) => g.kind === 'renewed-online')!.text;
  assert.match(said, /rewrite --serial/);
  assert.match(said, /--certificate FILE/);
});

test('superseded while in date, no registry: B-1 with verdictBasis superseded, status valid, the superseded certificates listed under ocsp', async () => {
  const scenario = await buildScenario(spec('superseded', pair('3B7161C40F46488916A', '69D8DCA6BECC064523', -(FIVE_YEARS - 30), 30,
    { ocsp: { status: 'revoked', reason: 'superseded', revokedAt: -2 } })));
  const outcome = await checkWithoutRegistry(scenario);
  assert.equal(outcome.verdict.verdict, 'B-1');
  assert.equal(outcome.verdict.status, 'valid');
  assert.equal(outcome.verdict.basis, 'superseded');
  assert.equal(outcome.verdict.action, 'rewrite');
  const doc = json(scenario, outcome);
  assert.equal(doc.verdictBasis, 'superseded');
  assert.equal(doc.status, 'valid');
  assert.equal(doc.match, null);
  assert.deepEqual((doc.ocsp as { certificates: unknown[] }).certificates,
    [{ serialNumber: '3B7161C40F46488916A', status: 'revoked', reason: 'superseded', nonce: true, signer: 'ca' },
      { serialNumber: '69D8DCA6BECC064523', status: 'revoked', reason: 'superseded', nonce: true, signer: 'ca' }]);
  const how = outcome.guidance.find((g) => g.kind === 'new-certificates');
  assert.ok(how, 'the guidance says how to get the new certificates');
});

test('superseded on one slot, keyCompromise on the other: C revoked (a revocation for cause is not a renewal)', async () => {
  const scenario = await buildScenario(spec('mixed', [
    { serialNumber: '3B7161C40F46488916A', notBefore: -100, notAfter: 1000, ocsp: { status: 'revoked', reason: 'superseded' } },
    { serialNumber: '69D8DCA6BECC064523', notBefore: -100, notAfter: 1000, ocsp: { status: 'revoked', reason: 'keyCompromise' } },
  ]));
  const outcome = await checkWithoutRegistry(scenario);
  assert.equal(outcome.verdict.verdict, 'C');
  assert.equal(outcome.verdict.status, 'revoked');
});

test('OCSP unknown for a serial: "not confirmed" (never "confirmed with OCSP"); with nothing else answering, status-unavailable', async () => {
  const scenario = await buildScenario(spec('unknown', [
    { serialNumber: '3B7161C40F46488916A', notBefore: -100, notAfter: 1000 },
    { serialNumber: '69D8DCA6BECC064523', notBefore: -100, notAfter: 1000, ocsp: { status: 'unknown' } },
  ]));
  // A second source that knows the serial OCSP did not: the seam asks it for that serial only.
  const asked: string[][] = [];
  // (It stands in for the CRL source, which the defaults now hold: the real one would ask the test PKI's dead CDP.)
  const outcome = await checkWithoutRegistry(scenario, undefined, (defaults) => [...defaults.filter((d) => d.name !== 'crl'), {
    name: 'crl',
    async lookup(serialNumbers) {
      asked.push(serialNumbers);
      return { answers: serialNumbers.map((serialNumber) => ({ serialNumber, status: 'good' as const, reason: null })), report: { url: 'test' } };
    },
  }]);
  assert.deepEqual(asked, [['69D8DCA6BECC064523']], 'the next source is asked only for the serial OCSP did not confirm');
  assert.equal(outcome.verdict.verdict, 'A');
  assert.equal(outcome.ocsp.checked, false);
  assert.equal(outcome.ocsp.notCheckedReason, 'unknown');
  assert.deepEqual(outcome.verdict.slots.map((s) => s.source), ['ocsp', 'crl']);
  assert.doesNotMatch(text(outcome), /confirmed with OCSP\./);
  assert.match(text(outcome), /not confirmed by OCSP/);
  assert.deepEqual(json(scenario, outcome).crl, { url: 'test' }, 'the CRL\'s report beside ocsp');

  await assert.rejects(checkWithoutRegistry(scenario), (e: unknown) =>
    isMoicaError(e, 'status-unavailable') && e.exitCode === 4 && JSON.stringify(e.detail.serialNumbers) === '["69D8DCA6BECC064523"]');
});

test('nothing answers (OCSP unreachable, no CRL): status-unavailable, exit 4; an expired card still gets C from notAfter', async () => {
  const port = await closedPort();
  const dead = ['--ocsp', `http://127.0.0.1:${port}/`];
  const valid = await buildScenario(spec('valid', pair('3B7161C40F46488916A', '69D8DCA6BECC064523', -400, FIVE_YEARS - 400)));
  await assert.rejects(checkWithoutRegistry(valid, dead), (e: unknown) =>
    isMoicaError(e, 'status-unavailable') && e.exitCode === 4 && e.detail.ocspReason === 'unreachable');
  await assert.rejects(checkWithoutRegistry(valid, ['--no-ocsp']), (e: unknown) => isMoicaError(e, 'status-unavailable'));

  const expired = await buildScenario(spec('expired', pair('410D648A5422AE8BF219', 'AA0C0B6EB9F30B184069', -(FIVE_YEARS + 60), -60)));
  const outcome = await checkWithoutRegistry(expired, dead);
  assert.equal(outcome.verdict.verdict, 'C');
  assert.equal(outcome.verdict.status, 'expired');
  assert.equal(outcome.verdict.statusSource, null, 'no source answered: the dates alone');
});

test('with a registry, OCSP unknown for both serials: A still (it blocks nothing), and the text says "not confirmed", never "confirmed with OCSP"', async () => {
  const { scenarioNetwork } = await import('../e2e/harness.js');
  const scenario = await buildScenario(spec('unknown', pair('3B7161C40F46488916A', '69D8DCA6BECC064523', -400, FIVE_YEARS - 400, { ocsp: { status: 'unknown' } })));
  const network = await scenarioNetwork(scenario);
  const transport = new InProcessTransport();
  transport.insert(scenario.card);
  const options = parseOptions(['check', ...network.flags], {});
  const net = await openNetwork(options);
  const access = await openCardAccess(options, { transport, close: () => transport.close() });
  try {
    const outcome = { ...(await runCheck(access, net, scenario.now)), card: access.info };
    assert.equal(outcome.verdict.verdict, 'A');
    assert.equal(outcome.verdict.statusSource, 'registry');
    assert.equal(outcome.verdict.basis, 'registry');
    assert.deepEqual(outcome.ocsp.certificates.map((a) => a.status), ['unknown', 'unknown']);
    assert.equal(outcome.ocsp.checked, false);
    assert.equal(outcome.ocsp.notCheckedReason, 'unknown');
    assert.doesNotMatch(text(outcome), /confirmed with OCSP\./);
    assert.match(text(outcome), /not confirmed by OCSP/);
    assert.equal(json(scenario, outcome).statusSource, 'registry');
    assert.notEqual(json(scenario, outcome).registry, null);
  } finally {
    await access.close();
    await net.close();
    await transport.close();
    await network.close();
  }
});
