// source/exit.ts: the one exit table. exitCodeOf answers an error code by ERROR_EXIT and a verdict by
// VERDICT_EXIT; the two sets of names never overlap, so neither can shadow the other.
import { test } from 'node:test';
import assert from 'node:assert/strict';
import { ERROR_EXIT, VERDICT_EXIT, exitCodeOf } from '../source/exit.js';
import { MoicaError, type ErrorCode } from '../source/errors.js';

test('exitCodeOf: verdicts A 0, B-1 10, C 20; every error code its ERROR_EXIT entry, the same as MoicaError.exitCode', () => {
  assert.deepEqual([exitCodeOf('A'), exitCodeOf('B-1'), exitCodeOf('C')], [0, 10, 20]);
  for (const code of Object.keys(ERROR_EXIT) as ErrorCode[]) {
    assert.ok(!Object.hasOwn(VERDICT_EXIT, code), code);
    assert.equal(exitCodeOf(code), ERROR_EXIT[code], code);
    assert.equal(new MoicaError(code, 'x').exitCode, ERROR_EXIT[code], code);
  }
  assert.deepEqual(
    [exitCodeOf('usage'), exitCodeOf('no-reader'), exitCodeOf('registry-timeout'), exitCodeOf('card-error'), exitCodeOf('pin-wrong'), exitCodeOf('cancelled'), exitCodeOf('internal')],
    [2, 3, 4, 5, 6, 130, 1],
  );
});
