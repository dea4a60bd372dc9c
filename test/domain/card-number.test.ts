/**
 * The one card-number rule (source/domain/card-number.ts) and everyone who uses it: the card reader (EF 0903
 * with each padding byte), the registry schema and URL path, the reference server, the PKCS#11 token match.
 */
import { test } from 'node:test';
import assert from 'node:assert/strict';
import { CARD_NUMBER, cardNumberForm, cardNumberNote, cardNumberTag, isCardNumber, parseCardNumber } from '../../source/domain/card-number.js';
import { MoicaCard } from '../../source/card/moica.js';
import { cardJson, cardText } from '../../source/commands/card-report.js';
import { buildScenario } from '../../source/virtual/scenario.js';
import { scenarioSpec } from '../../source/virtual/demos.js';
import { InProcessTransport, VIRTUAL_READER } from '../../source/virtual/in-process.js';
import { selectToken, tokenCardNumber, type TokenSummary } from '../../source/card/pkcs11/token.js';
import { cardNumberSchema, cardResponseSchema, registryDataSchema } from '../../source/registry/schema.js';
import { createRegistryClient } from '../../source/registry/client.js';
import { start } from '../../source/registry/server/server.js';
import { isMoicaError } from '../../source/errors.js';

const MANUAL = 'GP0000000615421';

test('the rule: letters and digits, 12-16 characters; the usual form is 2 letters and 14 digits', () => {
  for (const ok of ['TP03130708163649', MANUAL, 'AB0123456789', 'AB01234567890123', '123456789012', 'ABCDEFGHIJKLMNOP', 'TP0313070816364']) {
    assert.equal(isCardNumber(ok), true, ok);
  }
  for (const bad of ['', 'AB012345678', 'AB012345678901234', 'tp03130708163649', 'TP0313070816364 ', ' TP031307081636', 'TP03-130708-1636', 'TP0313070816364９', '../../v1/cards/x']) {
    assert.equal(isCardNumber(bad), false, JSON.stringify(bad));
  }
  assert.equal(cardNumberForm('TP03130708163649'), 'usual');
  assert.equal(cardNumberForm(MANUAL), 'unusual');
  assert.equal(cardNumberNote('TP03130708163649', 'en'), undefined);
  assert.match(cardNumberNote(MANUAL, 'en')!, /2 letters and 13 digits/);
  assert.match(cardNumberNote(MANUAL, 'zh-TW')!, /2 個英文字母加 13 位數字/);
  assert.equal(cardNumberTag(MANUAL, 'en'), '(unusual form)');
  assert.equal(cardNumberTag('TP03130708163649', 'zh-TW'), undefined);
  assert.match(cardNumberNote('AB12CD34EF56', 'en')!, /12 letters and digits/);
});

test('padding: trailing NUL, space and FF are stripped, nothing else', () => {
  const raw = (s: string, pad: number) => { const b = new Uint8Array(16).fill(pad); b.set(Buffer.from(s, 'latin1')); return b; };
  for (const pad of [0x00, 0x20, 0xff]) assert.equal(parseCardNumber(raw(MANUAL, pad)), MANUAL, `pad ${pad}`);
  assert.equal(parseCardNumber('GP0000000615421 \0\xff'), MANUAL);
  assert.equal(parseCardNumber(raw('TP03130708163649', 0)), 'TP03130708163649');
  assert.equal(parseCardNumber(' GP0000000615421'), undefined, 'a leading blank is not padding');
  assert.equal(parseCardNumber(raw('GP00 0000615421', 0x20)), undefined, 'a blank inside is not padding');
  assert.equal(parseCardNumber(new Uint8Array(16).fill(0xff)), undefined, 'an erased EF holds no number');
});

