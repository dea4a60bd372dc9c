import { test } from 'node:test';
import assert from 'node:assert/strict';
import type { ReaderState } from '../../source/card/types.js';
import { exitCodeOnQuit, initialState, isPinBlocked, reduce } from '../../source/ui/state/app.js';
import { applyReaders, initialReaders, moveSelection, selectedCardKey } from '../../source/ui/state/readers.js';
import { PinBuffer } from '../../source/ui/state/pin-buffer.js';
import type { Action, AppState } from '../../source/ui/state/types.js';
import { card, RESULTS } from './fixtures.js';

const reader = (name: string, cardPresent = false, eventCount = 0): ReaderState => ({ name, cardPresent, eventCount, ...(cardPresent ? { atr: 'AA' } : {}) });
const run = (state: AppState, ...actions: Action[]): AppState => actions.reduce(reduce, state);

test('readers: exactly one reader holding a card is selected at once', () => {
  const s = applyReaders(initialReaders, [reader('A'), reader('B', true, 1)], true);
  assert.equal(s.selected, 'B');
  assert.equal(selectedCardKey(s), 'B#1');
});

test('readers: two cards and no pick → nothing selected until the user moves', () => {
  const s = applyReaders(initialReaders, [reader('A', true, 1), reader('B', true, 1)], true);
  assert.equal(s.selected, null);
  const moved = moveSelection(s, 1);
  assert.equal(moved.selected, 'A');
  assert.equal(moved.manual, true);
  assert.equal(moveSelection(moved, 1).selected, 'B');
  assert.equal(moveSelection(moved, -1).selected, 'B', 'wraps around');
});

test('readers: a single empty reader is selected so "no card" is said about it', () => {
  const s = applyReaders(initialReaders, [reader('A')], true);
  assert.equal(s.selected, 'A');
  assert.equal(selectedCardKey(s), null);
});

test('readers: a swap merged into one event (counter changed, card still present) is a new card', () => {
  const one = applyReaders(initialReaders, [reader('A', true, 1)], true);
  const same = applyReaders(one, [reader('A', true, 1)], true);
  assert.equal(selectedCardKey(same), selectedCardKey(one), 'nothing changed: same card');
  const swapped = applyReaders(one, [reader('A', true, 3)], true);
  assert.notEqual(selectedCardKey(swapped), selectedCardKey(one));
  const inserted = applyReaders(one, [reader('A', true, 1)], true, { type: 'card-inserted', reader: 'A', atr: 'AA' });
  assert.notEqual(selectedCardKey(inserted), selectedCardKey(one), 'an insert event is a new card');
});

test('readers: the user pick stands; a removed reader drops the selection', () => {
  let s = applyReaders(initialReaders, [reader('A', true, 1), reader('B')], true);
  s = moveSelection(s, 1);
  assert.equal(s.selected, 'B');
  s = applyReaders(s, [reader('A', true, 1), reader('B')], true);
  assert.equal(s.selected, 'B', 'manual pick kept although A has the only card');
  s = applyReaders(s, [reader('A', true, 1)], true);
  assert.equal(s.selected, 'A');
});

test('card: read → check starts by itself → verdict; stale answers are dropped', () => {
  let s = run(initialState('en'), { type: 'readers', readers: [reader('A', true, 1)], serviceUp: true });
  assert.equal(s.card.phase, 'reading');
  const readRun = s.card.run;
  s = run(s, { type: 'read-done', run: readRun, card: card('A') });
  assert.equal(s.card.phase, 'checking', 'the check starts without a keystroke');
  const checkRun = s.card.run;
  s = run(s, { type: 'read-done', run: readRun, card: card('A', 'XX00000000000000') });
  assert.equal(s.card.phase, 'checking', 'a late read answer changes nothing');
  s = run(s, { type: 'check-done', run: checkRun, result: RESULTS['B-1']() });
  assert.equal(s.card.phase, 'checked');
  assert.equal(s.service.registry.state, 'ok');
  assert.equal(exitCodeOnQuit(s), 10);
});

test('card: pulled → panels cleared; an answer for the pulled card is ignored', () => {
  let s = run(initialState('en'), { type: 'readers', readers: [reader('A', true, 1)], serviceUp: true });
  const readRun = s.card.run;
  s = run(s, { type: 'readers', readers: [reader('A', false, 2)], serviceUp: true, event: { type: 'card-removed', reader: 'A' } });
  assert.equal(s.card.phase, 'idle');
  s = run(s, { type: 'read-done', run: readRun, card: card('A') });
  assert.equal(s.card.phase, 'idle');
  assert.equal(exitCodeOnQuit(s), 3, 'no card');
});

