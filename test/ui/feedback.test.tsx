/**
 * Issue 14 items 11, 15: keys show at once that something happened, a chunk of keys is every key, the
 * scenario highlight and the verdict never disagree, a re-check does not shrink the frame; the screen
 * modes (alternate screen, TERM=dumb line mode, ASCII for a C locale) and the summary line.
 */
import { test } from 'node:test';
import assert from 'node:assert/strict';
import { FakeEngine } from './fake-engine.js';
import { RESULTS } from './fixtures.js';
import { renderApp } from './render.js';
import { initialState, reduce, summaryOf } from '../../source/ui/state/app.js';
import { t as ui } from '../../source/i18n/t.js';
import '../../source/i18n/ui.js';
import { lineModeStdout, screenModeFor } from '../../source/ui/screen-mode.js';
import type { ScenarioName } from '../../source/options.js';

const READER = 'Virtual PCD 00 00';

function demoEngine(): { engine: FakeEngine; release: () => void; answers: Record<ScenarioName, ReturnType<typeof RESULTS.A>> } {
  const engine = new FakeEngine({ demo: true });
  engine.addReader(READER);
  engine.insert(READER);
  const answers = { valid: RESULTS.A(), rewrite: RESULTS['B-1'](), revoked: RESULTS.revoked(), suspended: RESULTS.suspended(), expired: RESULTS.expired() };
  engine.checkAnswer = answers.rewrite;
  let release = (): void => {};
  const base = engine.scenarios!;
  let current: ScenarioName = 'rewrite';
  engine.scenarios = {
    list: base.list,
    current: () => current,
    // As the real engine: the switch takes a while (a new card is built), then the card is swapped.
    switchTo: async (name) => {
      engine.calls.push({ method: 'switchTo', args: [name] });
      await new Promise<void>((r) => (release = r));
      current = name;
      engine.checkAnswer = answers[name];
      engine.pull(READER);
      engine.insert(READER);
    },
  };
  return { engine, release: () => release(), answers };
}

test('s: the highlight moves at once and the old verdict goes at once; the new verdict comes with the new card (never disagree)', async () => {
  const { engine, release } = demoEngine();
  const app = await renderApp({ engine, lang: 'zh-TW' }, { columns: 80, rows: 24 });
  await app.waitFor((f) => f.includes('判定 B-1'), 'B-1');
  await app.press('s');
  let frame = app.lastFrame();
  assert.match(frame, /▶ 廢止/, 'the highlight moved at once, named in Chinese');
  assert.ok(!frame.includes('判定 B-1'), 'the old verdict is not shown beside the new highlight');
  assert.match(frame, /切換示範情境：廢止/);
  release();
  frame = await app.waitFor((f) => f.includes('判定 C') && f.includes('✖ 廢止'), 'revoked');
  assert.match(frame, /▶ 廢止/);
  app.unmount();
});

test('"sss" in one chunk: three switches, each handled, the last one wins', async () => {
  const { engine, release } = demoEngine();
  const app = await renderApp({ engine, lang: 'en' }, { columns: 80, rows: 24 });
  await app.waitFor((f) => f.includes('verdict B-1'), 'B-1');
  await app.press('sss');
  assert.match(app.lastFrame(), /▶ expired/, 'three steps from rewrite: revoked, suspended, expired');
  for (let i = 0; i < 3; i++) {
    release();
    await new Promise((r) => setTimeout(r, 5));
  }
  const frame = await app.waitFor((f) => f.includes('✖ expired'), 'expired');
  assert.match(frame, /▶ expired/);
  assert.deepEqual(engine.calls.filter((c) => c.method === 'switchTo').map((c) => c.args[0]), ['expired'], 'switches not yet started are skipped: the engine goes to the last one');
  app.unmount();
});

test('d says at once that it re-detects; c keeps the last result on screen while it checks (the frame does not shrink)', async () => {
  const engine = new FakeEngine();
  engine.addReader(READER);
  engine.insert(READER);
  engine.checkAnswer = RESULTS.A();
  let finish = (): void => {};
  engine.redetect = async () => {
    engine.calls.push({ method: 'redetect', args: [] });
    await new Promise<void>((r) => (finish = r));
  };
  const app = await renderApp({ engine, lang: 'en' }, { columns: 80, rows: 24 });
  const before = await app.waitFor((f) => f.includes('✔ valid'), 'A');
  await app.press('d');
  assert.match(app.lastFrame(), /re-detecting…/, 'said at once');
  finish();
  await app.waitFor((f) => !f.includes('re-detecting') && f.includes('✔ valid'), 'done');
  // A check that takes a while: the previous verdict stays (dimmed) under the spinner line.
  let answer = (): void => {};
  // The spinner can show before the hook has called engine.check: answer only once the call is pending.
  let pending = (): void => {};
  const called = new Promise<void>((r) => (pending = r));
  const check = engine.check.bind(engine);
  engine.check = async (card) => {
    const answered = new Promise<void>((r) => (answer = r));
    pending();
    await answered;
    return check(card);
  };
  await app.press('c');
  const checking = await app.waitFor((f) => f.includes('Checking the certificate status'), 'checking');
  assert.match(checking, /✔ valid · verdict A/, 'the last result still on screen');
  assert.ok(checking.split('\n').length >= before.split('\n').length, 'the frame did not shrink');
  await called;
  answer();
  await app.waitFor((f) => !f.includes('Checking the certificate status'), 'checked again');
  app.unmount();
});

