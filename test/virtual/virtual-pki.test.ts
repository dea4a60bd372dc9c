import { after, before, describe, test } from 'node:test';
import assert from 'node:assert/strict';
import { execFileSync } from 'node:child_process';
import { X509Certificate } from 'node:crypto';
import { existsSync, mkdtempSync, readFileSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import * as asn1js from 'asn1js';
import { buildNamedScenario, DEMO_NAMES, type DemoName } from '../../source/virtual/demos.js';
import { importKeyPair, pooledKeyPair } from '../../source/virtual/key-pool.js';
import { buildScenario, type BuiltScenario } from '../../source/virtual/scenario.js';
import { normalizeSerial } from '../../source/virtual/serial.js';
import { isMoicaError } from '../../source/errors.js';
import { parseEntries, readDirectory, send, typeAttributeFields } from '../rig/virtual-apdu.js';

const NOW = new Date('2026-03-01T00:00:00Z');
const DAY = 86_400_000;
const demos = new Map<DemoName, BuiltScenario>();
let dir: string;

/** The content octets of a certificate's serial INTEGER, as hex. */
function serialOctets(der: Uint8Array): string {
  const certificate = asn1js.fromBER(der).result as asn1js.Sequence;
  const tbs = certificate.valueBlock.value[0] as asn1js.Sequence;
  const serial = tbs.valueBlock.value[1] as asn1js.Integer;
  return Buffer.from(serial.valueBlock.valueHexView).toString('hex').toUpperCase();
}

before(async () => {
  dir = mkdtempSync(join(tmpdir(), 'moica-pki-'));
  for (const name of DEMO_NAMES) demos.set(name, await buildNamedScenario(name, { now: NOW, ocspUrl: 'http://127.0.0.1:8888/ocsp' }));
});
after(() => rmSync(dir, { recursive: true, force: true }));

describe('test PKI', () => {
  test('serial numbers: odd length gets a leading 0 octet, a set top bit a leading 00, none otherwise', () => {
    assert.equal(serialOctets(demos.get('valid')!.onCard[0].der), '03B7161C40F46488916A');
    assert.equal(serialOctets(demos.get('revoked')!.onCard[0].der), '00BC3587C88F47E73FAC23');
    assert.equal(serialOctets(demos.get('suspended')!.onCard[0].der), '0800063B6593F4FD861560');
    assert.equal(serialOctets(demos.get('valid')!.onCard[1].der), '69D8DCA6BECC064523');
    assert.equal(demos.get('suspended')!.onCard[0].serialNumber, '800063B6593F4FD861560');
    assert.equal(normalizeSerial('000abc'), 'ABC');
    assert.throws(() => normalizeSerial('12G4'), (e) => isMoicaError(e, 'usage'));
  });

  test('holder certificates: CN, MOICA-like issuer, chosen dates, AIA OCSP, key usage, chain to the root', () => {
    const built = demos.get('valid')!;
    const [sign, keyx] = built.onCard.map((c) => new X509Certificate(c.der));
    const ca = new X509Certificate(built.pki.issuing.certificate.der);
    const root = new X509Certificate(built.pki.root.certificate.der);
    assert.match(sign!.subject, /CN=王小明/);
    assert.match(sign!.issuer, /O=行政院/);
    assert.match(sign!.issuer, /OU=內政部憑證管理中心 test/);
    assert.equal(new Date(sign!.validFrom).getTime(), NOW.getTime() - 400 * DAY);
    assert.equal(new Date(sign!.validTo).getTime(), NOW.getTime() + (1826 - 400) * DAY);
    assert.match(sign!.infoAccess ?? '', /OCSP - URI:http:\/\/127\.0\.0\.1:8888\/ocsp/);
    assert.ok(sign!.verify(ca.publicKey) && keyx!.verify(ca.publicKey) && ca.verify(root.publicKey));
    assert.ok(ca.ca && root.ca && !sign!.ca);
    assert.equal(sign!.publicKey.asymmetricKeyDetails?.modulusLength, 2048);
    const usage = (der: Uint8Array): string => execFileSync('openssl', ['x509', '-inform', 'DER', '-noout', '-ext', 'keyUsage'],
      { input: der }).toString();
    assert.match(usage(built.onCard[0].der), /Digital Signature/);
    assert.doesNotMatch(usage(built.onCard[0].der), /Key Encipherment/);
    assert.match(usage(built.onCard[1].der), /Key Encipherment/);
  });

  test('key pool: one index, one key pair; MOICA_VIRTUAL_KEY_CACHE keeps it on disk for other processes', async () => {
    assert.equal(await pooledKeyPair(2), await pooledKeyPair(2));
    const cache = join(dir, 'keys');
    process.env['MOICA_VIRTUAL_KEY_CACHE'] = cache;
    try {
      const key = await pooledKeyPair(40);
      const file = join(cache, 'rsa2048-40.p8');
      assert.ok(existsSync(file));
      const again = await importKeyPair(readFileSync(file));
      assert.deepEqual(again.spki, key.spki);
    } finally {
      delete process.env['MOICA_VIRTUAL_KEY_CACHE'];
    }
  });

  test('the exported PEM files work as CA and responder for `openssl ocsp`', async () => {
    for (const name of ['valid', 'revoked', 'suspended'] as const) {
      const built = demos.get(name)!;
      const files = await built.pki.writePemFiles(join(dir, name));
      const index = join(dir, name, 'index.txt');
      await built.ocsp.writeOpensslIndex(index);
      const serial = `0x${built.onCard[0].serialNumber}`;
      const request = join(dir, name, 'req.der');
      const response = join(dir, name, 'resp.der');
      execFileSync('openssl', ['ocsp', '-issuer', files.ca, '-serial', serial, '-no_nonce', '-reqout', request]);
      execFileSync('openssl', ['ocsp', '-index', index, '-rsigner', files.ca, '-rkey', files.caKey, '-CA', files.ca,
        '-reqin', request, '-respout', response, '-ndays', '1'], { stdio: 'ignore' });
      const out = execFileSync('openssl', ['ocsp', '-respin', response, '-issuer', files.ca, '-CAfile', files.chain,
        '-serial', serial, '-no_nonce'], { stdio: ['ignore', 'pipe', 'pipe'] }).toString();
      const expected = { valid: /: good/, revoked: /: revoked[\s\S]*Reason: keyCompromise/, suspended: /: revoked[\s\S]*Reason: certificateHold/ };
      assert.match(out, expected[name], `${name}: ${out}`);
    }
  });
});

describe('scenarios', () => {
  test('each demo lists its card with the statuses of cli.md, and the DER of every serial it names', () => {
    const expected: Record<DemoName, { card: string; status: string; match: boolean }> = {
      valid: { card: 'TP03130708163649', status: 'valid', match: true },
      rewrite: { card: 'TP03130708163649', status: 'valid', match: false },
      revoked: { card: 'TP03110118038622', status: 'revoked', match: true },
      suspended: { card: 'TP03140220064550', status: 'suspended', match: true },
      expired: { card: 'GP0000000615421', status: 'expired', match: true },
    };
    for (const name of DEMO_NAMES) {
      const built = demos.get(name)!;
      const card = built.registryData.cards[expected[name].card];
      assert.ok(card, name);
      assert.deepEqual(card.certificates.map((c) => [c.slot, c.usage, c.status]),
        [[0, 'signature', expected[name].status], [1, 'encryption', expected[name].status]], name);
      const onCard = built.onCard.map((c) => c.serialNumber);
      assert.equal(card.certificates.every((c, i) => c.serialNumber === onCard[i]), expected[name].match, name);
      for (const c of card.certificates) {
        const der = Buffer.from(built.registryData.certificates[c.serialNumber] ?? '', 'base64');
        const x509 = new X509Certificate(der);
        assert.equal(normalizeSerial(x509.serialNumber), c.serialNumber);
        assert.equal(new Date(x509.validTo).toISOString(), c.notAfter);
        assert.equal(c.serialNumber, normalizeSerial(c.serialNumber), 'printed without leading zeros');
      }
    }
  });

  test('rewrite: new serials and dates, the same key pairs as on the card, renewedFrom the old serials', () => {
    const built = demos.get('rewrite')!;
    const [issuedSign, issuedKeyx] = built.registryData.cards['TP03130708163649']!.certificates;
    assert.equal(issuedSign!.renewedFrom, '3B7161C40F46488916A');
    assert.equal(issuedKeyx!.renewedFrom, '69D8DCA6BECC064523');
    assert.equal(issuedKeyx!.serialNumber, 'C11E03D95AB2F40C37', 'leading zero dropped');
    for (const slot of [0, 1] as const) {
      const old = new X509Certificate(built.onCard[slot].der);
      const renewed = new X509Certificate(built.issued[slot].der);
      assert.notEqual(old.serialNumber, renewed.serialNumber);
      assert.ok(new Date(renewed.validTo) > new Date(old.validTo));
      assert.ok(old.publicKey.equals(renewed.publicKey), `slot ${slot} keeps its key`);
      assert.equal(built.ocsp.entries[built.issued[slot].serialNumber]?.status, 'good');
    }
    const card = built.card;
    card.powerOn();
    const serials = parseEntries(readDirectory(card, '4104', 0x400)).slice(2).map((entry) => {
      const serial = typeAttributeFields(entry).fields[3] as asn1js.Integer;
      return normalizeSerial(Buffer.from(serial.valueBlock.valueHexView).toString('hex'));
    });
    assert.deepEqual(serials, ['3B7161C40F46488916A', '69D8DCA6BECC064523'], 'the card still holds the old ones');
  });

  test('OCSP fixture: revoked → keyCompromise, suspended → certificateHold, expired stays good past notAfter', () => {
    const entry = (name: DemoName) => demos.get(name)!.ocsp.entries[demos.get(name)!.onCard[0].serialNumber]!;
    assert.deepEqual([entry('revoked').status, entry('revoked').reason], ['revoked', 'keyCompromise']);
    assert.deepEqual([entry('suspended').status, entry('suspended').reason], ['revoked', 'certificateHold']);
    assert.ok(entry('suspended').revokedAt! < NOW);
    assert.deepEqual([entry('expired').status, entry('expired').reason], ['good', null]);
    assert.ok(entry('expired').notAfter < NOW);
    assert.equal(demos.get('valid')!.ocsp.issuer.der, demos.get('valid')!.pki.issuing.certificate.der);
  });

  test('inconsistent: the SIGN body is the renewal while the CDF still names the old serial', async () => {
    const built = await buildNamedScenario('inconsistent', { now: NOW });
    const area = built.card.readFile('5030/08F2').subarray(0x0e00, 0x0e00 + built.issued[0].der.length);
    assert.deepEqual(Buffer.from(area), Buffer.from(built.issued[0].der));
    built.card.powerOn();
    const sign = parseEntries(readDirectory(built.card, '4104', 0x400))[2]!;
    const serial = typeAttributeFields(sign).fields[3] as asn1js.Integer;
    assert.equal(normalizeSerial(Buffer.from(serial.valueBlock.valueHexView).toString('hex')), '3B7161C40F46488916A');
  });

  test('custom scenario: OCSP may disagree with the registry; bad input is a usage error', async () => {
    const built = await buildScenario({
      name: 'disagree', cardNumber: 'AB12345678901234', pin: '87654321', tries: 5, faults: { sw6987: 1 },
      onCard: [
        { serialNumber: '0001', notBefore: -10, notAfter: 100, ocsp: { status: 'revoked', reason: 'certificateHold' } },
        { serialNumber: 'FF', notBefore: -10, notAfter: 100 },
      ],
    }, { now: NOW });
    assert.equal(built.registryData.cards['AB12345678901234']!.certificates[0]!.status, 'valid');
    assert.equal(built.ocsp.entries['1']!.reason, 'certificateHold');
    assert.equal(built.card.triesLeft, 5);
    built.card.powerOn();
    for (const fid of ['3F00', '5030', '08F2']) assert.equal(send(built.card, `80A4000002${fid}`).swHex, '9000');
    assert.equal(send(built.card, '80B0000020').swHex, '6987', 'the scenario\'s fault knob is set');
    assert.equal(send(built.card, '80B0000020').swHex, '9000');
    const bad = (patch: object) => buildScenario({
      name: 'bad', cardNumber: 'AB12345678901234',
      onCard: [{ serialNumber: '1', notBefore: -1, notAfter: 1 }, { serialNumber: '2', notBefore: -1, notAfter: 1 }],
      ...patch,
    });
    await assert.rejects(bad({ cardNumber: 'AB123' }), (e) => isMoicaError(e, 'usage'));
    await assert.rejects(bad({ pin: '12345' }), (e) => isMoicaError(e, 'usage'));
    await assert.rejects(bad({ pin: '12ab56' }), (e) => isMoicaError(e, 'usage'));
    await assert.rejects(bad({ onCard: [{ serialNumber: 'xyz', notBefore: -1, notAfter: 1 },
      { serialNumber: '2', notBefore: -1, notAfter: 1 }] }), (e) => isMoicaError(e, 'usage'));
    await assert.rejects(bad({ onCard: [{ serialNumber: '1', notBefore: 1, notAfter: -1 },
      { serialNumber: '2', notBefore: -1, notAfter: 1 }] }), (e) => isMoicaError(e, 'usage'));
  });
});
