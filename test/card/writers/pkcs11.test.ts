import assert from 'node:assert/strict';
import { createPublicKey, verify, webcrypto } from 'node:crypto';
import { after, before, test } from 'node:test';
import { isMoicaError } from '../../../source/errors.js';
import { certificateMatchesKey, openPkcs11Card, type Pkcs11Card } from '../../../source/card/pkcs11/index.js';
import type { OpenModuleOptions } from '../../../source/card/pkcs11/module.js';
import { CARD_NUMBER, copyToken, ID_HEX, issue, listCertificates, makeTemplateToken, SOFTHSM_MODULE, USER_PIN,
  writeCertObject, type TemplateToken, type TokenDir } from '../pkcs11/softhsm.js';
import { counting, lockingToken, type Calls } from '../pkcs11/wrap.js';

let template: TemplateToken;
before(async () => { template = await makeTemplateToken(); });
after(() => template.cleanup());

const pin = (s: string) => new Uint8Array(Buffer.from(s, 'ascii'));

async function withCard(fn: (card: Pkcs11Card, token: TokenDir) => Promise<void>, options: OpenModuleOptions = {}): Promise<void> {
  const token = copyToken(template);
  process.env.SOFTHSM2_CONF = token.conf;
  const card = await openPkcs11Card({ modulePath: SOFTHSM_MODULE, cardNumber: CARD_NUMBER, ...options });
  try {
    await fn(card, token);
  } finally {
    await card.close();
    token.cleanup();
  }
}

const newValidity = { notBefore: new Date('2024-06-01T00:00:00Z'), notAfter: new Date('2032-06-01T00:00:00Z') };

test('publicKey(slot) is the key pair with CKA_ID SIGN / KEYX, as SPKI DER', () => withCard(async (card) => {
  const writer = card.writer();
  for (const [slot, id] of [[0, 'SIGN'], [1, 'KEYX']] as const) {
    const spki = await writer.publicKey(slot);
    assert.ok(createPublicKey({ key: Buffer.from(spki), format: 'der', type: 'spki' })
      .equals(createPublicKey({ key: Buffer.from(template.spki[id]), format: 'der', type: 'spki' })));
  }
  assert.notDeepEqual(await writer.publicKey(0), await writer.publicKey(1));
}));

test('the right PIN logs in, zeroes the PIN buffer, and sign() makes a SHA256-RSA signature of the card key', () => withCard(async (card) => {
  const writer = card.writer();
  const buffer = pin(USER_PIN);
  await writer.verifyPin(buffer);
  assert.ok(buffer.every((b) => b === 0));
  const message = Buffer.from('proof that the card holds the key');
  for (const [slot, id] of [[0, 'SIGN'], [1, 'KEYX']] as const) {
    const signature = await writer.sign(slot, message);
    assert.equal(signature.length, 256);
    const key = createPublicKey({ key: Buffer.from(template.spki[id]), format: 'der', type: 'spki' });
    assert.ok(verify('sha256', message, key, signature));
  }
}));

test('sign() before verifyPin() is refused without touching the card', () => withCard(async (card) => {
  await assert.rejects(card.writer().sign(0, new Uint8Array([1])), (e) => isMoicaError(e, 'internal'));
}));

test('a wrong PIN: pin-wrong with SoftHSM\'s COUNT_LOW hint, C_Login called once, buffer zeroed', async () => {
  const calls: Calls = new Map();
  await withCard(async (card) => {
    const buffer = pin('000000');
    await assert.rejects(card.writer().verifyPin(buffer),
      (e) => isMoicaError(e, 'pin-wrong') && e.detail.triesLeft === 'low' && !e.message.includes('000000'));
    assert.equal(calls.get('C_Login'), 1);
    assert.ok(buffer.every((b) => b === 0));
  }, { wrapApi: counting(calls) });
});

test('a malformed PIN never reaches C_Login', async () => {
  const calls: Calls = new Map();
  await withCard(async (card) => {
    for (const bad of ['12345', '123456789', '12a456', '', '１２３４５６']) {
      const buffer = pin(bad);
      await assert.rejects(card.writer().verifyPin(buffer), (e) => isMoicaError(e, 'pin-malformed'));
      assert.ok(buffer.every((b) => b === 0));
    }
    assert.equal(calls.get('C_Login') ?? 0, 0);
  }, { wrapApi: counting(calls) });
});

test('a token that locks: final try → triesLeft 1, last wrong try → pin-blocked, then refused before C_Login', async () => {
  const calls: Calls = new Map();
  await withCard(async (card) => {
    const writer = card.writer();
    await assert.rejects(writer.verifyPin(pin('000000')), (e) => isMoicaError(e, 'pin-wrong') && e.detail.triesLeft === 1);
    await assert.rejects(writer.verifyPin(pin('000000')), (e) => isMoicaError(e, 'pin-blocked'));
    await assert.rejects(writer.verifyPin(pin(USER_PIN)), (e) => isMoicaError(e, 'pin-blocked'));
    assert.equal(calls.get('C_Login'), 2);
  }, { wrapApi: lockingToken(calls, 2) });
});