test('a spinner turns while the card is read and checked', async () => {
  const engine = new FakeEngine();
  engine.addReader(READER);
  let answer = (): void => {};
  engine.check = async () => {
    await new Promise<void>((r) => (answer = r));
    return RESULTS.A();
  };
  engine.insert(READER);
  const app = await renderApp({ engine, lang: 'en' }, { columns: 80, rows: 24 });
  await app.waitFor((f) => /[⠋⠙⠹⠸⠼⠴⠦⠧⠇⠏] Checking the certificate status/.test(f), 'spinner');
  const first = app.lastFrame().match(/([⠋⠙⠹⠸⠼⠴⠦⠧⠇⠏]) Checking/)![1];
  await app.waitFor((f) => (f.match(/([⠋⠙⠹⠸⠼⠴⠦⠧⠇⠏]) Checking/)?.[1] ?? first) !== first, 'it turns', 2000);
  answer();
  await app.waitFor((f) => f.includes('✔ valid'));
  app.unmount();
});

test('summary line: what the screen said last, in the UI language', () => {
  const words = (lang: 'zh-TW' | 'en') => (key: string, params?: Record<string, string | number>) => ui(lang, key as never, params);
  let s = initialState('zh-TW');
  assert.equal(summaryOf(s, words('zh-TW')), '未讀取卡片');
  s = reduce(s, { type: 'readers', readers: [{ name: 'A', cardPresent: true, eventCount: 1, atr: 'AA' }], serviceUp: true });
  s = reduce(s, { type: 'read-done', run: s.card.run, card: { reader: 'A', atr: 'AA', generation: 1, virtual: true, number: 'TP03130708163649', certificates: [], caCertificates: [], consistent: true } });
  s = reduce(s, { type: 'check-done', run: s.card.run, result: RESULTS.A() });
  assert.equal(summaryOf(s, words('zh-TW')), 'TP03130708163649 · 判定 A（有效）');
  assert.equal(summaryOf(s, words('en')), 'TP03130708163649 · verdict A (valid)');
});

test('screen modes: alternate screen on a terminal; TERM=dumb line mode; ASCII for a C locale', () => {
  const tty = { isTTY: true };
  assert.deepEqual(screenModeFor({ TERM: 'xterm-256color', LANG: 'zh_TW.UTF-8' }, tty, false), { altScreen: true, lineMode: false, ascii: false });
  assert.deepEqual(screenModeFor({ TERM: 'dumb', LANG: 'en_US.UTF-8' }, tty, false), { altScreen: false, lineMode: true, ascii: true });
  assert.equal(screenModeFor({ TERM: 'xterm', LANG: 'C' }, tty, false).ascii, true);
  assert.equal(screenModeFor({ TERM: 'xterm', LC_ALL: 'POSIX', LANG: 'en_US.UTF-8' }, tty, false).ascii, true, 'LC_ALL first');
  assert.equal(screenModeFor({ TERM: 'xterm', LANG: 'C.UTF-8' }, tty, false).ascii, false);
  assert.equal(screenModeFor({ TERM: 'xterm' }, { isTTY: false }, false).altScreen, false);
  assert.deepEqual(screenModeFor({ TERM: 'xterm', LANG: 'C.UTF-8' }, tty, true), { altScreen: false, lineMode: false, ascii: false }, 'CI: neither');
});

test('line mode: each distinct frame printed once, no cursor motion', () => {
  const written: string[] = [];
  const fake = { write: (s: string) => written.push(s) > 0, columns: 80, rows: 24, isTTY: true } as unknown as NodeJS.WriteStream;
  const out = lineModeStdout(fake);
  out.write('\u001B[?25lstarting...');
  out.write('starting...');
  out.write('Card\nverdict A');
  out.write('Card\nverdict A');
  assert.deepEqual(written, ['starting...\n\n', 'Card\nverdict A\n\n']);
  assert.ok(!written.join('').includes('\u001B'), 'no escape sequence at all');
  assert.equal(out.columns, 80);
});
