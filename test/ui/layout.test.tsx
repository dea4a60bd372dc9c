import { test } from 'node:test';
import assert from 'node:assert/strict';
import { stripVTControlCharacters } from 'node:util';
import { FakeEngine } from './fake-engine.js';
import { card, result, RESULTS, OCSP_UNREACHABLE } from './fixtures.js';
import { assertBoxEdges, assertFits } from './frames.js';
import { KEYS, renderApp, type Rendered } from './render.js';

// A reader name and guidance long enough to hit every edge, in CJK.
const READER = '虛擬讀卡機 Virtual PCD 00 00 自然人憑證專用讀卡機（測試）';
const LONG_GUIDANCE = [
  { kind: 'renew' as const, key: '自然人憑證於五年到期前60天至有效期限屆滿後3年內可申請憑證展期，敬請參閱自然人憑證專屬網站憑證作業憑證展期。', params: {} },
  { kind: 'reapply' as const, key: '已展期過的憑證8年到期後自動失效，請攜帶身分證正本、IC卡工本費250元及E-MAIL信箱，親臨任一戶政事務所重新申請。', params: {} },
  { kind: 'lookup' as const, key: '查詢憑證狀態請至內政部憑證管理中心網站 moica.nat.gov.tw 憑證作業/查詢憑證簽發情形。', params: {} },
  { kind: 'helpline' as const, key: '免付費客服專線 0800-080-117', params: {} },
];

function engineFor(answer = result('C', 'expired', { guidance: LONG_GUIDANCE, ocsp: OCSP_UNREACHABLE })): FakeEngine {
  const engine = new FakeEngine({ demo: true });
  engine.addReader(READER);
  engine.addReader('Second reader with a long name 01 00');
  engine.insert(READER, card(READER));
  engine.checkAnswer = answer;
  return engine;
}

async function screens(app: Rendered, columns: number, rows: number): Promise<void> {
  const check = (frame: string): void => {
    assertFits(frame, columns, rows);
    if (columns >= 70) assertBoxEdges(frame);
  };
  check(await app.waitFor((f) => f.includes('判定 C'), 'verdict C'));
  await app.press('?');
  check(await app.waitFor((f) => f.includes('判定結果'), 'help'));
  // Page down to the end (the help grows with the keymap: as many pages as it takes, within a bound).
  for (let i = 0; i < 20 && (i < 6 || !app.lastFrame().includes('0800-080-117')); i++) await app.press(KEYS.pageDown);
  check(await app.waitFor((f) => f.includes('0800-080-117'), 'help scrolled to the end'));
  await app.press(KEYS.escape);
  check(await app.waitFor((f) => !f.includes('判定結果'), 'help closed'));
}

for (const [columns, rows] of [[80, 24], [60, 20], [100, 30], [70, 22], [69, 22]] as const) {
  test(`${columns}×${rows}: every line within the columns (CJK included), at most rows - 1 lines`, async () => {
    const app = await renderApp({ engine: engineFor(), lang: 'zh-TW' }, { columns, rows });
    await screens(app, columns, rows);
    app.unmount();
  });
}

for (const [columns, rows] of [[80, 24], [60, 20]] as const) {
  test(`${columns}×${rows}: the PIN prompt with its warning and a rewrite in progress fit`, async () => {
    const engine = engineFor(RESULTS['B-1']());
    engine.rewriteOutcomes = [{ kind: 'error', code: 'pin-wrong', detail: { triesLeft: 2 } }, { kind: 'hold' }];
    const app = await renderApp({ engine, lang: 'zh-TW' }, { columns, rows });
    await app.waitFor((f) => f.includes('判定 B-1'));
    await app.press('r');
    let frame = await app.waitFor((f) => f.includes('PIN碼(輸入長度為6~8)'), 'prompt');
    assertFits(frame, columns, rows);
    assert.match(stripVTControlCharacters(frame).replace(/[\s│]/g, ''), /請勿拔取卡片/);
    await app.press('000000');
    await app.press(KEYS.enter);
    frame = await app.waitFor((f) => f.includes('尚可嘗試 2 次'), 'tries left');
    assertFits(frame, columns, rows);
    await app.press('123456');
    await app.press(KEYS.enter);
    frame = await app.waitFor((f) => f.includes('512/1792'), 'progress');
    assertFits(frame, columns, rows);
    engine.release();
    frame = await app.waitFor((f) => f.includes('完成憑證重寫流程'), 'B-2');
    assertFits(frame, columns, rows);
    app.unmount();
  });
}

