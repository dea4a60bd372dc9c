import { test } from 'node:test';
import assert from 'node:assert/strict';
import { MoicaCard, looksLikeMoica, recordsEnd } from '../../source/card/moica.js';
import { isMoicaError } from '../../source/errors.js';
import { bytes, scriptedChannel, virtualCard } from './helpers.js';

for (const generation of [1, 2] as const) {
  for (const tagging of ['explicit', 'implicit'] as const) {
    test(`gen${generation}, ${tagging} typeAttributes: card number, both serials and validity`, async () => {
      const { scenario, channel } = await virtualCard('valid', { generation, tagging });
      const card = await MoicaCard.open(channel);
      assert.equal(card.generation, generation);
      const info = await card.read();
      assert.equal(info.number, 'TP03130708163649');
      assert.equal(info.generation, generation);
      assert.equal(info.virtual, true);
      assert.equal(info.consistent, true);
      assert.deepEqual(info.certificates.map((c) => [c.slot, c.usage, c.keyId]), [[0, 'signature', 'SIGN'], [1, 'encryption', 'KEYX']]);
      for (const slot of [0, 1] as const) {
        const expected = scenario.onCard[slot];
        const got = info.certificates[slot]!;
        assert.equal(got.serialNumber, expected.serialNumber);
        assert.equal(got.notBefore?.getTime(), expected.notBefore.getTime());
        assert.equal(got.notAfter?.getTime(), expected.notAfter.getTime());
        assert.match(got.subject, /王小明/);
        assert.match(got.issuer, /內政部憑證管理中心/);
      }
    });
  }
}

test('a full read on a card laid out like a real one: at most 16 APDUs, no byte read twice', async () => {
  for (const generation of [1, 2] as const) {
    const { scenario, channel, entries } = await virtualCard('valid', { generation });
    const card = await MoicaCard.open(channel);
    await card.read();
    assert.ok(entries.length <= 16, `gen${generation}: ${entries.length} APDUs`);
    // Byte ranges from the trace: every READ BINARY answer, per selected file.
    let current = '';
    const seen = new Map<string, Set<number>>();
    for (const e of entries) {
      const c = e.command;
      if (c[1] === 0xa4 && c[2] === 0x00) current = c[2] === 0x00 && c.length >= 7 ? Buffer.from(c.subarray(5, 7)).toString('hex') : current;
      if (c[1] !== 0xb0) continue;
      const offset = ((c[2]! & 0x7f) << 8) | c[3]!;
      const n = e.response!.length - 2;
      const set = seen.get(current) ?? new Set<number>();
      for (let i = offset; i < offset + n; i++) {
        assert.ok(!set.has(i), `gen${generation}: byte ${i} of ${current} read twice`);
        set.add(i);
      }
      seen.set(current, set);
    }
    // The card's own count agrees.
    assert.equal(scenario.card.stats.maxReadCount(), 1);
    // Only the start of each holder certificate was read, not its ~1 KB body.
    const certBytes = seen.get('08f2')!.size;
    assert.ok(certBytes <= 2 * 250, `${certBytes} bytes of 08F2 read`);
  }
});

test('an interrupted rewrite (body new, CDF old) is reported inconsistent, never valid', async () => {
  const { scenario, channel } = await virtualCard('inconsistent');
  const info = await (await MoicaCard.open(channel)).read();
  assert.equal(info.consistent, false);
  const [sign, keyx] = info.certificates;
  assert.equal(sign!.consistent, false);
  assert.equal(sign!.serialNumber, scenario.onCard[0].serialNumber, 'the serial is the CDF\'s');
  assert.equal(keyx!.consistent, true);
});

