import assert from 'node:assert/strict';
import { after, before, test } from 'node:test';
import { isMoicaError } from '../../../source/errors.js';
import { openPkcs11Card } from '../../../source/card/pkcs11/index.js';
import { CARD_NUMBER, copyToken, initToken, makeTemplateToken, makeTokenDir, SOFTHSM_MODULE, type TemplateToken } from './softhsm.js';

let template: TemplateToken;
before(async () => { template = await makeTemplateToken(); });
after(() => template.cleanup());

test('a SoftHSM token reads as a card: number, both serials, dates, CA certificates', async () => {
  const token = copyToken(template);
  process.env.SOFTHSM2_CONF = token.conf;
  const card = await openPkcs11Card({ modulePath: SOFTHSM_MODULE, token: CARD_NUMBER });
  try {
    const info = await card.read();
    assert.equal(info.number, CARD_NUMBER);
    assert.equal(info.reader, `PKCS#11: ${CARD_NUMBER}`);
    assert.equal(info.virtual, false);
    assert.equal(info.consistent, true);
    assert.deepEqual(info.certificates.map((c) => [c.slot, c.usage, c.keyId, c.serialNumber]), [
      [0, 'signature', 'SIGN', '3B7161C40F46488916A'],
      [1, 'encryption', 'KEYX', 'A0B1C2D3E4F5061728'],
    ]);
    const sign = info.certificates[0]!;
    assert.equal(sign.notBefore?.toISOString(), template.oldCerts.SIGN.notBefore.toISOString());
    assert.equal(sign.notAfter?.toISOString(), template.oldCerts.SIGN.notAfter.toISOString());
    assert.equal(sign.issuer, template.ca.cert.subject);
    assert.match(sign.subject, /測試持卡人/);
    assert.deepEqual(info.caCertificates.map((c) => c.serialNumber), ['1']);
    assert.deepEqual(Buffer.from(info.caCertificates[0]!.der), Buffer.from(template.ca.cert.rawData));
  } finally {
    await card.close();
    token.cleanup();
  }
});

test('without --pkcs11-token the only initialised token is the card (SoftHSM\'s free slot is not)', async () => {
  const token = copyToken(template);
  process.env.SOFTHSM2_CONF = token.conf;
  const card = await openPkcs11Card({ modulePath: SOFTHSM_MODULE });
  try {
    assert.equal(card.token.label, CARD_NUMBER);
    assert.equal((await card.read()).number, CARD_NUMBER);
  } finally {
    await card.close();
    token.cleanup();
  }
});

test('a token whose serial and label are no card number is not a MOICA card', async () => {
  const token = makeTokenDir();
  initToken(token.conf, 'HiCOS PKI Smart Card');
  process.env.SOFTHSM2_CONF = token.conf;
  const card = await openPkcs11Card({ modulePath: SOFTHSM_MODULE, token: 'HiCOS PKI Smart Card' });
  try {
    await assert.rejects(card.read(), (e) => isMoicaError(e, 'not-moica'));
  } finally {
    await card.close();
    token.cleanup();
  }
});

test('a card-number token without SIGN or KEYX certificates is not a MOICA card', async () => {
  const token = makeTokenDir();
  initToken(token.conf, CARD_NUMBER);
  process.env.SOFTHSM2_CONF = token.conf;
  const card = await openPkcs11Card({ modulePath: SOFTHSM_MODULE, cardNumber: CARD_NUMBER });
  try {
    await assert.rejects(card.read(), (e) => isMoicaError(e, 'not-moica') && /SIGN or KEYX/.test(e.message));
  } finally {
    await card.close();
    token.cleanup();
  }
});
