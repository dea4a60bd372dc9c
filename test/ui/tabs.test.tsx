/**
 * A tab per card (issue 16 item 3): two readers holding a card show a tab bar; Tab / Shift-Tab switch; each
 * tab keeps its own read, check and rewrite; a rewrite in one tab never blocks reading in another; a second
 * write of the same card (same card number in two readers) is refused with a typed error in its tab.
 */
import { test } from 'node:test';
import assert from 'node:assert/strict';
import { stripVTControlCharacters } from 'node:util';
import { t } from '../../source/i18n/t.js';
import '../../source/i18n/check.js';
import { FakeEngine } from './fake-engine.js';
import { card, RESULTS } from './fixtures.js';
import { assertContains, assertFits, squash } from './frames.js';
import { KEYS, renderApp } from './render.js';

const TAB = '\t';
const SHIFT_TAB = '\u001B[Z';
const CTRL_P = '\u0010';
const ONE = 'Virtual PCD 00 00';
const TWO = 'Virtual PCD 00 01';
const N1 = 'TP00000000000001';
const N2 = 'TP00000000000002';

const reads = (engine: FakeEngine, reader?: string): number =>
  engine.calls.filter((c) => c.method === 'readCard' && (reader === undefined || c.args[0] === reader)).length;
/** The tab bar: the line that names both readers (the side bar names one a line). */
const tabLine = (frame: string): string =>
  stripVTControlCharacters(frame).split('\n').find((l) => l.includes('00 00') && l.includes('00 01')) ?? '';

/** Tab 1 shown, r, the PIN, Enter: the rewrite starts and is held at its first chunk (the fake engine's hold). */
async function startHeldRewrite(app: Awaited<ReturnType<typeof renderApp>>, tab1: (frame: string) => boolean = (f) => f.includes('verdict B-1')): Promise<string> {
  await app.press(TAB);
  await app.waitFor(tab1, 'tab 1: B-1');
  await app.press('r');
  await app.waitFor((f) => f.includes('PIN') && f.includes('0-9'), 'the PIN prompt');
  await app.press('123456');
  await app.press(KEYS.enter);
  return app.waitFor((f) => f.includes('512/1792'), 'tab 1 writing');
}

function twoCards(first = RESULTS.A(), second = RESULTS['B-1'](), numbers: [string, string] = [N1, N2]): FakeEngine {
  const engine = new FakeEngine();
  engine.addReader(ONE);
  engine.addReader(TWO);
  engine.insert(ONE, card(ONE, numbers[0]));
  engine.insert(TWO, card(TWO, numbers[1]));
  if (numbers[0] !== numbers[1]) {
    engine.checkAnswers.set(numbers[0], first);
    engine.checkAnswers.set(numbers[1], second);
  } else engine.checkAnswer = first;
  return engine;
}

test('two cards → two tabs; Tab / Shift-Tab switch; each tab keeps its verdict (not read again); the side bar agrees', async () => {
  const engine = twoCards();
  const app = await renderApp({ engine, lang: 'en' }, { columns: 100, rows: 30 });
  let frame = await app.waitFor((f) => tabLine(f) !== '', 'the tab bar');
  // Nothing read until a tab is shown (as before tabs: nothing is read until its reader is picked).
  assert.equal(reads(engine), 0);
  assert.match(tabLine(frame), /Virtual PCD 00 00 ·\s+Virtual PCD 00 01 ·/, 'both tabs, not read yet');

  await app.press(TAB);
  frame = await app.waitFor((f) => f.includes(N1) && f.includes('✔ valid'), 'tab 1 checked');
  assert.match(tabLine(frame), /▶ Virtual PCD 00 00 ✔\s+Virtual PCD 00 01 ·/, 'tab 1 shown, its verdict glyph');
  assert.match(frame, /▶ Virtual PCD 00 00/, 'the side bar selects the same reader');
  assertContains(frame, 'Tab next card', 'the key is hinted');

  await app.press(TAB);
  frame = await app.waitFor((f) => f.includes(N2) && f.includes('verdict B-1'), 'tab 2 checked');
  assert.ok(!frame.includes(N1), 'tab 1 card not on screen');
  assert.match(tabLine(frame), /Virtual PCD 00 00 ✔\s+▶ Virtual PCD 00 01 ⚠/, 'two verdicts, each tab its own glyph');
  assert.match(frame, /r rewrite/, 'the rewrite is offered for the B-1 card');

  await app.press(SHIFT_TAB);
  frame = await app.waitFor((f) => f.includes(N1) && f.includes('✔ valid'), 'back on tab 1');
  assert.equal(reads(engine, ONE), 1, 'tab 1 kept its read and check: not read again');
  assert.equal(reads(engine, TWO), 1);
  assert.ok(!/r rewrite/.test(frame), 'no rewrite for the A card: the key context is the shown tab\'s');
  // ↑↓ (the side bar) moves the same selection.
  await app.press(KEYS.down);
  frame = await app.waitFor((f) => f.includes(N2), 'tab 2 by the side bar');
  assert.match(tabLine(frame), /▶ Virtual PCD 00 01 ⚠/);
  app.unmount();
});

