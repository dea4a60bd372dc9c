import { test } from 'node:test';
import assert from 'node:assert/strict';
import { createPublicKey, verify } from 'node:crypto';
import { MoicaCard } from '../../source/card/moica.js';
import { VirtualCardWriter } from '../../source/card/writers/virtual-apdu.js';
import { pkcs1Block } from '../../source/card/writers/pkcs1.js';
import { checkPinFormat } from '../../source/card/pin.js';
import { isMoicaError } from '../../source/errors.js';
import { scriptedChannel, virtualCard } from './helpers.js';

const ascii = (s: string) => new Uint8Array(Buffer.from(s, 'ascii'));

test('refuses any card whose ATR is not exactly the virtual card\'s, before sending anything', async () => {
  const log: Uint8Array[] = [];
  // A real MOICA ATR on a card that answers like gen1.
  const channel = scriptedChannel('3BB813008131FA524348544D4F494341A5', (a) => (a[0] === 0x00 ? Uint8Array.of(0x6a, 0x82) : Uint8Array.of(0x90, 0x00)), log);
  const card = await MoicaCard.open(channel);
  const sent = log.length;
  assert.throws(() => new VirtualCardWriter(card), (e) => isMoicaError(e, 'pkcs11-unavailable'));
  assert.equal(log.length, sent);
});

test('a malformed PIN is refused before the card sees it', async () => {
  const { scenario, channel } = await virtualCard('valid');
  const writer = new VirtualCardWriter(await MoicaCard.open(channel));
  const before = scenario.card.stats.byInstruction['20'] ?? 0;
  for (const pin of ['12345', '123456789', '12a456', '']) {
    await assert.rejects(writer.verifyPin(ascii(pin)), (e) => isMoicaError(e, 'pin-malformed'));
  }
  assert.equal(scenario.card.stats.byInstruction['20'] ?? 0, before);
  assert.doesNotThrow(() => checkPinFormat(ascii('1234567')));
});

test('a wrong PIN: pin-wrong with tries left, one VERIFY only; then blocked', async () => {
  const { scenario, channel } = await virtualCard('valid');
  const writer = new VirtualCardWriter(await MoicaCard.open(channel));
  await assert.rejects(writer.verifyPin(ascii('000000')), (e) => isMoicaError(e, 'pin-wrong') && e.detail.triesLeft === 2 && !e.message.includes('000000'));
  assert.equal(scenario.card.stats.byInstruction['20'], 1, 'never retried');
  await assert.rejects(writer.verifyPin(ascii('000000')), (e) => isMoicaError(e, 'pin-wrong') && e.detail.triesLeft === 1);
  await assert.rejects(writer.verifyPin(ascii('000000')), (e) => isMoicaError(e, 'pin-blocked'));
  await assert.rejects(writer.verifyPin(ascii(scenario.pin)), (e) => isMoicaError(e, 'pin-blocked'));
});

test('after VERIFY, sign gives a PKCS#1 v1.5 SHA-256 signature that the holder key verifies', async () => {
  const { scenario, channel } = await virtualCard('valid');
  const writer = new VirtualCardWriter(await MoicaCard.open(channel));
  const message = ascii('proof of key possession');
  await assert.rejects(writer.sign(0, message), (e) => isMoicaError(e, 'card-error') && e.detail.sw === '6982');
  await writer.verifyPin(ascii(scenario.pin));
  for (const slot of [0, 1] as const) {
    const signature = await writer.sign(slot, message);
    const key = createPublicKey({ key: Buffer.from(await writer.publicKey(slot)), format: 'der', type: 'spki' });
    assert.equal(verify('sha256', message, key, Buffer.from(signature)), true);
  }
  const block = pkcs1Block(message);
  assert.deepEqual([...block.subarray(0, 2)], [0x00, 0x01]);
});

test('writeCertificate: body into the slot area, then the CDF entry; the card then reads the new one, consistent', async () => {
  const { scenario, channel } = await virtualCard('rewrite');
  const card = await MoicaCard.open(channel);
  const writer = new VirtualCardWriter(card);
  const backup = await writer.backupExtras();
  assert.ok(backup['cdf-5030-4104']!.length >= 0x400);
  await assert.rejects(writer.writeCertificate(0, scenario.issued[0].der), (e) => isMoicaError(e, 'card-error') && e.detail.sw === '6982');
  await writer.verifyPin(ascii(scenario.pin));
  for (const slot of [0, 1] as const) await writer.writeCertificate(slot, scenario.issued[slot].der);
  const again = await card.read();
  assert.equal(again.consistent, true);
  assert.deepEqual(again.certificates.map((c) => c.serialNumber), scenario.issued.map((c) => c.serialNumber));
  assert.equal(again.certificates[1]!.notAfter?.getTime(), scenario.issued[1].notAfter.getTime());
  assert.deepEqual(Buffer.from(await writer.readCertificate(1)), Buffer.from(scenario.issued[1].der));
  // A fresh session reads the same: the directory on the card changed, not a cache.
  const fresh = await MoicaCard.open(channel);
  assert.deepEqual((await fresh.read()).certificates.map((c) => c.serialNumber), scenario.issued.map((c) => c.serialNumber));
});

