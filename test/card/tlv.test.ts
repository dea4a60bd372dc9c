import { test } from 'node:test';
import assert from 'node:assert/strict';
import { children, readHeader, valueOf } from '../../source/card/tlv.js';
import { bytes, hex } from './helpers.js';

test('headers in short and long form, multi-byte tags', () => {
  assert.deepEqual(readHeader(bytes('30 03 02 01 05'), 0), { tag: 0x30, start: 0, headerLength: 2, length: 3, end: 5 });
  const long = readHeader(bytes('30 82 01 00'), 0);
  assert.equal(long?.length, 256);
  assert.equal(long?.headerLength, 4);
  assert.equal(long?.end, 260, 'the end may lie beyond the bytes at hand');
  const multi = readHeader(bytes('9F 1F 01 AA'), 0);
  assert.equal(multi?.tag, 0x9f1f);
  assert.equal(multi?.end, 4);
});

test('truncated or non-DER headers give undefined, never a throw', () => {
  assert.equal(readHeader(bytes('30'), 0), undefined);
  assert.equal(readHeader(bytes('30 82 01'), 0), undefined);
  assert.equal(readHeader(bytes('30 80'), 0), undefined, 'indefinite length is not DER');
  assert.equal(readHeader(bytes(''), 0), undefined);
  assert.equal(readHeader(bytes('9F'), 0), undefined);
});

test('children stop at the first element that does not fit', () => {
  const b = bytes('02 01 01 04 02 AA BB 30 05 01');
  const kids = children(b);
  assert.equal(kids.length, 2);
  assert.equal(hex(valueOf(b, kids[1]!)), 'AABB');
});
