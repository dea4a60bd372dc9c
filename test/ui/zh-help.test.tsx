/** Issue 14 items 13-14: the zh-TW bar fits 80 columns, kinsoku, full-width punctuation, help by context. */
import { test } from 'node:test';
import assert from 'node:assert/strict';
import { UI_TEXT } from '../../source/i18n/ui.js';
import { makeTheme } from '../../source/ui/theme.js';
import { helpLines } from '../../source/ui/view/help-lines.js';
import { lineText } from '../../source/ui/text/lines.js';
import { displayWidth, wrapToWidth } from '../../source/ui/text/width.js';
import { TEXTS } from '../../source/i18n/check.js';
import { FakeEngine } from './fake-engine.js';
import { result, RESULTS } from './fixtures.js';
import { assertFits } from './frames.js';
import { renderApp } from './render.js';

const NO_START = '，。、；：？！）」』';

test('kinsoku: no wrapped line starts with closing punctuation, none ends with an opening one; nothing lost', () => {
  const texts = [...Object.values(UI_TEXT['zh-TW']), ...Object.values(TEXTS).map((t) => t['zh-TW'])];
  for (const text of texts) {
    // From 17 columns (the side bar's is 18): narrower, a token as wide as the line (0800-080-117) cannot take its 。 along.
    for (const width of [17, 23, 31, 38, 52]) {
      const rows = wrapToWidth(text, width);
      for (const [i, row] of rows.entries()) {
        assert.ok(displayWidth(row) <= width, `${width}: "${row}"`);
        if (i > 0) assert.ok(!NO_START.includes(row[0] ?? ''), `line starts with "${row[0]}" at ${width}: ${rows.join(' | ')}`);
        if (i < rows.length - 1) assert.ok(!'（「『'.includes(row.at(-1) ?? ''), `line ends with "${row.at(-1)}" at ${width}`);
      }
      assert.equal(rows.join('').replace(/\s/g, ''), text.replace(/\s/g, ''), `nothing lost at ${width}`);
    }
  }
});

test('zh-TW UI texts use full-width punctuation next to Chinese (the issuer\'s PIN prompt keeps its own form)', () => {
  for (const [key, text] of Object.entries(UI_TEXT['zh-TW'])) {
    const bad = text.match(/[\u4e00-\u9fff][,:;!?()]|[,:;!?()][\u4e00-\u9fff]/);
    assert.equal(bad, null, `${key}: "${text}"`);
  }
});

test('zh-TW status bar at 80 columns: q 離開 and ? 說明 visible, hints in order of use (r before c before d)', async () => {
  const engine = new FakeEngine({ demo: true });
  engine.addReader('Virtual PCD 00 00');
  engine.insert('Virtual PCD 00 00');
  engine.checkAnswer = RESULTS['B-1']();
  const app = await renderApp({ engine, lang: 'zh-TW' }, { columns: 80, rows: 24 });
  const frame = await app.waitFor((f) => f.includes('判定 B-1'));
  assertFits(frame, 80, 24);
  const bar = frame.split('\n').at(-2)!;
  assert.match(bar, /q 離開/);
  assert.match(bar, /\? 說明/);
  assert.ok(!bar.includes('…'), `not cut: ${bar}`);
  assert.ok(bar.indexOf('r 憑證重寫') < bar.indexOf('c 檢查') && bar.indexOf('c 檢查') < bar.indexOf('d 重新偵測'), bar);
  assert.ok(!frame.includes('APDU'));
  assert.match(frame, /▶ 需重寫/, 'scenario names in Chinese');
  app.unmount();
});

test('help: grouped by context (main, PIN, rewrite), a legend of A / B-1 / B-2 / C, every key that works', () => {
  for (const lang of ['zh-TW', 'en'] as const) {
    const text = helpLines({ lang, theme: makeTheme({ color: false, ascii: false }), width: 70, now: new Date() }, true).map(lineText).join('\n');
    const flat = text.replace(/\s+/g, '');
    const t = UI_TEXT[lang];
    for (const key of ['help.group.main', 'help.group.pin', 'help.group.rewrite', 'help.legend.A', 'help.legend.B-1', 'help.legend.B-2', 'help.legend.C'] as const) {
      assert.ok(flat.includes(t[key].replace(/\s+/g, '')), `${lang} ${key}`);
    }
    assert.ok(text.indexOf(t['help.group.main']) < text.indexOf(t['help.group.pin']) && text.indexOf(t['help.group.pin']) < text.indexOf(t['help.group.rewrite']));
    assert.match(text, /c Enter/, 'Enter checks too');
    assert.match(text, /↑↓ k j/, 'h/j/k-style keys listed');
    assert.match(text, /\? h/, 'h opens the help');
    assert.match(text, new RegExp(`PgDn ${t['help.space']}`), 'space pages');
    assert.match(text, /y /, 'the last-try confirmation');
  }
});

test('C verdict at 80×24 zh-TW: the status bar says words, the whole screen fits', async () => {
  const engine = new FakeEngine();
  engine.addReader('R');
  engine.insert('R');
  engine.checkAnswer = result('C', 'revoked', { guidance: [{ kind: 'reapply', key: 'guidance.reapply.revoked', params: {} }, { kind: 'lookup', key: 'guidance.lookup', params: {} }, { kind: 'helpline', key: 'guidance.helpline', params: {} }] });
  const app = await renderApp({ engine, lang: 'zh-TW' }, { columns: 80, rows: 24 });
  const frame = await app.waitFor((f) => f.includes('判定 C'));
  assertFits(frame, 80, 24);
  assert.match(frame, /0800-080-117/);
  for (const line of frame.split('\n')) {
    const body = line.replace(/^[│ ]+/, '');
    assert.ok(!NO_START.includes(body[0] ?? ''), `kinsoku on screen: "${line}"`);
  }
  app.unmount();
});