test('card: a registry failure is kept for the status bar', () => {
  let s = run(initialState('en'), { type: 'readers', readers: [reader('A', true, 1)], serviceUp: true });
  s = run(s, { type: 'read-done', run: s.card.run, card: card('A') });
  s = run(s, { type: 'check-failed', run: s.card.run, error: { code: 'registry-unreachable', message: 'x', detail: {} } });
  assert.deepEqual(s.service.registry, { state: 'error', code: 'registry-unreachable' });
  assert.equal(exitCodeOnQuit(s), 4);
});

function checked(verdict: keyof typeof RESULTS): AppState {
  let s = run(initialState('en'), { type: 'readers', readers: [reader('A', true, 1)], serviceUp: true });
  s = run(s, { type: 'read-done', run: s.card.run, card: card('A') });
  return run(s, { type: 'check-done', run: s.card.run, result: RESULTS[verdict]() });
}

test('exit code follows the verdict shown: A 0, B-1 10, C 20', () => {
  assert.equal(exitCodeOnQuit(checked('A')), 0);
  assert.equal(exitCodeOnQuit(checked('B-1')), 10);
  for (const c of ['revoked', 'suspended', 'expired'] as const) assert.equal(exitCodeOnQuit(checked(c)), 20);
});

test('rewrite: only a B-1 verdict opens it', () => {
  assert.equal(run(checked('A'), { type: 'rewrite-open' }).rewrite.stage, 'idle');
  assert.equal(run(checked('revoked'), { type: 'rewrite-open' }).rewrite.stage, 'idle');
  assert.equal(run(checked('B-1'), { type: 'rewrite-open' }).rewrite.stage, 'path');
});

test('rewrite: unavailable path never reaches the PIN prompt', () => {
  let s = run(checked('B-1'), { type: 'rewrite-open' });
  const key = s.card.key!;
  s = run(s, { type: 'rewrite-path', key, path: { path: 'unavailable', code: 'pkcs11-unavailable', detail: 'no module' } });
  assert.equal(s.rewrite.stage, 'unavailable');
});

test('rewrite: submit needs 6-8 digits; a wrong PIN returns to the prompt with tries left; blocked ends it', () => {
  let s = run(checked('B-1'), { type: 'rewrite-open' });
  const key = s.card.key!;
  s = run(s, { type: 'rewrite-path', key, path: { path: 'virtual-apdu' } }, { type: 'pin-digits', digits: 5 }, { type: 'rewrite-start' });
  assert.equal(s.rewrite.stage, 'pin', 'five digits do not start');
  s = run(s, { type: 'pin-too-short' });
  assert.equal(s.rewrite.stage === 'pin' && s.rewrite.notice, 'need-digits');
  s = run(s, { type: 'pin-digits', digits: 6 }, { type: 'rewrite-start' });
  assert.equal(s.rewrite.stage, 'running');
  s = run(s, { type: 'rewrite-failed', key, error: { code: 'pin-wrong', message: 'x', detail: { triesLeft: 2 } } });
  assert.equal(s.rewrite.stage, 'pin');
  assert.equal(s.rewrite.stage === 'pin' && s.rewrite.triesLeft, 2);
  assert.equal(s.rewrite.stage === 'pin' && s.rewrite.digits, 0, 'the prompt starts empty: nothing is retried');
  s = run(s, { type: 'pin-digits', digits: 8 }, { type: 'rewrite-start' }, { type: 'rewrite-failed', key, error: { code: 'pin-blocked', message: 'x', detail: {} } });
  assert.equal(s.rewrite.stage, 'failed');
  assert.equal(exitCodeOnQuit(s), 6);
});