test('a rewrite in tab 1 while tab 2 is read and checked; leaving waits for the write; the tab bar shows it writing', async () => {
  const engine = twoCards(RESULTS['B-1'](), RESULTS.revoked());
  engine.rewriteOutcomes = [{ kind: 'hold' }];
  const app = await renderApp({ engine, lang: 'en' }, { columns: 100, rows: 30 });
  const writing = await startHeldRewrite(app, (f) => f.includes(N1) && f.includes('verdict B-1'));
  assert.match(writing, /rewriting: do not remove the card  Tab next card/, 'the bar: the warning, and the one key that works');

  // Tab 2 is read and checked while tab 1's write is held open.
  await app.press(TAB);
  let frame = await app.waitFor((f) => f.includes(N2) && f.includes('✖ revoked'), 'tab 2 read and checked meanwhile');
  assert.equal(engine.calls.filter((c) => c.method === 'rewrite').length, 1);
  assert.equal(engine.writing.has(N1), true, 'tab 1 still writing');
  assert.doesNotMatch(tabLine(frame), /00 00 ✔|00 00 ⚠/, 'tab 1 shows it is busy, not a verdict');
  assert.ok(!/\bd re-detect/.test(frame), 're-detect (it would close the card being written) is not offered');
  await app.press('c');
  await app.waitFor(() => engine.calls.filter((c) => c.method === 'check' && c.args[0] === N2).length === 2, 'tab 2 checked again');
  // q on tab 2 waits for tab 1's write (it is never interrupted).
  await app.press('q');
  let exited = false;
  void app.exitCode().then(() => (exited = true));
  await app.press(SHIFT_TAB);
  assert.equal(exited, false);

  engine.release();
  assert.equal(await app.exitCode(), 130, 'left once the write settled');
  assert.equal(engine.writing.size, 0);
});

test('after a rewrite in tab 1 completes in the background, tab 1 shows B-2 and is checked again; tab 2 untouched', async () => {
  const engine = twoCards(RESULTS['B-1'](), RESULTS.suspended());
  engine.rewriteOutcomes = [{ kind: 'hold' }];
  const app = await renderApp({ engine, lang: 'en' }, { columns: 100, rows: 30 });
  await startHeldRewrite(app);
  await app.press(TAB);
  await app.waitFor((f) => f.includes(N2) && f.includes('✖ suspended'), 'tab 2');
  engine.release();
  // Tab 1's card is read and checked again by itself, in the background.
  await app.waitFor(() => reads(engine, ONE) === 2 && engine.calls.filter((c) => c.method === 'check' && c.args[0] === N1).length === 2, 'tab 1 re-read and re-checked');
  let frame = await app.waitFor((f) => /00 00 ✔/.test(tabLine(f)), 'tab 1 glyph: ✔');
  assert.match(frame, /✖ suspended/, 'tab 2 still shown, untouched');
  await app.press(TAB);
  frame = await app.waitFor((f) => f.includes(N1) && f.includes('verdict B-2'), 'tab 1: B-2');
  assert.match(frame, /✔ valid/, 'and the re-check: A');
  await app.press(KEYS.escape);
  await app.press('q');
  assert.equal(await app.exitCode(), 0, 'the exit code is the shown tab\'s (B-2 then A)');
});