for (const pad of [0x00, 0x20, 0xff]) {
  test(`the card reader: a 13-digit number padded with ${pad.toString(16).padStart(2, '0')} reads, with the note in text and JSON`, async () => {
    for (const generation of [1, 2] as const) {
      const scenario = await buildScenario({ ...scenarioSpec('expired'), cardNumber: MANUAL, cardNumberPad: pad, generation });
      assert.equal(scenario.card.readFile('0900/0903').length, 16, 'EF 0903 holds 16 bytes, as on a real card');
      const transport = new InProcessTransport();
      transport.insert(scenario.card);
      const info = await (await MoicaCard.open(await transport.connect(VIRTUAL_READER))).read();
      assert.equal(info.number, MANUAL);
      assert.equal(cardJson(info).numberForm, 'unusual');
      assert.match(cardText(VIRTUAL_READER, info, 'en'), /Card number: GP0000000615421 \(an unusual card number form \(2 letters and 13 digits/);
      assert.match(cardText(VIRTUAL_READER, info, 'zh-TW'), /卡號: GP0000000615421 \(卡號格式較少見/);
      await transport.close();
    }
  });
}

test('the registry: schema, client and the reference server\'s URL path take the same rule', async () => {
  assert.equal(CARD_NUMBER.test(MANUAL), true);
  assert.equal(cardNumberSchema.safeParse(MANUAL).success, true);
  assert.equal(cardNumberSchema.safeParse('GP000000061542').success, true, '14 characters');
  assert.equal(cardNumberSchema.safeParse('GP000000061').success, false, '11 characters');
  assert.equal(cardNumberSchema.safeParse('GP00000006').success, false, '10 characters');
  const cert = { slot: 0, usage: 'signature', serialNumber: '410D648A5422AE8BF219', status: 'expired', renewedFrom: null,
    notBefore: '2021-09-29T00:00:00Z', notAfter: '2026-09-29T00:00:00Z' };
  assert.equal(cardResponseSchema.safeParse({ cardNumber: MANUAL, certificates: [cert] }).success, true);
  const data = { cards: { [MANUAL]: { certificates: [cert] } }, certificates: {} } as never;
  assert.equal(registryDataSchema.safeParse(data).success, true);
  const server = await start({ data, host: '127.0.0.1', port: 0 });
  const client = createRegistryClient({ baseUrl: server.url, timeoutMs: 5000 });
  try {
    const card = await client.getCard(MANUAL);
    assert.equal(card.cardNumber, MANUAL);
    assert.deepEqual(card.certificates.map((c) => c.serialNumber), ['410D648A5422AE8BF219']);
    await assert.rejects(client.getCard('GP0000000615'), (e) => isMoicaError(e, 'card-not-found'), '12 characters: asked, not found');
    await assert.rejects(client.getCard('GP00/00615421'), (e) => isMoicaError(e, 'card-answer-invalid'), 'never put into the path');
    const res = await fetch(`${server.url}/v1/cards/GP000006`);
    assert.equal(res.status, 400);
    assert.match(((await res.json()) as { message: string }).message, /12-16/);
  } finally {
    client.close();
    await server.close();
  }
});

test('the PKCS#11 token match: a 13-digit serial or label is the card; a usual-form one wins over SoftHSM\'s hex serial', () => {
  const token = (label: string, serial: string): TokenSummary => ({ slot: 1 as never, label, serial, manufacturer: 'm', model: 'x', flags: 0 });
  assert.equal(tokenCardNumber(token('HiCOS PKI Smart Card', MANUAL)), MANUAL, 'the issuer\'s module: serial = card number');
  assert.equal(tokenCardNumber(token(MANUAL, '9f1c33a0be6d4e21')), MANUAL, 'SoftHSM2: the label (its serial is lower-case hex)');
  assert.equal(tokenCardNumber(token('TP03130708163649', '123456789012')), 'TP03130708163649', 'the usual form wins');
  assert.throws(() => tokenCardNumber(token('HiCOS PKI Smart Card', '9f1c33a0be6d4e21')), (e) => isMoicaError(e, 'not-moica') && /12-16/.test(e.message));
  const tokens = [token('HiCOS PKI Smart Card', MANUAL), token('HiCOS PKI Smart Card', 'TP03130708163649')];
  assert.equal(selectToken(tokens, { cardNumber: MANUAL }).serial, MANUAL);
});