test('rewrite: done → B-2, card read again, exit 0; a pulled card does not cancel a running write', () => {
  let s = run(checked('B-1'), { type: 'rewrite-open' });
  const key = s.card.key!;
  s = run(s, { type: 'rewrite-path', key, path: { path: 'virtual-apdu' } }, { type: 'pin-digits', digits: 6 }, { type: 'rewrite-start' });
  s = run(s, { type: 'rewrite-progress', key, progress: { step: 'write', slot: 0, done: 10, total: 20 } });
  assert.equal(s.rewrite.stage === 'running' && s.rewrite.progress?.done, 10);
  const pulled = run(s, { type: 'readers', readers: [reader('A', false, 2)], serviceUp: true });
  assert.equal(pulled.rewrite.stage, 'running');
  s = run(s, { type: 'rewrite-done', key, result: { serialNumbers: ['1', '2'] } });
  assert.equal(s.rewrite.stage, 'done');
  assert.equal(s.card.phase, 'reading', 'read again to show what is on the card now');
  assert.equal(exitCodeOnQuit(s), 0);
  s = run(s, { type: 'rewrite-close' });
  assert.equal(exitCodeOnQuit(s), 0, 'B-2 still what the screen says while the re-check runs');
  s = run(s, { type: 'read-done', run: s.card.run, card: card('A') }, { type: 'check-done', run: s.card.run + 1, result: RESULTS.A() });
  assert.equal(s.card.phase, 'checked');
  assert.equal(exitCodeOnQuit(s), 0);
});

test('PinBuffer: digits only, at most 8 taken, a 9th is refused (never dropped), backspace, take hands over a copy and zeroes its own', () => {
  const pin = new PinBuffer();
  assert.deepEqual(pin.type('12a3'), { added: 3, tooLong: 0, notDigit: 1 });
  assert.equal(pin.length, 3);
  assert.equal(pin.take(), null, 'three digits are refused');
  assert.deepEqual(pin.type('4567890'), { added: 5, tooLong: 2, notDigit: 0 });
  assert.equal(pin.length, 8);
  assert.equal(pin.extra, 2, 'the 9th and 10th are held as refused, not dropped');
  assert.equal(pin.complete, false);
  assert.equal(pin.take(), null, 'never handed over as its first 8 digits');
  pin.backspace();
  assert.equal(pin.extra, 1, 'Backspace removes a refused digit first');
  assert.equal(pin.length, 8);
  pin.backspace();
  assert.equal(pin.extra, 0);
  pin.backspace();
  assert.equal(pin.length, 7);
  assert.deepEqual(pin.type('9'), { added: 1, tooLong: 0, notDigit: 0 }, 'room again after a digit was erased');
  pin.backspace();
  const taken = pin.take()!;
  assert.deepEqual([...taken], [...Buffer.from('1234567')]);
  assert.equal(pin.length, 0);
  assert.deepEqual([...(pin as unknown as { bytes: Uint8Array }).bytes], [0, 0, 0, 0, 0, 0, 0, 0]);
});

test('rewrite: tries 0 before the prompt blocks (no prompt, no r); the last try needs a confirmation to start', () => {
  let s = run(checked('B-1'), { type: 'rewrite-open' });
  const key = s.card.key!;
  const blocked = run(s, { type: 'rewrite-path', key, path: { path: 'virtual-apdu' }, triesLeft: 0 });
  assert.equal(blocked.rewrite.stage, 'failed');
  assert.deepEqual(blocked.pinBlocked, ['TP03130708163649']);
  assert.equal(isPinBlocked(blocked), true);
  assert.equal(run(blocked, { type: 'rewrite-close' }, { type: 'rewrite-open' }).rewrite.stage, 'idle', 'r opens nothing');
  assert.equal(exitCodeOnQuit(blocked), 6);

  s = run(s, { type: 'rewrite-path', key, path: { path: 'virtual-apdu' }, triesLeft: 1 }, { type: 'pin-digits', digits: 6 });
  assert.equal(run(s, { type: 'rewrite-start' }).rewrite.stage, 'pin', 'not without the confirmation');
  assert.equal(run(s, { type: 'rewrite-start', lastTryConfirmed: true }).rewrite.stage, 'pin', 'a confirmation never asked counts for nothing');
  s = run(s, { type: 'pin-confirm-ask' });
  assert.equal(s.rewrite.stage === 'pin' && s.rewrite.confirming, true);
  assert.equal(run(s, { type: 'pin-confirm-back' }).rewrite.stage === 'pin', true);
  assert.equal(run(s, { type: 'rewrite-start', lastTryConfirmed: true }).rewrite.stage, 'running');
  const tooLong = run(s, { type: 'pin-digits', digits: 8, extra: 1, notice: 'too-long' }, { type: 'rewrite-start' });
  assert.equal(tooLong.rewrite.stage, 'pin', 'a refused ninth digit never starts');
});
