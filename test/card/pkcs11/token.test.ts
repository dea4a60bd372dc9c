import assert from 'node:assert/strict';
import { after, before, test } from 'node:test';
import { isMoicaError } from '../../../source/errors.js';
import { listPkcs11Tokens, openPkcs11Card } from '../../../source/card/pkcs11/index.js';
import { isCardNumber, selectToken, tokenCardNumber, type TokenSummary } from '../../../source/card/pkcs11/token.js';
import { CARD_NUMBER, initToken, makeTokenDir, SOFTHSM_MODULE, type TokenDir } from './softhsm.js';

const summary = (label: string, serial: string): TokenSummary => ({ slot: Buffer.alloc(8), label, serial, manufacturer: 'm', model: 'm', flags: 0 });

// The one rule of card/card-number.ts (issue 12): letters and digits, 12-16 characters (was 2 letters + 13-14 digits).
test('card numbers: letters and digits, 12-16 characters (card/card-number.ts)', () => {
  for (const ok of ['TP03130708163649', 'AB1234567890123', 'GP0000000615421', 'TP031307081636', 'T103130708163649']) assert.equal(isCardNumber(ok), true, ok);
  for (const bad of ['tp03130708163649', 'TP031307081636491', 'TP0313070', 'HiCOS PKI Smart Card', 'f58606af76e831a5', ''])
    assert.equal(isCardNumber(bad), false, bad);
});

test('the card number is the token serial on the issuer\'s module, else a card-number label', () => {
  assert.equal(tokenCardNumber(summary('HiCOS PKI Smart Card', 'TP03130708163649')), 'TP03130708163649');
  assert.equal(tokenCardNumber(summary('TP03130708163649', 'f58606af76e831a5')), 'TP03130708163649');
  assert.throws(() => tokenCardNumber(summary('HiCOS PKI Smart Card', 'f58606af76e831a5')), (e) => isMoicaError(e, 'not-moica'));
});

test('selectToken: by serial or label, the card number, or the only one; otherwise typed errors', () => {
  const a = summary('HiCOS PKI Smart Card', 'TP03130708163649');
  const b = summary('HiCOS PKI Smart Card', 'TP03130708160001');
  const c = summary('Another token', 'abc');
  assert.equal(selectToken([a, b, c], { cardNumber: 'TP03130708160001' }), b);
  assert.equal(selectToken([a, b, c], { token: 'Another token' }), c);
  assert.equal(selectToken([a, b, c], { token: 'TP03130708163649' }), a);
  assert.equal(selectToken([a], {}), a);
  assert.throws(() => selectToken([a, b, c], { token: 'HiCOS PKI Smart Card' }), (e) => isMoicaError(e, 'usage') && e.detail.tokens !== undefined);
  assert.throws(() => selectToken([a, b], {}), (e) => isMoicaError(e, 'reader-ambiguous'));
  assert.throws(() => selectToken([a, b], { token: 'nope' }), (e) => isMoicaError(e, 'no-card') && /nope/.test(e.message));
  assert.throws(() => selectToken([a, c], { cardNumber: 'TP03130708160001' }), (e) => isMoicaError(e, 'no-card'));
  assert.throws(() => selectToken([], {}), (e) => isMoicaError(e, 'no-card'));
  assert.equal(selectToken([a, b, c], { token: 'HiCOS PKI Smart Card', cardNumber: 'TP03130708160001' }), b);
  assert.throws(() => selectToken([a, b, c], { token: 'Another token', cardNumber: 'TP03130708160001' }),
    (e) => isMoicaError(e, 'no-card') && /Another token.*TP03130708160001/.test(e.message));
});

let hsm: TokenDir;
before(() => {
  hsm = makeTokenDir();
  initToken(hsm.conf, CARD_NUMBER);
  initToken(hsm.conf, 'TP03130708160001');
  initToken(hsm.conf, 'HiCOS PKI Smart Card');
});
after(() => hsm.cleanup());

test('on SoftHSM with three tokens: the card number picks one, none is ambiguous, an unknown one is no-card', async () => {
  process.env.SOFTHSM2_CONF = hsm.conf;
  const card = await openPkcs11Card({ modulePath: SOFTHSM_MODULE, cardNumber: 'TP03130708160001' });
  const serial = card.token.serial;
  await card.close();
  assert.match(serial, /^[0-9a-f]{16}$/, 'SoftHSM makes up a hex serial');
  const bySerial = await openPkcs11Card({ modulePath: SOFTHSM_MODULE, token: serial });
  assert.equal(bySerial.token.label, 'TP03130708160001');
  await bySerial.close();
  await assert.rejects(openPkcs11Card({ modulePath: SOFTHSM_MODULE }), (e) => isMoicaError(e, 'reader-ambiguous')
    && (e.detail.tokens as string[]).length === 3);
  await assert.rejects(openPkcs11Card({ modulePath: SOFTHSM_MODULE, cardNumber: 'XY12345678901234' }), (e) => isMoicaError(e, 'no-card'));
});

test('listPkcs11Tokens shows each initialised token with the card number it stands for', async () => {
  process.env.SOFTHSM2_CONF = hsm.conf;
  const tokens = await listPkcs11Tokens(SOFTHSM_MODULE);
  assert.deepEqual(tokens.map((t) => [t.label, t.cardNumber, t.manufacturer]).sort(), [
    ['HiCOS PKI Smart Card', null, 'SoftHSM project'],
    ['TP03130708160001', 'TP03130708160001', 'SoftHSM project'],
    [CARD_NUMBER, CARD_NUMBER, 'SoftHSM project'],
  ].sort());
});
