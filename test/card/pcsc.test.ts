/** PcscTransport against a stand-in for the binding: the state logic, without pcscd (the rig test has that). */
import { test } from 'node:test';
import assert from 'node:assert/strict';
import { PcscTransport } from '../../source/card/pcsc.js';
import type { TransportEvent } from '../../source/card/types.js';
import { isMoicaError } from '../../source/errors.js';
import { EMPTY, FakePcsc, FakeReader, INUSE, PRESENT } from './pcsc-fake.js';

const ATR_A = '3B8D8001564D4F4943412D53494D312E3046';
const ATR_B = '3BB813008131FA524348544D4F494341A5';

function setup(options: { timeoutMs?: number } = {}) {
  const fake = new FakePcsc();
  const events: TransportEvent[] = [];
  const transport = new PcscTransport(fake.factory as never, { retryMs: 5, ...options });
  transport.on((e) => events.push(e));
  return { fake, transport, events };
}

/**
 * Waits for an event matching `pred` (events already seen count). The transport's retry timer is unref'd
 * (it must never keep the CLI alive), so the wait holds the event loop open itself.
 */
function until(events: TransportEvent[], pred: (e: TransportEvent) => boolean, transport: PcscTransport): Promise<void> {
  if (events.some(pred)) return Promise.resolve();
  const keepAlive = setInterval(() => undefined, 1000);
  return new Promise<void>((resolve) => {
    const off = transport.on((e) => {
      if (pred(e)) {
        off();
        resolve();
      }
    });
  }).finally(() => clearInterval(keepAlive));
}

async function withReader(card?: string) {
  const s = setup();
  const reader = new FakeReader('Virtual PCD 00 00');
  await new Promise((r) => process.nextTick(r));
  s.fake.current.list([reader]);
  const ready = s.transport.ready();
  reader.status(card ? PRESENT | (1 << 16) : EMPTY, card);
  await ready;
  return { ...s, reader };
}

test('ready() waits for the first listing and each reader\'s first status; readers() shows card and ATR', async () => {
  const { transport, reader } = await withReader(ATR_A);
  assert.equal(transport.serviceUp(), true);
  assert.deepEqual(transport.readers(), [{ name: reader.name, cardPresent: true, atr: ATR_A, eventCount: 1 }]);
  await transport.close();
});

test('with no reader at all, ready() still resolves after the listing', async () => {
  const { fake, transport } = setup();
  await new Promise((r) => process.nextTick(r));
  const ready = transport.ready();
  fake.current.list([]);
  await ready;
  assert.deepEqual(transport.readers(), []);
  await transport.close();
});

test('status flags are masked; a changed counter with a card still present is a swap: removed + inserted', async () => {
  const { transport, reader, events } = await withReader(ATR_A);
  events.length = 0;
  reader.status(PRESENT | INUSE | (1 << 16), ATR_A); // our own connect: same card
  assert.equal(events.length, 0);
  reader.status(PRESENT | (3 << 16), ATR_A); // two events merged: out and in again
  assert.deepEqual(events.map((e) => e.type), ['card-removed', 'card-inserted']);
  reader.status(PRESENT | (3 << 16), ATR_B); // another ATR: another card
  assert.deepEqual(events.map((e) => e.type), ['card-removed', 'card-inserted', 'card-removed', 'card-inserted']);
  reader.status(EMPTY | (4 << 16));
  assert.equal(events.at(-1)?.type, 'card-removed');
  assert.equal(transport.readers()[0]?.cardPresent, false);
  await transport.close();
});

test('connect is SHARED; APDUs on one reader never overlap; a channel to a removed card fails, a new connect works', async () => {
  const { transport, reader } = await withReader(ATR_A);
  const channel = await transport.connect(reader.name);
  assert.equal(reader.connects[0]?.share_mode, reader.SCARD_SHARE_SHARED);
  const replies = await Promise.all([1, 2, 3, 4].map((n) => channel.transmit(Uint8Array.of(0x80, 0xb0, 0, n))));
  assert.equal(replies.length, 4);
  assert.equal(reader.maxInFlight, 1);
  reader.status(EMPTY | (2 << 16));
  await assert.rejects(channel.transmit(Uint8Array.of(0x80, 0xa4, 0, 0)), (e) => isMoicaError(e, 'card-removed'));
  await assert.rejects(transport.connect(reader.name), (e) => isMoicaError(e, 'no-card'));
  reader.status(PRESENT | (3 << 16), ATR_B);
  // The binding still says "connected": the transport disconnects first, else connect() gives no protocol.
  const again = await transport.connect(reader.name);
  assert.equal(again.atr, ATR_B);
  assert.ok(reader.disconnects >= 1);
  assert.deepEqual([...(await again.transmit(Uint8Array.of(0x80, 0xa4, 0, 0)))], [0x90, 0x00]);
  await again.close();
  await transport.close();
});

