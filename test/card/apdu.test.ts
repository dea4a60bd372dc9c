import { test } from 'node:test';
import assert from 'node:assert/strict';
import { command, describeStatus, exchange, statusError, toHex, withLe, isSelected } from '../../source/card/apdu.js';
import { isMoicaError } from '../../source/errors.js';
import { bytes, hex, scriptedChannel } from './helpers.js';

test('status words map to typed errors from one table', () => {
  const notFound = statusError(0x6a82, 'select 5030');
  assert.equal(notFound.code, 'card-error');
  assert.equal(notFound.detail.sw, '6A82');
  assert.match(notFound.message, /select 5030: file not found/);
  // A PIN status on a command that sent no PIN is the card misbehaving, not a wrong PIN (exit 5, not 6);
  // VERIFY's own statuses are mapped by the writer (writer-apdu.test.ts).
  const counter = statusError(0x63c2, 'read 200 bytes at 0');
  assert.equal(counter.code, 'card-error');
  assert.equal(counter.detail.sw, '63C2');
  assert.equal(statusError(0x6983, 'read record 1').code, 'card-error');
  assert.match(describeStatus(0x6e00).meaning, /class not supported/);
  assert.match(describeStatus(0x6d00).meaning, /instruction not supported/);
  assert.match(describeStatus(0x6700).meaning, /wrong length/);
  assert.match(describeStatus(0x6982).meaning, /security status/);
  assert.match(describeStatus(0x1234).meaning, /unexpected/);
  assert.equal(isSelected(0x9000), true);
  assert.equal(isSelected(0x6283), true, '62xx counts as done for SELECT');
  assert.equal(isSelected(0x6a82), false);
});

test('commands are built in the four ISO cases, and Le is set or added', () => {
  assert.equal(hex(command(0x80, 0xa4, 0, 0, bytes('3F00'))), '80A40000023F00');
  assert.equal(hex(command(0x80, 0xb0, 0x0e, 0x00, undefined, 0xc8)), '80B00E00C8');
  assert.equal(hex(command(0x00, 0xa4, 0, 4, bytes('5030'), 0)), '00A40004025030' + '00');
  assert.equal(hex(command(0x80, 0xc1, 0, 0x80)), '80C10080');
  assert.equal(hex(withLe(bytes('80B0000010'), 0x08)), '80B0000008');
  assert.equal(hex(withLe(bytes('80A40000023F00'), 0x12)), '80A40000023F0012');
  assert.equal(hex(withLe(bytes('00A4000402503000'), 0x1c)), '00A400040250301C');
  assert.throws(() => command(0, 0, 0, 0, new Uint8Array(256)), RangeError);
});

test('61xx is followed with GET RESPONSE in the command\'s class, and the parts are joined', async () => {
  const log: Uint8Array[] = [];
  const replies = [bytes('01 02 61 03'), bytes('03 04 05 61 01'), bytes('06 90 00')];
  const channel = scriptedChannel('3B00', () => replies.shift()!, log);
  const res = await exchange(channel, bytes('80B0000006'));
  assert.equal(hex(res.data), '010203040506');
  assert.equal(res.sw, 0x9000);
  assert.deepEqual(log.map(hex), ['80B0000006', '80C0000003', '80C0000001']);

  const gen2Log: Uint8Array[] = [];
  const gen2 = scriptedChannel('3B00', (a) => (a[1] === 0xc0 ? bytes('AA 90 00') : bytes('61 01')), gen2Log);
  await exchange(gen2, bytes('00B0000001'));
  assert.equal(hex(gen2Log[1]!), '00C0000001');
});

test('6Cxx resends the same command with Le = xx, once', async () => {
  const log: Uint8Array[] = [];
  const channel = scriptedChannel('3B00', (a) => (a[4] === 0x81 ? new Uint8Array([...new Uint8Array(0x81), 0x90, 0x00]) : bytes('6C 81')), log);
  const res = await exchange(channel, bytes('80B2010000'));
  assert.equal(res.data.length, 0x81);
  assert.deepEqual(log.map(hex), ['80B2010000', '80B2010081']);
});

test('a reply shorter than 2 bytes means the card is gone; endless 61xx is an error, not a hang', async () => {
  const gone = scriptedChannel('3B00', () => new Uint8Array(0));
  await assert.rejects(exchange(gone, bytes('80A40000023F00')), (e) => isMoicaError(e, 'card-removed'));
  const one = scriptedChannel('3B00', () => bytes('90'));
  await assert.rejects(exchange(one, bytes('80A40000023F00')), (e) => isMoicaError(e, 'card-removed'));
  let n = 0;
  const endless = scriptedChannel('3B00', () => {
    n++;
    return bytes('00 61 01');
  });
  await assert.rejects(exchange(endless, bytes('80B0000001')), (e) => isMoicaError(e, 'card-error'));
  assert.ok(n > 1 && n < 100);
});

test('toHex: upper-case, two digits a byte, the separator between bytes; the same as the byte-by-byte text over patterned bytes, views and separators', () => {
  const byteByByte = (bytes: Uint8Array, sep = '') => Array.from(bytes, (b) => b.toString(16).toUpperCase().padStart(2, '0')).join(sep);
  const whole = new Uint8Array(600);
  for (let i = 0; i < whole.length; i++) whole[i] = (i * 151 + 7) % 256;
  for (const [start, end] of [[0, 0], [0, 1], [3, 4], [0, 2], [5, 261], [0, 600], [599, 600]] as const) {
    const view = whole.subarray(start, end);
    for (const sep of ['', ' ', ':', ', ', '$&']) assert.equal(toHex(view, sep), byteByByte(view, sep), `${start}-${end} ${JSON.stringify(sep)}`);
  }
  assert.equal(toHex(Uint8Array.from([0x00, 0x0a, 0xff]), ' '), '00 0A FF');
  assert.equal(toHex(Buffer.from([0xab, 0x01])), 'AB01');
});