test('CKR_PIN_LOCKED from C_Login maps to pin-blocked', async () => {
  const calls: Calls = new Map();
  await withCard(async (card) => {
    await assert.rejects(card.writer().verifyPin(pin(USER_PIN)), (e) => isMoicaError(e, 'pin-blocked'));
    assert.equal(calls.get('C_Login'), 1);
  }, {
    wrapApi: (api, lib) => counting(calls, {
      C_Login() { throw new lib.Pkcs11Error('CKR_PIN_LOCKED', lib.CKR_PIN_LOCKED, 'C_Login'); },
    })(api),
  });
});

test('writeCertificate replaces SIGN: pkcs11-tool shows the new serial, one certificate per CKA_ID, same label', () => withCard(async (card, token) => {
  const fresh = await issue(template.ca, template.spki.SIGN, { serialNumber: '4c0ffee0123456789a', ...newValidity, usage: 'S' });
  const writer = card.writer();
  await writer.verifyPin(pin(USER_PIN));
  const extras = await writer.backupExtras();
  assert.deepEqual(JSON.parse(Buffer.from(extras['pkcs11-token.json']!).toString()).labels, { SIGN: ['SIGN'], KEYX: ['KEYX'] });
  assert.deepEqual(Buffer.from(await writer.readCertificate(0)), Buffer.from(template.oldCerts.SIGN.rawData));
  const landed: number[] = [];
  await writer.writeCertificate(0, new Uint8Array(fresh.rawData), (done) => landed.push(done));
  // One C_CreateObject: one honest step, all the bytes (issue 14 item 12).
  assert.deepEqual(landed, [fresh.rawData.byteLength]);
  assert.deepEqual(Buffer.from(await writer.readCertificate(0)), Buffer.from(fresh.rawData));
  const listed = listCertificates(token.conf, CARD_NUMBER);
  assert.deepEqual(listed.filter((c) => c.id === ID_HEX.SIGN), [{ label: 'SIGN', serial: '4C0FFEE0123456789A', id: ID_HEX.SIGN }]);
  assert.deepEqual(listed.filter((c) => c.id === ID_HEX.KEYX).map((c) => c.serial), ['A0B1C2D3E4F5061728']);
  const info = await card.read();
  assert.deepEqual(info.certificates.map((c) => c.serialNumber), ['4C0FFEE0123456789A', 'A0B1C2D3E4F5061728']);
  assert.equal(info.certificates[0]!.notBefore?.toISOString(), newValidity.notBefore.toISOString());
}));

test('writing the certificate the slot already holds changes nothing', () => withCard(async (card, token) => {
  const writer = card.writer();
  await writer.verifyPin(pin(USER_PIN));
  await writer.writeCertificate(1, new Uint8Array(template.oldCerts.KEYX.rawData));
  assert.deepEqual(listCertificates(token.conf, CARD_NUMBER).filter((c) => c.id === ID_HEX.KEYX).map((c) => c.serial), ['A0B1C2D3E4F5061728']);
}));

test('a certificate for another key is refused and the token keeps the old one', () => withCard(async (card, token) => {
  const other = await webcrypto.subtle.generateKey({ name: 'RSASSA-PKCS1-v1_5', hash: 'SHA-256', publicExponent: new Uint8Array([1, 0, 1]), modulusLength: 2048 }, true, ['sign', 'verify']) as CryptoKeyPair;
  const otherSpki = new Uint8Array(await webcrypto.subtle.exportKey('spki', other.publicKey));
  const foreign = await issue(template.ca, otherSpki, { serialNumber: '5eed', ...newValidity, usage: 'S' });
  const writer = card.writer();
  await writer.verifyPin(pin(USER_PIN));
  // The KEYX certificate on SIGN is the same mistake with a key the card does hold.
  for (const [slot, der] of [[0, foreign.rawData], [0, template.oldCerts.KEYX.rawData], [1, new Uint8Array([0x30, 0x03, 0x02, 0x01, 0x01])]] as const) {
    await assert.rejects(writer.writeCertificate(slot, new Uint8Array(der)), (e) => isMoicaError(e, 'rewrite-refused'));
  }
  assert.deepEqual(listCertificates(token.conf, CARD_NUMBER).filter((c) => c.id !== '4341').map((c) => c.serial).sort(),
    ['3B7161C40F46488916A', 'A0B1C2D3E4F5061728']);
}));

test('certificateMatchesKey compares keys, not encodings', async () => {
  const sign = new Uint8Array(template.oldCerts.SIGN.rawData);
  assert.equal(certificateMatchesKey(sign, template.spki.SIGN), true);
  assert.equal(certificateMatchesKey(sign, template.spki.KEYX), false);
  assert.equal(certificateMatchesKey(sign, new Uint8Array([1, 2, 3])), false);
});

