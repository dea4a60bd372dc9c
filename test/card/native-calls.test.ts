/**
 * source/card/native-calls.ts: the count of pending PC/SC binding calls is one per process, whichever copy
 * of the module counts (the built TUI's engine bundle, dist/engine.cjs, holds its own copy; cli.js reads it).
 */
import { test } from 'node:test';
import assert from 'node:assert/strict';
import { nativeCalls } from '../../source/card/native-calls.js';

test('native calls: a second copy of the module counts into the same total', async () => {
  const copy = (await import(`../../source/card/native-calls.ts?copy=${Date.now()}`)) as typeof import('../../source/card/native-calls.js');
  assert.notEqual(copy.nativeCalls, nativeCalls, 'a separate module instance');
  const before = nativeCalls.pending();
  copy.nativeCalls.started();
  assert.equal(nativeCalls.pending(), before + 1);
  nativeCalls.started();
  assert.equal(copy.nativeCalls.pending(), before + 2);
  copy.nativeCalls.ended();
  nativeCalls.ended();
  assert.equal(nativeCalls.pending(), before);
});
