/**
 * Issue 14 items 2, 8, 9: nothing that matters is cut (re-flow, then paging), errors say what to do next
 * and stay until the user acts, a torn slot shows as interrupted. Frames at 40×15, 60×20, 80×24.
 */
import { test } from 'node:test';
import assert from 'node:assert/strict';
import type { GuidanceItem } from '../../source/check/types.js';
import { guidanceText } from '../../source/i18n/screen.js';
import { FakeEngine } from './fake-engine.js';
import { card, result, RESULTS } from './fixtures.js';
import { assertContains, assertFits, squash } from './frames.js';
import { KEYS, renderApp } from './render.js';

const READER = 'Virtual PCD 00 00';
const SIZES = [[40, 15], [60, 20], [80, 24]] as const;
const GUIDANCE: GuidanceItem[] = [
  { kind: 'reapply', key: 'guidance.reapply.revoked', params: {} },
  { kind: 'lookup', key: 'guidance.lookup', params: {} },
  { kind: 'helpline', key: 'guidance.helpline', params: {} },
];

function engineWith(answer = result('C', 'revoked', { guidance: GUIDANCE })): FakeEngine {
  const engine = new FakeEngine();
  engine.addReader(READER);
  engine.insert(READER);
  engine.checkAnswer = answer;
  return engine;
}

for (const [columns, rows] of SIZES) {
  for (const lang of ['zh-TW', 'en'] as const) {
    test(`${columns}×${rows} ${lang}: verdict line, card number and helpline always on screen; the rest is reached by paging`, async () => {
      const app = await renderApp({ engine: engineWith(), lang }, { columns, rows });
      let frame = await app.waitFor((f) => f.includes(lang === 'zh-TW' ? '✖ 廢止' : '✖ revoked'), 'verdict C');
      const seen: string[] = [];
      for (let page = 0; page < 12; page++) {
        assertFits(frame, columns, rows);
        assert.match(frame, lang === 'zh-TW' ? /✖ 廢止 · 判定 C/ : /✖ revoked · verdict C/, 'the verdict line, whole');
        assert.match(frame, /TP03130708163649/, 'the card number');
        assertContains(frame, guidanceText(lang, GUIDANCE[2]!), 'the helpline');
        seen.push(squash(frame));
        if (!/PgDn/.test(frame.split('\n').slice(0, -2).join('\n'))) break;
        assert.match(frame.split('\n').at(-2)!, /PgDn/, 'the page key is in the hints');
        await app.press(page % 2 === 0 ? ' ' : KEYS.pageDown);
        frame = app.lastFrame();
      }
      // Every piece of every item was on some page (pages overlap by a line, so no piece falls between two).
      const all = seen.join('\n');
      for (const item of GUIDANCE) {
        const text = squash(guidanceText(lang, item));
        for (let i = 0; i + 8 <= text.length; i += 8) assert.ok(all.includes(text.slice(i, i + 8)), `${item.key} "${text.slice(i, i + 8)}" reachable:\n${all}`);
      }
      app.unmount();
    });
  }
}

test('40×15: PgUp goes back up; the indicator says how much is above and below', async () => {
  const app = await renderApp({ engine: engineWith(), lang: 'en' }, { columns: 40, rows: 15 });
  let frame = await app.waitFor((f) => f.includes('✖ revoked'), 'verdict');
  assert.match(frame, /more lines below \(PgDn\/space\)/);
  await app.press(KEYS.pageDown);
  frame = app.lastFrame();
  assert.match(frame, /↑ 4 above/);
  await app.press('\u001B[5~');
  await app.press('\u001B[5~');
  frame = await app.waitFor((f) => !/above/.test(f) && /more lines below/.test(f), 'back at the top');
  app.unmount();
});

for (const [columns, rows] of SIZES) {
  test(`${columns}×${rows}: after B-2 the card number, B-2 (once, labelled) and the backup path in full are on screen`, async () => {
    const engine = engineWith(RESULTS['B-1']());
    const backup = '/home/holder/.local/share/moica-check/backups/TP03130708163649-2026-01-15T04-00-00.000Z.json';
    engine.rewriteOutcomes = [{ kind: 'ok', result: { serialNumbers: ['5E2A9C0B13D47F6688A1', 'C11E03D95AB2F40C37'], backup } }];
    const app = await renderApp({ engine, lang: 'zh-TW' }, { columns, rows });
    await app.waitFor((f) => f.includes('判定 B-1'));
    await app.press('r');
    await app.waitFor((f) => f.includes('PIN碼'), 'prompt');
    await app.press('123456\r');
    let frame = await app.waitFor((f) => f.includes('判定 B-2') && f.includes('✔ 有效'), 'B-2 and the re-check');
    const pages: string[] = [];
    for (let i = 0; i < 8; i++) {
      assertFits(frame, columns, rows);
      assert.match(frame, /TP03130708163649/, 'card number');
      assert.equal((squash(frame).match(/完成憑證重寫流程/g) ?? []).length, 1, 'B-2 said once');
      pages.push(squash(frame));
      if (!frame.includes('PgDn')) break;
      await app.press(KEYS.pageDown);
      frame = app.lastFrame();
    }
    assert.ok(pages.join('').includes(squash(`原有憑證的備份：${backup}`)), `backup path labelled and whole:\n${pages.join('\n')}`);
    app.unmount();
  });
}

