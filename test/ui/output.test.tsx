import { test } from 'node:test';
import assert from 'node:assert/strict';
import { stripVTControlCharacters } from 'node:util';
import type { EventFeed, EventLine } from '../../source/ui/engine.js';
import { initialOverlays, reduceOverlays } from '../../source/ui/state/overlays.js';
import { outputLayout } from '../../source/ui/view/output-lines.js';
import { FakeEngine } from './fake-engine.js';
import { RESULTS } from './fixtures.js';
import { assertFits } from './frames.js';
import { KEYS, renderApp, type Rendered } from './render.js';

const READER = 'ACS ACR39U 00 00';
const PAGE_UP = '\u001B[5~';
const END = '\u001B[F';

function engineWithCard(): FakeEngine {
  const engine = new FakeEngine({ demo: true });
  engine.addReader(READER);
  engine.insert(READER);
  engine.checkAnswer = RESULTS['B-1']();
  return engine;
}

/** The Output panel's rows in a frame: from its top edge to the line before the status bar. */
function outputRows(frame: string): string[] {
  const lines = stripVTControlCharacters(frame).split('\n');
  const top = lines.findIndex((l) => /[╭-]─? ?Output/.test(l) || l.includes('── Output'));
  assert.ok(top >= 0, `no Output panel:\n${frame}`);
  return lines.slice(top, lines.length - 2);
}

async function open(app: Rendered): Promise<string> {
  await app.press('o');
  return app.waitFor((f) => f.includes('Output'), 'Output panel');
}

test('layout: a third of the height, at least 5 rows; the whole screen under 20 rows', () => {
  assert.deepEqual(outputLayout(30), { full: false, rows: 10 });
  assert.deepEqual(outputLayout(24), { full: false, rows: 8 });
  assert.deepEqual(outputLayout(20), { full: false, rows: 6 });
  assert.deepEqual(outputLayout(19), { full: true, rows: 0 });
  assert.equal(outputLayout(200).rows, 66);
});

test('toggle: o opens a bottom panel of a third of the height with the live log; o closes it; it fits', async () => {
  const engine = engineWithCard();
  const app = await renderApp({ engine, lang: 'en' }, { columns: 100, rows: 30 });
  await app.waitFor((f) => f.includes('rewrite needed'), 'B-1');
  engine.events.push('reader', `reader added: ${READER}`);
  engine.events.push('apdu', '[ACS ACR39U 00 00] SELECT 80 A4 00 00 02 3F 00 → 9000 (0.1 ms)');
  let frame = await open(app);
  const rows = outputRows(frame);
  assert.equal(rows.length, 10, `10 rows (30 / 3):\n${rows.join('\n')}`);
  assert.match(frame, /\d\d:\d\d:\d\d\.\d{3} apdu +\[ACS ACR39U 00 00\] SELECT 80 A4 00 00 02 3F 00 → 9000 \(0\.1 ms\)/);
  assert.ok(frame.includes('Readers') && frame.includes('rewrite needed'), 'the screens stay above it');
  assertFits(frame, 100, 30);
  // Live: a new line shows without a key.
  engine.events.push('net', 'GET http://127.0.0.1:1234/v1/cards/TP03130708163649 → 200 (3 ms)');
  frame = await app.waitFor((f) => f.includes('/v1/cards/TP03130708163649 → 200'), 'live line');
  await app.press('o');
  frame = await app.waitFor((f) => !f.includes('Output ·'), 'closed');
  assert.ok(!frame.includes('SELECT 80 A4'));
  app.unmount();
});