test('the CDF is the commit point: a card pulled after the body but before the CDF reads inconsistent', async () => {
  const { scenario, channel } = await virtualCard('rewrite');
  const card = await MoicaCard.open(channel);
  const writer = new VirtualCardWriter(card);
  await writer.verifyPin(ascii(scenario.pin));
  // Pull the card on the first write after the body's: the first CDF write.
  const cdfBefore = scenario.card.readFile('5030/4104');
  const bodyChunks = Math.ceil(scenario.issued[0].der.length / 200);
  let d6 = 0;
  const original = scenario.card.onExchange;
  scenario.card.onExchange = (c, r) => {
    original?.(c, r);
    if (c[1] === 0xd6 && ++d6 === bodyChunks) scenario.card.pullAfter(1, { tornBytes: 0 });
  };
  await assert.rejects(writer.writeCertificate(0, scenario.issued[0].der), (e) => isMoicaError(e, 'card-removed'));
  assert.equal(d6, bodyChunks);
  assert.deepEqual(Buffer.from(scenario.card.readFile('5030/4104')), Buffer.from(cdfBefore), 'CDF untouched (torn: 0 bytes)');
  const area = scenario.card.readFile('5030/08F2').subarray(0x0e00, 0x0e00 + scenario.issued[0].der.length);
  assert.deepEqual(Buffer.from(area), Buffer.from(scenario.issued[0].der), 'body written');
  // Reinsert and read: the body is new, the CDF old.
  const { InProcessTransport, VIRTUAL_READER } = await import('../../source/virtual/in-process.js');
  const transport = new InProcessTransport();
  transport.insert(scenario.card);
  const info = await (await MoicaCard.open(await transport.connect(VIRTUAL_READER))).read();
  assert.equal(info.consistent, false);
  assert.equal(info.certificates[0]!.consistent, false);
});

test('no waste: the writer reads the PuKDF and CDF once, sign selects nothing, a write keeps the selection, and readBack reads only what was written', async () => {
  const { scenario, channel, entries } = await virtualCard('rewrite');
  const card = await MoicaCard.open(channel);
  const writer = new VirtualCardWriter(card);
  await card.read();
  for (const slot of [0, 1] as const) await writer.publicKey(slot);
  await writer.verifyPin(ascii(scenario.pin));
  const beforeSign = entries.length;
  for (const slot of [0, 1] as const) await writer.sign(slot, ascii('challenge'));
  assert.deepEqual(entries.slice(beforeSign).map((e) => e.command[1]), [0xea, 0xea, 0xc1, 0xea, 0xea, 0xc1], 'no SELECT, no PuKDF read');
  await writer.backupExtras();
  for (const slot of [0, 1] as const) await writer.readCertificate(slot);
  const stats = scenario.card.stats;
  assert.equal(stats.maxReadCount('5030/4101'), 1);
  assert.equal(stats.maxReadCount('5030/4104'), 1, 'the CDF once, the backup\'s tail included');
  assert.equal(stats.maxReadCount('5030/08F2'), 1);
  const beforeWrite = entries.length;
  for (const slot of [0, 1] as const) await writer.writeCertificate(slot, scenario.issued[slot].der);
  const info = await writer.readBack();
  assert.equal(info.consistent, true);
  assert.deepEqual(info.certificates.map((c) => c.serialNumber), scenario.issued.map((c) => c.serialNumber));
  // Each body read back once before its commit; the CDF bytes written, read back once.
  assert.equal(stats.maxReadCount('5030/08F2'), 2);
  assert.equal(stats.maxReadCount('5030/4104'), 2);
  // A SELECT only where the file changes: 08F2 is current already for body 0, then 4104, 08F2, 4104.
  const selects = entries.slice(beforeWrite).filter((e) => e.command[1] === 0xa4).map((e) => Buffer.from(e.command.subarray(5, 7)).toString('hex'));
  assert.deepEqual(selects, ['4104', '08f2', '4104']);
  // The runner's read-back of the bodies comes from what was read back: no APDU.
  const sent = entries.length;
  for (const slot of [0, 1] as const) assert.deepEqual(Buffer.from(await writer.readCertificate(slot)), Buffer.from(scenario.issued[slot].der));
  assert.equal(entries.length, sent);
});