for (const [columns, rows] of SIZES) {
  test(`${columns}×${rows}: a torn slot is shown as interrupted (no serial, no dates) with its own result: press r to finish`, async () => {
    const torn = card(READER);
    torn.certificates[0] = { ...torn.certificates[0]!, serialNumber: '5E2A9C0B13F46488916A', consistent: false };
    torn.consistent = false;
    const engine = new FakeEngine();
    engine.addReader(READER);
    engine.insert(READER, torn);
    engine.checkAnswer = RESULTS['B-1']();
    const app = await renderApp({ engine, lang: 'zh-TW' }, { columns, rows });
    const frame = await app.waitFor((f) => squash(f).includes('重寫中斷·判定B-1'), 'interrupted');
    assertFits(frame, columns, rows);
    assert.ok(!frame.includes('5E2A9C0B13F46488916A'), 'no serial that exists nowhere');
    assertContains(frame, '重寫中斷·判定B-1');
    if (columns >= 60) assertContains(frame, '按 r 輸入PIN碼即可完成憑證重寫');
    assert.match(frame, /r 憑證重寫/);
    if (columns >= 60) assert.equal((frame.match(/2028-06-30/g) ?? []).length, 1, 'dates only for the readable slot');
    app.unmount();
  });
}

test('registry timeout: the result says what to do next (c, --timeout) and the status bar says it in words', async () => {
  const engine = engineWith();
  engine.checkAnswer = { error: 'registry-timeout' };
  for (const [columns, rows] of SIZES) {
    const app = await renderApp({ engine, lang: 'zh-TW' }, { columns, rows });
    const frame = await app.waitFor((f) => f.includes('逾時'), 'timeout');
    assertFits(frame, columns, rows);
    assertContains(frame, '請按 c 再檢查一次');
    assert.ok(!frame.includes('registry-timeout'), 'no code on screen');
    if (columns >= 60) assert.match(frame, /憑證資料庫回應逾時/);
    app.unmount();
  }
});

test('a card pulled mid-write: "put it back and press r to finish" with the backup path, kept through the pull and the reinsert', async () => {
  const engine = engineWith(RESULTS['B-1']());
  const backup = '/tmp/backups/TP03130708163649-1.json';
  engine.rewriteOutcomes = [{ kind: 'error', code: 'card-removed', detail: { stage: 'write', backup, resumable: true } }];
  const app = await renderApp({ engine, lang: 'en' }, { columns: 80, rows: 24 });
  await app.waitFor((f) => f.includes('rewrite needed'));
  await app.press('r');
  await app.waitFor((f) => f.includes('card PIN'));
  await app.press('123456\r');
  let frame = await app.waitFor((f) => f.includes('Rewrite failed'), 'failed');
  assertContains(frame, 'put the card back in the reader and press r to finish it');
  assertContains(frame, `Backup of the old certificates: ${backup}`);
  engine.pull(READER);
  await app.waitFor((f) => f.includes('No card'), 'pulled');
  engine.insert(READER);
  frame = await app.waitFor((f) => f.includes('rewrite needed') && f.includes('Rewrite failed'), 'back in: still said');
  assertContains(frame, 'press r to finish it');
  assert.match(frame, /r rewrite/);
  app.unmount();
});

test('a backup failure stays on screen until the user acts (a reader event does not replace it with "No card")', async () => {
  const engine = engineWith(RESULTS['B-1']());
  engine.rewriteOutcomes = [{ kind: 'error', code: 'backup-failed' }];
  const app = await renderApp({ engine, lang: 'en' }, { columns: 60, rows: 20 });
  await app.waitFor((f) => f.includes('rewrite needed'));
  await app.press('r');
  await app.waitFor((f) => f.includes('card PIN'));
  await app.press('123456\r');
  await app.waitFor((f) => squash(f).includes('couldnotbebackedup'), 'backup failed');
  // The card is reset after a failure: the reader reports it gone and back.
  engine.pull(READER);
  engine.insert(READER);
  let frame = await app.waitFor((f) => f.includes('rewrite needed'), 're-read');
  assertContains(frame, 'could not be backed up');
  assertContains(frame, 'Nothing was written. Check that the backup folder (--backup-dir) is writable');
  await app.press(KEYS.escape);
  frame = await app.waitFor((f) => !squash(f).includes('couldnotbebackedup'), 'Esc closes it');
  app.unmount();
});
