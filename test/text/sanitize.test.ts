import { test } from 'node:test';
import assert from 'node:assert/strict';
import { hasUnsafeText, sanitize } from '../../source/text/sanitize.js';

test('sanitize: ESC/OSC/CSI sequences lose their introducer and become inert text', () => {
  const hostile = 'O=\u001b]0;PWNED\u0007\u001b[2JACME';
  assert.equal(sanitize(hostile), 'O=]0;PWNED[2JACME');
  assert.ok(hasUnsafeText(hostile));
  assert.ok(!hasUnsafeText(sanitize(hostile)));
});

test('sanitize: C1 controls (8-bit CSI U+009B), DEL and bidi overrides are removed; CJK and emoji stay', () => {
  assert.equal(sanitize('a\u009b2Jb\u007fc'), 'a2Jbc');
  assert.equal(sanitize('\u202egnp.exe\u202c \u2066x\u2069'), 'gnp.exe x');
  assert.equal(sanitize('內政部憑證管理中心 ✔ 🙂'), '內政部憑證管理中心 ✔ 🙂');
});

test('sanitize: newlines only with keepNewlines; CR and TAB always go', () => {
  assert.equal(sanitize('a\nb\r\tc'), 'abc');
  assert.equal(sanitize('a\nb\r\tc', { keepNewlines: true }), 'a\nbc');
});