test('narrow (< 70 columns) stacks the panels; wide puts the side bar beside them; resize re-lays out', async () => {
  const app = await renderApp({ engine: engineFor(), lang: 'en' }, { columns: 100, rows: 30 });
  let frame = await app.waitFor((f) => f.includes('✖ expired'));
  assert.match(frame, /╭─ Readers ─+╮╭─ Card/, 'side by side');
  await app.resize(60, 20);
  // Stacked, and re-flowed rather than cut: the readers line and the card's details give way first.
  frame = await app.waitFor((f) => f.includes('── Card ──') && !f.includes('╭'), 'stacked after resize');
  assert.match(frame, /Card number {2}TP03130708163649/);
  assert.match(frame, /0800-080-117/, 'the helpline is on screen');
  assertFits(frame, 60, 20);
  await app.resize(80, 24);
  // 80×24 cannot hold this long guidance beside a side bar: stacked, everything on screen, nothing cut.
  frame = await app.waitFor((f) => f.includes('0800-080-117') && f.includes('Serial 1'), 'stacked at 80×24, all of it');
  assertFits(frame, 80, 24);
  assert.ok(!/more lines below/.test(frame));
  await app.resize(100, 30);
  frame = await app.waitFor((f) => /╭─ Readers ─+╮╭─ Card/.test(f), 'side by side again');
  assertFits(frame, 100, 30);
  app.unmount();
});

test('--no-color: no ANSI escape at all, and every status still carried by glyphs and words', async () => {
  for (const [answer, words] of [[RESULTS.A(), '✔ valid'], [RESULTS['B-1'](), '⚠ rewrite needed'], [RESULTS.revoked(), '✖ revoked']] as const) {
    const engine = engineFor(answer);
    const app = await renderApp({ engine, lang: 'en', color: false }, { columns: 80, rows: 24 });
    await app.waitFor((f) => f.includes(words), words);
    const all = app.allFrames();
    assert.equal(stripVTControlCharacters(all), all, 'no escape sequences');
    assert.ok(!all.includes('\u001B'));
    assert.match(app.lastFrame(), /▶ 虛擬讀卡機/, 'selection marked in text');
    app.unmount();
  }
});

test('--ascii: ASCII borders and glyphs ([OK] [!] [X], + - |), nothing East Asian Ambiguous in the chrome', async () => {
  for (const [answer, glyph] of [[RESULTS.A(), '[OK] valid'], [RESULTS['B-1'](), '[!] rewrite needed'], [RESULTS.suspended(), '[X] suspended']] as const) {
    const app = await renderApp({ engine: engineFor(answer), lang: 'en', ascii: true }, { columns: 80, rows: 24 });
    const frame = await app.waitFor((f) => f.includes(glyph), glyph);
    assert.match(frame, /^\+- Readers -+\+\+- Card -+\+$/m);
    assert.match(frame, /^\| > /m, 'selection as ">"');
    const nonAscii = [...frame].filter((ch) => ch.charCodeAt(0) > 0x7e && !/\p{Script=Han}|[，。『』、（）！：]/u.test(ch));
    assert.deepEqual(nonAscii, [], 'only CJK text is outside ASCII');
    assertFits(frame, 80, 24);
    app.unmount();
  }
});