test('the same card in two readers: a second rewrite while the first writes is refused (card-busy) in its own tab', async () => {
  const engine = twoCards(RESULTS['B-1'](), RESULTS['B-1'](), [N1, N1]);
  engine.rewriteOutcomes = [{ kind: 'hold' }];
  const app = await renderApp({ engine, lang: 'en' }, { columns: 100, rows: 30 });
  await startHeldRewrite(app);
  await app.press(TAB);
  await app.waitFor((f) => /▶ Virtual PCD 00 01/.test(tabLine(f)) && f.includes('verdict B-1'), 'tab 2: the same card number, B-1');
  await app.press('r');
  await app.waitFor((f) => f.includes('0-9'), 'tab 2 PIN prompt');
  await app.press('123456');
  await app.press(KEYS.enter);
  let frame = await app.waitFor((f) => squash(f).includes(squash(t('en', 'rewrite.busyInTab', { reader: ONE }))), 'refused in tab 2');
  assert.match(tabLine(frame), /▶ Virtual PCD 00 01 ✖/, 'tab 2 marked with the error glyph');
  assertContains(frame, t('en', 'next.card-busy-tab'), 'what to do: follow it in its tab, then r');
  assert.equal(engine.calls.filter((c) => c.method === 'rewrite').length, 2);
  assert.equal(engine.pinsReceived.length, 1, 'the refused rewrite sent nothing');
  // Tab 1 still writes, and finishes.
  await app.press(SHIFT_TAB);
  frame = await app.waitFor((f) => f.includes('512/1792'), 'tab 1 still writing');
  assert.ok(!squash(frame).includes(squash(t('en', 'rewrite.busyInTab', { reader: ONE }))), 'the error is tab 2\'s only');
  engine.release();
  await app.waitFor((f) => f.includes('verdict B-2'), 'tab 1: B-2');
  app.unmount();
});

test('40×15: the tab bar fits (names shortened, the slot numbers kept) and the verdict line stays on screen', async () => {
  const engine = twoCards(RESULTS.revoked(), RESULTS.A());
  const app = await renderApp({ engine, lang: 'zh-TW' }, { columns: 40, rows: 15 });
  await app.press(TAB);
  const frame = await app.waitFor((f) => f.includes('✖ 廢止'), 'verdict C');
  assertFits(frame, 40, 15);
  const bar = tabLine(frame);
  assert.ok(bar !== '', `a tab bar naming both readers' slots:\n${frame}`);
  assert.match(bar, /▶ .*00 00 ✖/);
  assert.match(bar, /00 01 ·/);
  assert.match(frame, /✖ 廢止 · 判定 C/, 'the verdict line');
  assert.equal(stripVTControlCharacters(frame).split('\n')[0], bar, 'the tab bar on top of the main column');
  app.unmount();
});

test('palette: the tab commands are listed; dimmed with why while only one card is present, available with two', async () => {
  const engine = new FakeEngine();
  engine.addReader(ONE);
  engine.insert(ONE, card(ONE, N1));
  const app = await renderApp({ engine, lang: 'en' }, { columns: 100, rows: 40 });
  await app.waitFor((f) => f.includes('✔ valid'), 'one card checked');
  assert.equal(tabLine(app.lastFrame()), '', 'no tab bar with one card');
  await app.press(CTRL_P);
  await app.press('tab');
  let frame = await app.waitFor((f) => f.includes('Next card tab'), 'listed');
  assert.match(frame, /Next card tab.*only one card/);
  assert.match(frame, /Previous card tab.*only one card/);
  await app.press(KEYS.escape);

  engine.addReader(TWO);
  engine.insert(TWO, card(TWO, N2));
  await app.waitFor((f) => tabLine(f) !== '', 'two tabs');
  await app.press(CTRL_P);
  await app.press('next card');
  frame = await app.waitFor((f) => f.includes('Next card tab'), 'listed');
  assert.doesNotMatch(frame, /Next card tab.*only one card/);
  await app.press(KEYS.enter);
  await app.waitFor((f) => f.includes(N2) && /▶ Virtual PCD 00 01/.test(tabLine(f)), 'run from the palette: tab 2');
  app.unmount();
});

test('重新偵測 (d) reads the shown card again; a parked tab reads its card again when shown (never checked against a dropped read)', async () => {
  const engine = twoCards(RESULTS.A(), RESULTS.revoked());
  const app = await renderApp({ engine, lang: 'en' }, { columns: 100, rows: 30 });
  await app.press(TAB);
  await app.waitFor((f) => f.includes(N1) && f.includes('✔ valid'), 'tab 1');
  await app.press(TAB);
  await app.waitFor((f) => f.includes(N2) && f.includes('✖ revoked'), 'tab 2');
  await app.press('d');
  await app.waitFor(() => reads(engine, TWO) === 2, 'the shown card read again');
  let frame = await app.waitFor((f) => f.includes('✖ revoked') && /00 00 ·/.test(tabLine(f)), 'tab 1 forgot its read');
  assert.equal(reads(engine, ONE), 1, 'tab 1 not read while not shown');
  await app.press(SHIFT_TAB);
  frame = await app.waitFor((f) => f.includes(N1) && f.includes('✔ valid'), 'tab 1 read again when shown');
  assert.equal(reads(engine, ONE), 2);
  assert.match(tabLine(frame), /▶ Virtual PCD 00 00 ✔/);
  app.unmount();
});