test('a reply shorter than 2 bytes is card-removed; a silent card is card-timeout, never a hang', async () => {
  const { transport, reader } = await withReader(ATR_A);
  const channel = await transport.connect(reader.name);
  reader.answer = () => Buffer.alloc(0);
  await assert.rejects(channel.transmit(Uint8Array.of(0x80, 0xb0, 0, 0, 1)), (e) => isMoicaError(e, 'card-removed'));
  await transport.close();

  const silent = await (async () => {
    const s = setup({ timeoutMs: 30 });
    const r = new FakeReader('Virtual PCD 00 00');
    await new Promise((res) => process.nextTick(res));
    s.fake.current.list([r]);
    r.status(PRESENT | (1 << 16), ATR_A);
    await s.transport.ready();
    return { ...s, reader: r };
  })();
  const ch = await silent.transport.connect(silent.reader.name);
  silent.reader.answer = undefined;
  await assert.rejects(ch.transmit(Uint8Array.of(0x80, 0xb0, 0, 0, 1)), (e) => isMoicaError(e, 'card-timeout'));
  await assert.rejects(ch.transmit(Uint8Array.of(0x80, 0xb0, 0, 0, 1)), (e) => isMoicaError(e, 'card-timeout'), 'the connection is not reused');
  await silent.transport.close();
});

test('transmit errors from pcsc-lite are typed by their code', async () => {
  const { transport, reader } = await withReader(ATR_A);
  const channel = await transport.connect(reader.name);
  reader.transmitError = new Error('SCardTransmit error: Card was removed.(0x80100069)');
  await assert.rejects(channel.transmit(Uint8Array.of(0x80, 0xb0, 0, 0, 1)), (e) => isMoicaError(e, 'card-removed'));
  await transport.close();
});

test('pcscd not running: service down, then up by itself when it starts, with its readers', async () => {
  const fake = new FakePcsc();
  fake.serviceUp = false;
  const transport = new PcscTransport(fake.factory as never, { retryMs: 5 });
  const events: TransportEvent[] = [];
  transport.on((e) => events.push(e));
  await transport.ready();
  assert.equal(transport.serviceUp(), false);
  await assert.rejects(transport.connect('Virtual PCD 00 00'), (e) => isMoicaError(e, 'no-reader'));
  const up = until(events, (e) => e.type === 'service' && e.up, transport);
  fake.serviceUp = true;
  await up;
  const added = until(events, (e) => e.type === 'reader-added', transport);
  await new Promise((r) => process.nextTick(r));
  fake.current.list([new FakeReader('Virtual PCD 00 00')]);
  await added;
  assert.equal(transport.readers().length, 1);
  await transport.close();
});

test('pcscd restarted: "RPC transport error" everywhere → service down, readers gone; a fresh context brings them back', async () => {
  const { fake, transport, reader, events } = await withReader(ATR_A);
  const channel = await transport.connect(reader.name);
  events.length = 0;
  const first = fake.current;
  // What the binding does: errors on every object, then 'end' on the readers.
  reader.emit('error', new Error('SCardGetStatusChange error: RPC transport error.(0x80100013)'));
  first.fail('SCardGetStatusChange error: RPC transport error.(0x80100013)');
  reader.emit('end');
  assert.deepEqual(events.map((e) => e.type), ['card-removed', 'reader-removed', 'service']);
  assert.equal(transport.serviceUp(), false);
  assert.equal(first.closed, false, 'not closed inside the binding\'s callback (it would deadlock)');
  await assert.rejects(channel.transmit(Uint8Array.of(0x80, 0xa4, 0, 0)), (e) => isMoicaError(e, 'card-removed'));
  // The retry timer makes a new context as soon as pcscd answers.
  await until(events, (e) => e.type === 'service' && e.up, transport);
  assert.notEqual(fake.current, first);
  assert.equal(first.closed, true);
  assert.equal(reader.closed, true);
  const back = new FakeReader('Virtual PCD 00 00');
  const inserted = until(events, (e) => e.type === 'card-inserted', transport);
  await new Promise((r) => process.nextTick(r));
  fake.current.list([back]);
  back.status(PRESENT | (1 << 16), ATR_A);
  await inserted;
  const channel2 = await transport.connect(back.name);
  assert.deepEqual([...(await channel2.transmit(Uint8Array.of(0x80, 0xa4, 0, 0)))], [0x90, 0x00]);
  await transport.close();
  assert.equal(back.closed, true);
  assert.equal(fake.current.closed, true);
});

test('a reader unplugged ends alone: reader-removed, the rest keeps working', async () => {
  const { fake, transport, reader, events } = await withReader(ATR_A);
  const other = new FakeReader('Virtual PCD 00 01');
  fake.current.list([other]);
  other.status(EMPTY);
  events.length = 0;
  reader.emit('end');
  assert.deepEqual(events.map((e) => e.type), ['card-removed', 'reader-removed']);
  assert.deepEqual(transport.readers().map((r) => r.name), ['Virtual PCD 00 01']);
  assert.equal(transport.serviceUp(), true);
  await transport.close();
});

test('a reader whose first status fails does not keep ready() waiting', async () => {
  const { fake, transport } = setup();
  await new Promise((r) => process.nextTick(r));
  const broken = new FakeReader('Broken Reader 00 00');
  const ready = transport.ready();
  fake.current.list([broken]);
  broken.emit('error', new Error('SCardGetStatusChange error: Unknown reader.(0x80100009)'));
  await ready;
  assert.deepEqual(transport.readers().map((r) => [r.name, r.cardPresent]), [['Broken Reader 00 00', false]]);
  await transport.close();
});
