/**
 * The issuer's likely OCSP, end to end with no registry: answers PRE-PRODUCED by OpenSSL (`openssl ocsp …
 * -no_nonce -respout`, the RFC 5019 form) for the scenario's own CA, signed by a delegated responder
 * (id-kp-OCSPSigning, issued by the CA) whose certificate the answers do NOT carry (`-resp_no_certs`),
 * served by a static loopback server. Pinned (Network.ocspResponders), every verdict comes out right;
 * not pinned, the answers are unverifiable and nothing else answers: status-unavailable.
 */
import { after, test } from 'node:test';
import assert from 'node:assert/strict';
import { mkdtempSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { buildScenario, type ScenarioSpec } from '../../source/virtual/scenario.js';
import { InProcessTransport } from '../../source/virtual/in-process.js';
import { openCardAccess } from '../../source/engine/card-access.js';
import { runCheck, type CheckOutcome, type Network } from '../../source/engine/check.js';
import { isMoicaError } from '../../source/errors.js';
import { delegatedResponder, preProduceIn, preProducedServer } from '../registry/openssl-rig.js';

const dirs: string[] = [];
after(() => { for (const d of dirs) rmSync(d, { recursive: true, force: true }); });

async function checkOver(onCard: ScenarioSpec['onCard'], pin: boolean): Promise<CheckOutcome> {
  const built = await buildScenario({ name: 'preproduced', cardNumber: 'TP03130708163649', onCard });
  const dir = mkdtempSync(join(tmpdir(), 'moica-preproduced-'));
  dirs.push(dir);
  await built.pki.writePemFiles(dir);
  await built.ocsp.writeOpensslIndex(join(dir, 'index.txt'));
  const responderDer = delegatedResponder(dir);
  const answers = Object.fromEntries(built.onCard.map((c) =>
    [c.serialNumber, preProduceIn(dir, c.serialNumber, { pem: 'resp.pem', key: 'resp.key' }, ['-resp_no_certs'])]));
  const server = await preProducedServer(answers);
  const transport = new InProcessTransport();
  transport.insert(built.card);
  const access = await openCardAccess({ timeoutMs: 5000 } as never, { transport, close: () => transport.close() });
  const net: Network = { registry: null, ocspUrl: server.url, timeoutMs: 5000, crl: false, ...(pin ? { ocspResponders: [responderDer] } : {}) };
  try {
    return await runCheck(access, net, built.now);
  } finally {
    await access.close();
    await transport.close();
    await server.close();
  }
}

const both = (extra: object, notBefore = -100, notAfter = 1000): ScenarioSpec['onCard'] => [
  { serialNumber: '3B7161C40F46488916A', notBefore, notAfter, ...extra },
  { serialNumber: '69D8DCA6BECC064523', notBefore, notAfter, ...extra },
];

test('pre-produced, nonce-less, delegated-not-embedded answers, responder pinned: valid → A', async () => {
  const outcome = await checkOver(both({}), true);
  assert.equal(outcome.ocsp.checked, true, outcome.ocsp.detail);
  assert.equal(outcome.verdict.verdict, 'A');
  assert.equal(outcome.verdict.statusSource, 'ocsp');
  assert.ok(outcome.ocsp.certificates.every((a) => a.nonce === false && a.signer === 'pinned'));
});

test('… revoked (keyCompromise) → C revoked; suspended (certificateHold) → C suspended', async () => {
  const revoked = await checkOver(both({ status: 'revoked' }), true);
  assert.equal(revoked.verdict.verdict, 'C');
  assert.equal(revoked.verdict.status, 'revoked');
  const suspended = await checkOver(both({ status: 'suspended' }), true);
  assert.equal(suspended.verdict.verdict, 'C');
  assert.equal(suspended.verdict.status, 'suspended');
});

test('… expired (OCSP good, notAfter past) → C expired; superseded in date → B-1 (verdictBasis superseded)', async () => {
  const expired = await checkOver(both({}, -2000, -10), true);
  assert.equal(expired.verdict.verdict, 'C');
  assert.equal(expired.verdict.status, 'expired');
  const superseded = await checkOver([
    { serialNumber: '3B7161C40F46488916A', notBefore: -100, notAfter: 1000, ocsp: { status: 'revoked', reason: 'superseded' } },
    { serialNumber: '69D8DCA6BECC064523', notBefore: -100, notAfter: 1000, ocsp: { status: 'revoked', reason: 'superseded' } },
  ], true);
  assert.equal(superseded.verdict.verdict, 'B-1');
  assert.equal(superseded.verdict.basis, 'superseded');
});

test('the same answers with the responder NOT pinned: unverifiable, and with no other source, status-unavailable', async () => {
  await assert.rejects(checkOver(both({}), false), (e) => isMoicaError(e, 'status-unavailable') && e.detail.ocspReason === 'unverifiable');
});