test('two certificates for one CKA_ID (an interrupted write): read reports the newest, the next login removes the other', () => withCard(async (card, token) => {
  const fresh = await issue(template.ca, template.spki.SIGN, { serialNumber: '77', ...newValidity, usage: 'S' });
  writeCertObject(token.conf, CARD_NUMBER, new Uint8Array(fresh.rawData), ID_HEX.SIGN, 'SIGN');
  assert.equal(listCertificates(token.conf, CARD_NUMBER).filter((c) => c.id === ID_HEX.SIGN).length, 2);
  assert.equal((await card.read()).certificates[0]!.serialNumber, '77');
  assert.equal(listCertificates(token.conf, CARD_NUMBER).filter((c) => c.id === ID_HEX.SIGN).length, 2, 'reading changes nothing');
  await card.writer().verifyPin(pin(USER_PIN));
  assert.deepEqual(listCertificates(token.conf, CARD_NUMBER).filter((c) => c.id === ID_HEX.SIGN).map((c) => c.serial), ['77']);
}));

test('end() logs out and closes the session; close() finalizes the module once', async () => {
  const calls: Calls = new Map();
  await withCard(async (card) => {
    const writer = card.writer();
    await writer.verifyPin(pin(USER_PIN));
    await writer.end();
    assert.equal(calls.get('C_Logout'), 1);
    assert.equal(calls.get('C_CloseSession'), 1);
    await card.close();
    await card.close();
    assert.equal(calls.get('C_Finalize'), 1);
  }, { wrapApi: counting(calls) });
});

/** A card with one certificate area per key: a second certificate object for a CKA_ID does not fit. */
function oneAreaPerKey(calls: Calls): NonNullable<OpenModuleOptions['wrapApi']> {
  return (api, lib) => counting(calls, {
    C_CreateObject(session, template) {
      const id = template.find((a) => a.type === lib.CKA_ID)!.value as Buffer;
      api.C_FindObjectsInit(session, [{ type: lib.CKA_CLASS, value: lib.CKO_CERTIFICATE }, { type: lib.CKA_ID, value: id }]);
      const taken = api.C_FindObjects(session, 1).length > 0;
      api.C_FindObjectsFinal(session);
      if (taken) throw new lib.Pkcs11Error('CKR_DEVICE_MEMORY', lib.CKR_DEVICE_MEMORY, 'C_CreateObject');
      return api.C_CreateObject(session, template);
    },
  })(api);
}

// Issue 12 item 5 changed this: CKR_DEVICE_MEMORY used to make the writer destroy the old certificate first
// and then create the new one; a module that then refused the create too left the slot empty. Now the card
// is left as it was, and the error says to use the issuer's page.
test('a card with no room for a second certificate (CKR_DEVICE_MEMORY): nothing destroyed, pkcs11-cannot-write', async () => {
  const calls: Calls = new Map();
  const fresh = await issue(template.ca, template.spki.SIGN, { serialNumber: '4c0ffee0123456789a', ...newValidity, usage: 'S' });
  await withCard(async (card, token) => {
    const writer = card.writer();
    await writer.verifyPin(pin(USER_PIN));
    await assert.rejects(writer.writeCertificate(0, new Uint8Array(fresh.rawData)),
      (e) => isMoicaError(e, 'pkcs11-cannot-write') && e.detail.ckr === 'CKR_DEVICE_MEMORY' && e.detail.state === 'unchanged' && /檢測重寫/.test(e.message));
    assert.equal(calls.get('C_CreateObject'), 1);
    assert.equal(calls.get('C_DestroyObject') ?? 0, 0, 'the old certificate was never destroyed');
    assert.deepEqual(listCertificates(token.conf, CARD_NUMBER).filter((c) => c.id === ID_HEX.SIGN),
      [{ label: 'SIGN', serial: '3B7161C40F46488916A', id: ID_HEX.SIGN }]);
  }, { wrapApi: oneAreaPerKey(calls) });
});

test('a module without CKM_SHA256_RSA_PKCS: sign() hashes itself and uses CKM_RSA_PKCS, same signature', async () => {
  const calls: Calls = new Map();
  await withCard(async (card) => {
    const writer = card.writer();
    await writer.verifyPin(pin(USER_PIN));
    const message = Buffer.from('challenge');
    const signature = await writer.sign(1, message);
    assert.ok(verify('sha256', message, createPublicKey({ key: Buffer.from(template.spki.KEYX), format: 'der', type: 'spki' }), signature));
    assert.equal(calls.get('C_SignInit'), 2);
  }, {
    wrapApi: (api, lib) => counting(calls, {
      C_SignInit(session, mechanism, key) {
        if (mechanism.mechanism === lib.CKM_SHA256_RSA_PKCS) throw new lib.Pkcs11Error('CKR_MECHANISM_INVALID', lib.CKR_MECHANISM_INVALID, 'C_SignInit');
        return api.C_SignInit(session, mechanism, key);
      },
    })(api),
  });
});
