/**
 * Issue 13 item 7 (pcsc.ts side): the VERIFY APDU reaches the binding in a buffer of our own (not a slice
 * of Node's shared pool, which other code reuses), zeroed once the binding gave it back; the connection
 * that carried it is reset (SCARD_RESET_CARD) on release and on close. Over a fake binding that records
 * what it was given (the rig tests prove the reset on a real pcscd).
 */
import { test } from 'node:test';
import assert from 'node:assert/strict';
import { PcscTransport } from '../../source/card/pcsc.js';
import { MoicaCard } from '../../source/card/moica.js';
import { VirtualCardWriter } from '../../source/card/writers/virtual-apdu.js';
import { VIRTUAL_ATR } from '../../source/card/layout.js';
import { FakePcsc, FakeReader, PRESENT } from '../card/pcsc-fake.js';

class RecordingReader extends FakeReader {
  readonly SCARD_SHARE_EXCLUSIVE = 1;
  readonly SCARD_RESET_CARD = 1;
  dispositions: number[] = [];
  shares: number[] = [];
  given: Buffer[] = [];
  override disconnect(disposition: number, cb: (err: Error | null) => void): void {
    this.dispositions.push(disposition);
    super.disconnect(disposition, cb);
  }
  override connect(options: { share_mode: number; protocol: number }, cb: (err: Error | null, protocol?: number) => void): void {
    this.shares.push(options.share_mode);
    super.connect(options, cb);
  }
}

async function open() {
  const fake = new FakePcsc();
  const transport = new PcscTransport(fake.factory as never, { retryMs: 5 });
  const reader = new RecordingReader('Virtual PCD 00 00');
  const seenPin: string[] = [];
  const verifies: Buffer[] = [];
  reader.answer = (apdu) => {
    reader.given.push(apdu);
    if (apdu[1] === 0x20 && apdu.length > 5) {
      seenPin.push(apdu.subarray(5).toString('latin1'));
      verifies.push(apdu);
    }
    return Buffer.from([0x90, 0x00]);
  };
  await new Promise((r) => process.nextTick(r));
  fake.current.list([reader]);
  const ready = transport.ready();
  reader.status(PRESENT | (1 << 16), VIRTUAL_ATR);
  await ready;
  const channel = await transport.connect(reader.name);
  return { transport, reader, channel, seenPin, verifies };
}

test('the VERIFY APDU goes to the binding in an unpooled buffer of its own, zeroed after the transmit', async () => {
  const { transport, reader, channel, seenPin, verifies } = await open();
  // Straight to the writer's VERIFY (MoicaCard.open would probe first; the probe is not what is tested).
  const writer = new VirtualCardWriter({ channel, session: { forget() {} } } as unknown as MoicaCard);
  await writer.verifyPin(new TextEncoder().encode('24680135'));
  assert.deepEqual(seenPin, ['24680135\xff\xff'], 'the card got the PIN');
  const verify = verifies[0]!;
  assert.equal(verify.byteOffset, 0, 'not a slice of the shared pool');
  assert.equal(verify.buffer.byteLength, verify.length, 'a buffer of exactly its own size (allocUnsafeSlow)');
  assert.ok(verify.every((b) => b === 0), 'zeroed once the binding gave it back');
  assert.ok(reader.given.every((b) => b.every((x) => x === 0)), 'every command buffer is zeroed');
  await writer.end();
  assert.deepEqual(reader.dispositions, [reader.SCARD_RESET_CARD], 'end() reset the card after a VERIFY');
  await channel.close();
  await transport.close();
});

test('a connection that carried a PIN is reset when it closes, even without end(); one that did not is left powered', async () => {
  const a = await open();
  const writer = new VirtualCardWriter({ channel: a.channel, session: { forget() {} } } as unknown as MoicaCard);
  await writer.verifyPin(new TextEncoder().encode('123456'));
  await a.channel.close();
  assert.deepEqual(a.reader.dispositions, [a.reader.SCARD_RESET_CARD]);
  await a.transport.close();

  const b = await open();
  await b.channel.transmit(Uint8Array.from([0x00, 0x20, 0x00, 0x01])); // the tries query carries no PIN
  await b.channel.close();
  assert.deepEqual(b.reader.dispositions, [b.reader.SCARD_LEAVE_CARD]);
  await b.transport.close();
});

test('begin() takes the card exclusively and end() gives it back shared', async () => {
  const { transport, reader, channel } = await open();
  const writer = new VirtualCardWriter({ channel, session: { forget() {} }, invalidate() {} } as unknown as MoicaCard);
  await writer.begin();
  assert.equal(reader.shares.at(-1), reader.SCARD_SHARE_EXCLUSIVE);
  await writer.end();
  assert.equal(reader.shares.at(-1), reader.SCARD_SHARE_SHARED);
  assert.deepEqual(reader.dispositions, [reader.SCARD_LEAVE_CARD, reader.SCARD_LEAVE_CARD], 'no PIN: no reset');
  await channel.close();
  await transport.close();
});
