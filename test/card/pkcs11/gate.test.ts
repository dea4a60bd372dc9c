/**
 * Never a raw APDU to a card while a PKCS#11 session on it is open (issue 12 item 5): a card with a real
 * MOICA ATR in a reader, the "issuer's module" SoftHSM2 holding a token for the same card. While the
 * writer's session is open the card's channel refuses every APDU and a re-read comes from the token; once
 * the writer ends, reads go to the card again.
 */
import { after, test } from 'node:test';
import assert from 'node:assert/strict';
import { buildScenario } from '../../../source/virtual/scenario.js';
import { scenarioSpec } from '../../../source/virtual/demos.js';
import { InProcessTransport, VIRTUAL_READER } from '../../../source/virtual/in-process.js';
import { ChannelGate } from '../../../source/card/gate.js';
import { openCardAccess } from '../../../source/engine/card-access.js';
import { isMoicaError } from '../../../source/errors.js';
import { SOFTHSM_MODULE } from './softhsm.js';
import { scenarioToken } from './scenario-token.js';

const THIRD_ATR = '3B8B80010031C164084021300090 0057'.replace(/\s/g, '');
const cleanups: Array<() => void> = [];
after(() => { for (const c of cleanups) c(); });

test('the gate: refuses APDUs while a holder is open, passes them otherwise', async () => {
  let open = false;
  const sent: Uint8Array[] = [];
  const gate = new ChannelGate({ reader: 'R', atr: '3B00', transmit: async (a) => { sent.push(a); return Uint8Array.of(0x90, 0); }, close: async () => {} });
  const release = gate.holdWhile(() => open);
  assert.deepEqual([...(await gate.channel.transmit(Uint8Array.of(0, 0xa4)))], [0x90, 0]);
  open = true;
  await assert.rejects(gate.channel.transmit(Uint8Array.of(0, 0xb0)), (e) => isMoicaError(e, 'card-error') && /PKCS#11 session/.test(e.message));
  assert.equal(sent.length, 1, 'the refused APDU never reached the card');
  release();
  assert.equal(gate.closed, false);
  await gate.channel.transmit(Uint8Array.of(0, 0xb0));
  assert.equal(sent.length, 2);
});

test('a real-ATR card with the module\'s session open: no APDU reaches the card, the re-read comes from the token', async () => {
  const scenario = await buildScenario({ ...scenarioSpec('valid'), atr: THIRD_ATR });
  const token = scenarioToken(scenario);
  cleanups.push(token.cleanup);
  process.env.SOFTHSM2_CONF = token.conf;
  const transport = new InProcessTransport();
  transport.insert(scenario.card);
  const access = await openCardAccess({ reader: undefined, demo: undefined, trace: undefined, timeoutMs: 5000, pkcs11Token: undefined,
    pkcs11Module: SOFTHSM_MODULE }, { transport, close: () => transport.close() });
  try {
    assert.equal(access.info.virtual, false);
    assert.equal(access.writePath().path, 'pkcs11');
    const writer = await access.writer();
    assert.equal(writer.path, 'pkcs11');
    const spki = await writer.publicKey(0); // opens the module's session
    assert.deepEqual(Buffer.from(spki), Buffer.from(scenario.holderKeys.SIGN.spki), 'the token is this card');
    const apdus = scenario.card.stats.apdus;
    const during = await access.reread();
    assert.equal(scenario.card.stats.apdus, apdus, 'no APDU while the session is open');
    assert.equal(during.number, scenario.spec.cardNumber);
    assert.equal(during.reader, VIRTUAL_READER);
    assert.deepEqual(during.certificates.map((c) => c.serialNumber), scenario.onCard.map((c) => c.serialNumber));
    await assert.rejects(access.issuerDer(), (e) => isMoicaError(e, 'card-error'), 'a raw read of the CA certificates is refused too');
    assert.equal(scenario.card.stats.apdus, apdus);
    await writer.end();
    const afterwards = await access.reread();
    assert.ok(scenario.card.stats.apdus > apdus, 'after the session, reads go to the card again');
    assert.equal(afterwards.atr, THIRD_ATR);
    assert.equal(scenario.card.stats.byInstruction['20'] ?? 0, 0, 'no VERIFY of any kind reached the card');
  } finally {
    await access.close();
  }
});
