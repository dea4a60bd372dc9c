import { test } from 'node:test';
import assert from 'node:assert/strict';
import type { Key } from 'ink';
import { UI_TEXT, FAQ } from '../../source/i18n/ui.js';
import { rewriteWarningText } from '../../source/i18n/screen.js';
import { KEYMAP, resolveCommand, hintsFor, type KeyContext } from '../../source/ui/keymap.js';
import { displayWidth, truncateToWidth, wrapToWidth } from '../../source/ui/text/width.js';
import { truncateLine } from '../../source/ui/text/lines.js';

test('i18n: every UI key exists, non-empty, in zh-TW and en, with the same placeholders', () => {
  const zh = UI_TEXT['zh-TW'];
  const en = UI_TEXT.en;
  assert.deepEqual(Object.keys(zh).sort(), Object.keys(en).sort());
  for (const key of Object.keys(zh) as Array<keyof typeof zh>) {
    assert.ok(zh[key].length > 0 && en[key].length > 0, key);
    const params = (s: string): string[] => [...s.matchAll(/\{(\w+)\}/g)].map((m) => m[1]!).sort();
    assert.deepEqual(params(zh[key]), params(en[key]), key);
  }
  for (const binding of KEYMAP) assert.ok(binding.hint in zh, binding.hint);
  for (const entry of FAQ) assert.ok(`faq.${entry}.q` in zh && `faq.${entry}.a` in zh, entry);
  assert.equal(rewriteWarningText('zh-TW'), '請注意!憑證更新時請勿拔取卡片，以免造成卡片損毀', 'the shared text (check/messages.ts)');
});

const key = (over: Partial<Key> = {}): Key => ({
  upArrow: false, downArrow: false, leftArrow: false, rightArrow: false, pageDown: false, pageUp: false, home: false, end: false,
  return: false, escape: false, ctrl: false, shift: false, tab: false, backspace: false, delete: false, meta: false,
  super: false, hyper: false, capsLock: false, numLock: false, ...over,
});
const ctx = (mode: KeyContext['mode'], over: Partial<KeyContext> = {}): KeyContext => ({ mode, canRewrite: false, canCheck: false, demo: false, ...over });

test('keymap: 0x7F (Ink: delete) and backspace both erase a PIN digit; q and letters are refused in the prompt (never quit)', () => {
  assert.equal(resolveCommand('', key({ delete: true }), ctx('pin')), 'pin-backspace');
  assert.equal(resolveCommand('', key({ backspace: true }), ctx('pin')), 'pin-backspace');
  assert.equal(resolveCommand('q', key(), ctx('pin')), 'pin-invalid');
  assert.equal(resolveCommand('x', key(), ctx('pin')), 'pin-invalid');
  assert.equal(resolveCommand('y', key(), ctx('pin-confirm')), 'pin-confirm');
  assert.equal(resolveCommand('', key({ escape: true }), ctx('pin-confirm')), 'pin-confirm-back');
  assert.equal(resolveCommand('q', key(), ctx('pin-confirm')), null);
  assert.equal(resolveCommand('123', key(), ctx('pin')), 'pin-digit');
  assert.equal(resolveCommand('', key({ escape: true }), ctx('pin')), 'pin-cancel');
  assert.equal(resolveCommand('c', key({ ctrl: true }), ctx('pin')), 'interrupt');
});

test('keymap: main keys, rewrite only on B-1, scenario only in the demo', () => {
  assert.equal(resolveCommand('q', key(), ctx('main')), 'quit');
  assert.equal(resolveCommand('d', key(), ctx('main')), 'redetect');
  assert.equal(resolveCommand('', key({ downArrow: true }), ctx('main')), 'select-next');
  assert.equal(resolveCommand('r', key(), ctx('main')), null);
  assert.equal(resolveCommand('r', key(), ctx('main', { canRewrite: true })), 'rewrite');
  assert.equal(resolveCommand('s', key(), ctx('main')), null);
  assert.equal(resolveCommand('s', key(), ctx('main', { demo: true })), 'scenario');
  assert.equal(resolveCommand('q', key(), ctx('rewrite-running')), null, 'no quitting mid-write by q');
});

test('keymap: the status-bar hints are the bindings active in the mode', () => {
  const main = hintsFor(ctx('main', { canRewrite: true })).map((b) => b.command);
  assert.ok(main.includes('rewrite') && main.includes('redetect') && main.includes('quit'));
  assert.ok(!main.includes('pin-submit'));
  const pin = hintsFor(ctx('pin')).map((b) => b.command);
  assert.deepEqual(pin, ['pin-digit', 'pin-backspace', 'pin-submit', 'pin-cancel']);
});

test('width: CJK counts two columns; truncation and wrapping never exceed the width', () => {
  assert.equal(displayWidth('卡號 A1'), 7);
  const cut = truncateToWidth('憑證序號 0: 3B7161C40F46488916A', 9);
  assert.ok(displayWidth(cut) <= 9, cut);
  assert.ok(cut.endsWith('…'));
  assert.equal(truncateToWidth('卡號卡號', 5, ''), '卡號', 'a wide character that would straddle the edge is dropped');
  const text = '憑證狀態為『有效』，可於應用服務正常使用。但IC卡內容與憑證資料庫不符合需進行憑證重寫。';
  for (const width of [7, 10, 33]) {
    const rows = wrapToWidth(text, width);
    assert.ok(rows.every((r) => displayWidth(r) <= width), `${width}: ${rows.join('|')}`);
    assert.equal(rows.join(''), text);
  }
  assert.deepEqual(wrapToWidth('do not remove the card', 10), ['do not', 'remove the', 'card']);
  const line = truncateLine([{ text: '卡號  ' }, { text: 'TP03130708163649' }], 12, '…');
  assert.ok(displayWidth(line.map((s) => s.text).join('')) <= 12);
});
