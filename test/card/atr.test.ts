/**
 * ATRs name cards, the probe decides (issue 12 item 2): the third published MOICA ATR is named; a card with
 * it, or with an ATR nobody listed, that answers the MOICA probe is read; only the virtual card's own ATR
 * takes the plaintext PIN / write path, so a card with a real MOICA ATR is refused there with the route to
 * the issuer's PKCS#11 module, before a single APDU.
 */
import { test } from 'node:test';
import assert from 'node:assert/strict';
import { MoicaCard, atrName, looksLikeMoica } from '../../source/card/moica.js';
import { VIRTUAL_ATR } from '../../source/card/layout.js';
import { readerJson, readersText } from '../../source/commands/card-report.js';
import { VirtualCardWriter } from '../../source/card/writers/virtual-apdu.js';
import { buildScenario } from '../../source/virtual/scenario.js';
import { scenarioSpec } from '../../source/virtual/demos.js';
import { InProcessTransport, VIRTUAL_READER } from '../../source/virtual/in-process.js';
import { openCardAccess } from '../../source/engine/card-access.js';
import { isMoicaError } from '../../source/errors.js';

export const THIRD_ATR = '3B8B80010031C164084021300090 0057'.replace(/\s/g, '');
export const UNLISTED_ATR = '3B9F958131FE9F006646530400013300';

async function cardWithAtr(atr: string, generation: 1 | 2 = 1) {
  const scenario = await buildScenario({ ...scenarioSpec('rewrite'), atr, generation });
  const transport = new InProcessTransport();
  transport.insert(scenario.card);
  return { scenario, transport };
}

test('the three published MOICA ATRs and the virtual card\'s are named; others are not, and are not called "not MOICA"', () => {
  assert.match(atrName('3B 8B 80 01 00 31 C1 64 08 40 21 30 00 90 00 57')!, /MOICA/);
  assert.match(atrName('3BB813008131FA524348544D4F494341A5')!, /CHTMOICA/);
  assert.match(atrName('3bd8960081b1fe451f074348544750 4b494add')!, /CHTGPKIJ/);
  assert.match(atrName(VIRTUAL_ATR)!, /virtual/);
  assert.equal(atrName(UNLISTED_ATR), undefined);
  assert.equal(looksLikeMoica(THIRD_ATR), true);
  const listed = readerJson({ name: 'R', cardPresent: true, atr: THIRD_ATR, eventCount: 1 });
  assert.equal(listed.moica, true);
  assert.match(String(listed.atrName), /MOICA/);
  const unlisted = readerJson({ name: 'R', cardPresent: true, atr: UNLISTED_ATR, eventCount: 1 });
  assert.equal(unlisted.moica, null, 'unknown by its ATR: the probe decides, the listing does not say "no"');
  assert.equal(unlisted.atrName, null);
  assert.match(readersText([{ name: 'R', cardPresent: true, atr: UNLISTED_ATR, eventCount: 1 }], 'en'), /not on the list .*`read` tries it/);
  assert.match(readersText([{ name: 'R', cardPresent: true, atr: THIRD_ATR, eventCount: 1 }], 'zh-TW'), /自然人憑證, MOICA/);
});

for (const atr of [THIRD_ATR, UNLISTED_ATR]) {
  for (const generation of [1, 2] as const) {
    test(`a card with ATR ${atr.slice(0, 10)}… (gen${generation}) that answers the MOICA probe is read, as a real card`, async () => {
      const { scenario, transport } = await cardWithAtr(atr, generation);
      const channel = await transport.connect(VIRTUAL_READER);
      assert.equal(channel.atr, atr);
      const card = await MoicaCard.open(channel);
      const info = await card.read();
      assert.equal(info.number, 'TP03130708163649');
      assert.equal(info.generation, generation);
      assert.equal(info.virtual, false, 'not the virtual card: its ATR is not the virtual one');
      assert.equal(info.atr, atr);
      assert.deepEqual(info.certificates.map((c) => c.serialNumber), scenario.onCard.map((c) => c.serialNumber));
      // The plaintext path refuses it before a single APDU.
      const before = scenario.card.stats.apdus;
      assert.throws(() => new VirtualCardWriter(card), (e) => isMoicaError(e, 'pkcs11-unavailable') && /--pkcs11-module/.test(e.message));
      assert.equal(scenario.card.stats.apdus, before);
      await transport.close();
    });
  }
}

test('card access on a card with the third ATR: the write path is PKCS#11 or unavailable, never the plaintext APDUs', async () => {
  const { scenario, transport } = await cardWithAtr(THIRD_ATR);
  const source = { transport, close: () => transport.close() };
  const base = { reader: undefined, demo: undefined, trace: undefined, timeoutMs: 5000, pkcs11Token: undefined };
  const bare = await openCardAccess({ ...base, pkcs11Module: undefined }, source);
  assert.equal(bare.writePath().path, 'unavailable');
  const before = scenario.card.stats.apdus;
  await assert.rejects(bare.writer(), (e) => isMoicaError(e, 'pkcs11-unavailable'));
  assert.equal(scenario.card.stats.apdus, before, 'nothing sent to the card');
  await bare.close();
  const withModule = await openCardAccess({ ...base, pkcs11Module: '/nonexistent/libHicos_p11.so' }, source);
  assert.equal(withModule.writePath().path, 'pkcs11');
  await assert.rejects(withModule.writer(), (e) => isMoicaError(e, 'pkcs11-unavailable'));
  assert.equal(scenario.card.stats.byInstruction['20'] ?? 0, 0, 'no VERIFY of any kind');
  assert.equal(scenario.card.stats.byInstruction['D6'] ?? 0, 0, 'no UPDATE BINARY');
  await withModule.close();
  await transport.close();
});