test('the palette lists the Output panel with its key, and runs it', async () => {
  const app = await renderApp({ engine: engineWithCard(), lang: 'zh-TW' }, { columns: 80, rows: 24 });
  await app.waitFor((f) => f.includes('需重寫'), 'B-1');
  await app.press('\u0010');
  await app.press('output');
  const frame = await app.waitFor((f) => /▶ o +輸出面板/.test(f), 'Output panel entry first');
  assert.match(frame, /\[ +輸出[:：]往上一頁 +[(（]無法使用[:：]輸出面板未開啟[)）]/, 'its scroll keys dimmed while closed');
  await app.press(KEYS.enter);
  await app.waitFor((f) => f.includes('╭─ 輸出 · 0 行') && f.includes('尚無事件'), 'opened, empty');
  app.unmount();
});

test('scroll: PgUp goes back and stays put while lines arrive; PgDn and End come back; the title says how far', async () => {
  const engine = engineWithCard();
  const app = await renderApp({ engine, lang: 'en' }, { columns: 100, rows: 30 });
  await app.waitFor((f) => f.includes('rewrite needed'), 'B-1');
  for (let i = 1; i <= 50; i++) engine.events.push('card', `event ${i} end`);
  let frame = await open(app);
  // 10 rows, framed: 8 lines of content.
  assert.match(frame, /event 50 end/);
  assert.ok(!frame.includes('event 42 end'));
  await app.press(PAGE_UP);
  frame = await app.waitFor((f) => f.includes('7 lines back'), 'one page back (8 lines, one kept)');
  assert.ok(frame.includes('event 43 end') && !frame.includes('event 44 end'), frame);
  engine.events.push('card', 'event 51 end');
  frame = await app.waitFor((f) => f.includes('8 lines back'), 'a new line: the view stays where it was');
  assert.ok(frame.includes('event 43 end') && !frame.includes('event 51 end'));
  for (let i = 0; i < 10; i++) await app.press(PAGE_UP);
  frame = await app.waitFor((f) => f.includes('event 1 end'), 'the oldest line');
  assert.ok(frame.includes('43 lines back'));
  await app.press(KEYS.pageDown);
  frame = await app.waitFor((f) => f.includes('36 lines back'), 'a page on');
  await app.press(END);
  frame = await app.waitFor((f) => f.includes('event 51 end') && !f.includes('lines back'), 'End follows');
  app.unmount();
});

test('1,000-line cap: the ring keeps the last 1,000; the panel says how many were dropped and scrolls to the oldest kept', async () => {
  const engine = engineWithCard();
  const app = await renderApp({ engine, lang: 'en' }, { columns: 100, rows: 30 });
  await app.waitFor((f) => f.includes('rewrite needed'), 'B-1');
  for (let i = 1; i <= 1500; i++) engine.events.push('apdu', `apdu #${i};`);
  let frame = await open(app);
  assert.match(frame, /Output · 1000 lines · 500 older lines dropped/);
  for (let i = 0; i < 200; i++) await app.press(PAGE_UP);
  frame = await app.waitFor((f) => f.includes('apdu #501;'), 'oldest kept');
  assert.ok(!frame.includes('apdu #500;'), 'the dropped ones are gone');
  app.unmount();
});

test('never blocks: 20,000 lines pushed while the panel is open cost a handful of frames, and keys still work', async () => {
  const engine = engineWithCard();
  const app = await renderApp({ engine, lang: 'en' }, { columns: 100, rows: 30 });
  await app.waitFor((f) => f.includes('rewrite needed'), 'B-1');
  await open(app);
  const before = app.stdout.frames.length;
  const t0 = performance.now();
  for (let i = 1; i <= 20_000; i++) engine.events.push('apdu', `burst ${i}`);
  const pushMs = performance.now() - t0;
  await app.waitFor((f) => f.includes('burst 20000'), 'the last line');
  assert.ok(app.stdout.frames.length - before < 20, `${app.stdout.frames.length - before} frames for 20,000 lines`);
  assert.ok(pushMs < 2000, `${pushMs.toFixed(0)} ms to push`);
  await app.press('l');
  await app.waitFor((f) => f.includes('輸出'), 'a key right after the burst');
  app.unmount();
});

test('an ESC sequence in a registry string is shown inert (no escape reaches the terminal), whatever the feed', async () => {
  const engine = engineWithCard();
  // A feed that hands the UI raw text, to show the panel's own sanitize() gate (the engine's ring sanitises too).
  const raw: EventLine[] = [{ seq: 1, at: Date.now(), source: 'net', level: 'warn', text: 'registry: \u001B[2J\u001B]0;owned\u0007\u001B[31mRED\u202E' }];
  const feed: EventFeed = { lines: () => raw, subscribe: () => () => undefined };
  engine.events = feed as FakeEngine['events'];
  const app = await renderApp({ engine, lang: 'en', color: false }, { columns: 100, rows: 30 });
  await app.waitFor((f) => f.includes('rewrite needed'), 'B-1');
  const frame = await open(app);
  assert.ok(frame.includes('registry: [2J]0;owned[31mRED'), frame);
  assert.ok(!app.allFrames().includes('\u001B'), 'no ESC in any frame (colours off)');
  assert.ok(!app.allFrames().includes('\u202E'));
  app.unmount();
});

test('short terminals (< 20 rows): the Output panel takes the whole screen; ↑↓ scroll it; a PIN prompt still shows', async () => {
  const engine = engineWithCard();
  const app = await renderApp({ engine, lang: 'en' }, { columns: 80, rows: 18 });
  await app.waitFor((f) => f.includes('rewrite needed'), 'B-1');
  for (let i = 1; i <= 40; i++) engine.events.push('card', `row ${i} end`);
  let frame = await open(app);
  assert.ok(!frame.includes('Readers') && !frame.includes('Card number'), 'the whole screen');
  assert.equal(outputRows(frame).length, 15, '18 rows - 1 - 2 status lines');
  assertFits(frame, 80, 18);
  assert.ok(frame.includes('row 40 end') && frame.includes('row 28 end'));
  await app.press(KEYS.up);
  frame = await app.waitFor((f) => f.includes('1 lines back') || f.includes('1 line back'), 'a line back');
  assert.ok(frame.includes('row 27 end') && !frame.includes('row 40 end'));
  // r (the rewrite) is still a key here; its prompt takes the screen back.
  await app.press('r');
  frame = await app.waitFor((f) => f.includes('PIN'), 'the PIN prompt');
  assert.ok(!frame.includes('row 27 end'), 'the Output panel gives the screen to the prompt');
  assertFits(frame, 80, 18);
  app.unmount();
});

test('output reducer: scroll bounds, anchor kept, follow', () => {
  let s = reduceOverlays(initialOverlays, { type: 'output-toggle' });
  s = reduceOverlays(s, { type: 'output-scroll', delta: 5, first: 1, last: 20, height: 8 });
  assert.equal(s.output.anchor, 15);
  s = reduceOverlays(s, { type: 'output-scroll', delta: 100, first: 1, last: 20, height: 8 });
  assert.equal(s.output.anchor, 8, 'not past the oldest screenful');
  s = reduceOverlays(s, { type: 'output-scroll', delta: -100, first: 1, last: 20, height: 8 });
  assert.equal(s.output.anchor, null, 'back at the newest: follows');
  s = reduceOverlays(s, { type: 'output-scroll', delta: 3, first: 1, last: 4, height: 8 });
  assert.equal(s.output.anchor, null, 'fewer lines than the panel: nothing to scroll');
});
