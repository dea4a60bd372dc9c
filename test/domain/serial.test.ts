import { test } from 'node:test';
import assert from 'node:assert/strict';
import { normaliseSerial, serialFromIntegerBytes, serialToIntegerBytes, serialsEqual, tryNormaliseSerial } from '../../source/domain/serial.js';
import { isMoicaError } from '../../source/errors.js';

test('serials normalise to upper-case hex without leading zeros', () => {
  assert.equal(normaliseSerial('003b7161c40f46488916a'), '3B7161C40F46488916A');
  assert.equal(normaliseSerial('69D8DCA6BECC064523'), '69D8DCA6BECC064523');
  assert.equal(normaliseSerial('0000'), '0');
  assert.equal(tryNormaliseSerial('0x12'), null);
  assert.equal(tryNormaliseSerial(''), null);
  assert.throws(() => normaliseSerial('12 34'), (e) => isMoicaError(e, 'registry-invalid'));
  assert.throws(() => normaliseSerial('zz', 'card-answer-invalid'), (e) => isMoicaError(e, 'card-answer-invalid'));
});

test('serials compare as numbers', () => {
  assert.equal(serialsEqual('3b7161c40f46488916a', '0003B7161C40F46488916A'), true);
  assert.equal(serialsEqual('AB', 'AC'), false);
  assert.equal(serialsEqual('AB', 'not-hex'), false);
});

test('serials round-trip through DER INTEGER content', () => {
  assert.deepEqual([...serialToIntegerBytes('80')], [0x00, 0x80]);
  assert.deepEqual([...serialToIntegerBytes('3B7161C40F46488916A')], [0x03, 0xb7, 0x16, 0x1c, 0x40, 0xf4, 0x64, 0x88, 0x91, 0x6a]);
  assert.equal(serialFromIntegerBytes(serialToIntegerBytes('80')), '80');
  assert.equal(serialFromIntegerBytes(serialToIntegerBytes('69D8DCA6BECC064523')), '69D8DCA6BECC064523');
});

test('serials from DER are not capped like text input', () => {
  const long = new Uint8Array(40).fill(0x11);
  assert.equal(serialFromIntegerBytes(long), '11'.repeat(40));
  assert.equal(serialFromIntegerBytes(new Uint8Array([0, 0, 1])), '1');
  assert.equal(serialFromIntegerBytes(new Uint8Array([])), '0');
});
