// keyEvents: one terminal chunk as the key events the keymap sees (the paste splitter of app.tsx, pure).
import { test } from 'node:test';
import assert from 'node:assert/strict';
import { keyEvents, type KeyPress } from '../../source/ui/keymap.js';

const NONE: KeyPress = {
  upArrow: false, downArrow: false, pageDown: false, pageUp: false, end: false, return: false, escape: false, ctrl: false,
  backspace: false, delete: false, meta: false,
};
const shape = (input: string, key: KeyPress, mode: Parameters<typeof keyEvents>[2]) =>
  keyEvents(input, key, mode).map((e) => ({ input: e.input, text: e.text, return: e.key.return, delete: e.key.delete, backspace: e.key.backspace }));

test('PIN prompt: a run of digits is one event; digits with Enter are taken apart, Enter a key of its own', () => {
  assert.deepEqual(shape('123456', NONE, 'pin'), [{ input: '123456', text: '123456', return: false, delete: false, backspace: false }]);
  assert.deepEqual(shape('12\r', NONE, 'pin'), [
    { input: '1', text: '1', return: false, delete: false, backspace: false },
    { input: '2', text: '2', return: false, delete: false, backspace: false },
    { input: '', text: '\r', return: true, delete: false, backspace: false },
  ]);
  assert.deepEqual(shape('1\u007F\b', NONE, 'pin').map((e) => [e.input, e.delete, e.backspace]), [['1', false, false], ['', true, false], ['', false, true]]);
});

test('palette and certificate path: printable text stays whole, text with erasures or Enter is taken apart', () => {
  assert.equal(keyEvents('/tmp/new cert.pem', NONE, 'certificates').length, 1);
  assert.equal(keyEvents('語言', NONE, 'palette').length, 1);
  assert.deepEqual(shape('ab\u007F', NONE, 'palette').map((e) => e.input), ['a', 'b', '']);
  assert.deepEqual(shape('/a.pem\n', NONE, 'certificates').at(-1), { input: '', text: '\n', return: true, delete: false, backspace: false });
});

test('elsewhere: a chunk of plain keys is each key in turn; an escape sequence or a meta chunk stays whole', () => {
  assert.deepEqual(shape('sjk', NONE, 'main').map((e) => e.input), ['s', 'j', 'k']);
  assert.equal(keyEvents('s', NONE, 'main').length, 1);
  assert.equal(keyEvents('\u001B[A', NONE, 'main').length, 1);
  assert.equal(keyEvents('ab', { ...NONE, meta: true }, 'main').length, 1);
  // The other flags of the chunk's key are kept on every piece.
  assert.ok(keyEvents('ab', { ...NONE, ctrl: true }, 'pin').every((e) => e.key.ctrl));
});