test('a card that is not MOICA: not-moica with its ATR', async () => {
  const atr = '3B8F8001804F0CA000000306030001000000006A';
  const log: Uint8Array[] = [];
  const channel = scriptedChannel(atr, (a) => (a[0] === 0x80 ? bytes('6E00') : bytes('6A82')), log);
  await assert.rejects(MoicaCard.open(channel), (e) => isMoicaError(e, 'not-moica') && e.detail.atr === atr);
  assert.equal(log.length, 2, 'gen2 AID, then gen1 MF: nothing more');
  assert.equal(looksLikeMoica(atr), false);
  assert.equal(looksLikeMoica('3BB813008131FA524348544D4F494341A5'), true);
  assert.equal(looksLikeMoica('3B8D8001564D4F4943412D53494D312E3046'), true);
});

// 16 letters would now be a card number (letters and digits, 12-16: card-number.ts); '-' never is.
test('a card with a MOICA-like root but no card number is not MOICA', async () => {
  const channel = scriptedChannel('3B00', (a) => (a[0] === 0x00 ? bytes('6A82') : a[1] === 0xa4 && a[5] === 0x3f ? bytes('9000') : a[1] === 0xa4 ? bytes('9000') : bytes('2D2D2D2D2D2D2D2D2D2D2D2D2D2D2D2D 9000')));
  const card = await MoicaCard.open(channel);
  await assert.rejects(card.read(), (e) => isMoicaError(e, 'not-moica'));
});

test('CA certificates and whole holder certificates only on request, from bytes not yet read', async () => {
  const { scenario, channel } = await virtualCard('valid');
  const card = await MoicaCard.open(channel);
  const info = await card.read();
  assert.deepEqual(info.caCertificates, []);
  const cas = await card.caCertificates();
  assert.deepEqual(cas.map((c) => Buffer.from(c.der).toString('hex')), [scenario.pki.root.certificate.der, scenario.pki.issuing.certificate.der].map((d) => Buffer.from(d).toString('hex')));
  const whole = await card.certificate(0);
  assert.deepEqual(Buffer.from(whole), Buffer.from(scenario.onCard[0].der));
  assert.equal(scenario.card.stats.maxReadCount(), 1);
});

test('public keys from the PuKDF and key records are the holder keys', async () => {
  for (const generation of [1, 2] as const) {
    const { scenario, channel } = await virtualCard('valid', { generation });
    const card = await MoicaCard.open(channel);
    assert.deepEqual(Buffer.from(await card.publicKey(0)), Buffer.from(scenario.holderKeys.SIGN.spki));
    assert.deepEqual(Buffer.from(await card.publicKey(1)), Buffer.from(scenario.holderKeys.KEYX.spki));
  }
});

test('directory records end at padding, at the used-length trailer, or not yet', () => {
  assert.equal(recordsEnd(bytes('30 01 00 00 00')), 3);
  assert.equal(recordsEnd(bytes('30 01 00 30 02 00 00 FF')), 7);
  assert.equal(recordsEnd(bytes('30 01 00 30 02 00 00 07 00')), 7, 'a full EF: the trailer right after the records');
  assert.equal(recordsEnd(bytes('30 01 00 30 05 00')), undefined);
});

test('a CA certificate\'s subject is formatted like a holder\'s issuer, so the issuing CA can be found', async () => {
  const { channel } = await virtualCard('valid');
  const card = await MoicaCard.open(channel);
  const info = await card.read();
  const cas = await card.caCertificates();
  const issuing = cas.find((c) => c.subject === info.certificates[0]!.issuer);
  assert.ok(issuing, `${cas.map((c) => c.subject).join(' | ')} vs ${info.certificates[0]!.issuer}`);
  assert.match(issuing.serialNumber, /^[1-9A-F][0-9A-F]*$/);
});

test('read() reads the card again each time (after a write by another path, caches would lie)', async () => {
  const { scenario, channel, entries } = await virtualCard('valid');
  const card = await MoicaCard.open(channel);
  await card.read();
  const first = entries.length;
  // Another writer moves the card's current file behind the session's back.
  await channel.transmit(Uint8Array.from([0x80, 0xa4, 0x00, 0x00, 0x02, 0x09, 0x00]));
  const again = await card.read();
  assert.equal(again.number, 'TP03130708163649');
  assert.ok(entries.length > first + 10);
  assert.equal(scenario.card.stats.maxReadCount(), 2);
});
