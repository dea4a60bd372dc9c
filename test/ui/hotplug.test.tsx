import { test } from 'node:test';
import assert from 'node:assert/strict';
import { FakeEngine } from './fake-engine.js';
import { card, RESULTS } from './fixtures.js';
import { KEYS, renderApp } from './render.js';

test('hot-plug: readers come and go, cards in and out, a swap is read again; no keystroke needed', async () => {
  const engine = new FakeEngine();
  const app = await renderApp({ engine, lang: 'en' }, { columns: 100, rows: 30 });
  await app.waitFor((f) => f.includes('No reader'), 'no reader');
  assert.ok(engine.listenerCount() > 0);

  engine.addReader('ACS ACR39U 00 00');
  await app.waitFor((f) => f.includes('ACS ACR39U 00 00') && f.includes('○ no card') && f.includes('No card: insert the card'), 'reader, no card');

  engine.insert('ACS ACR39U 00 00');
  let frame = await app.waitFor((f) => f.includes('✔ valid'), 'read and checked');
  assert.match(frame, /▶ ACS ACR39U 00 00/, 'selection marked with a glyph');
  assert.match(frame, /● MOICA card/);
  assert.match(frame, /TP03130708163649/);

  engine.pull('ACS ACR39U 00 00');
  frame = await app.waitFor((f) => f.includes('No card: insert the card'), 'panels cleared');
  assert.ok(!frame.includes('TP03130708163649'), 'the old card number is gone');
  assert.ok(!frame.includes('✔ valid'), 'the old verdict is gone');

  engine.insert('ACS ACR39U 00 00', card('ACS ACR39U 00 00', 'TP03140220064550', ['800063B6593F4FD861560', '74C123FF31404FD8C756']));
  engine.checkAnswer = RESULTS.suspended();
  await app.waitFor((f) => f.includes('TP03140220064550') && f.includes('✖ suspended'), 'new card');

  // A swap that arrives as one insert event, with no removal seen.
  const before = engine.calls.filter((c) => c.method === 'readCard').length;
  engine.cards.set('ACS ACR39U 00 00', card('ACS ACR39U 00 00', 'GP0000000615421', ['410D648A5422AE8BF219', 'AA0C0B6EB9F30B184069']));
  engine.checkAnswer = RESULTS.expired();
  engine.insert('ACS ACR39U 00 00', engine.cards.get('ACS ACR39U 00 00')!);
  frame = await app.waitFor((f) => f.includes('GP0000000615421') && f.includes('✖ expired'), 'swapped card');
  assert.ok(!frame.includes('TP03140220064550'));
  assert.equal(engine.calls.filter((c) => c.method === 'readCard').length, before + 1);

  engine.removeReader('ACS ACR39U 00 00');
  await app.waitFor((f) => f.includes('No reader') && !f.includes('GP0000000615421'), 'reader removed');
  app.unmount();
  assert.equal(engine.listenerCount(), 0, 'unsubscribed on unmount');
});

test('two readers with cards: nothing is read until one is picked; ↑↓ moves the selection', async () => {
  const engine = new FakeEngine();
  engine.addReader('Reader One');
  engine.addReader('Reader Two');
  engine.insert('Reader One', card('Reader One', 'TP00000000000001'));
  engine.insert('Reader Two', card('Reader Two', 'TP00000000000002'));
  const app = await renderApp({ engine, lang: 'en' }, { columns: 100, rows: 30 });
  const first = await app.waitFor((f) => f.includes('Select a card reader'), 'asks for a pick');
  assert.equal(engine.calls.filter((c) => c.method === 'readCard').length, 0);
  // Both cards present but unread (with tabs, a card read once stays read in its tab: issue 16).
  assert.equal(first.match(/card \(not read\)/g)?.length, 2, 'the cards are present but unread');
  await app.press(KEYS.down);
  await app.waitFor((f) => f.includes('TP00000000000001') && f.includes('▶ Reader One'), 'first');
  await app.press(KEYS.down);
  const frame = await app.waitFor((f) => f.includes('TP00000000000002') && f.includes('▶ Reader Two'), 'second');
  assert.match(frame, /Reader One\s+│[^\n]*\n│\s+● MOICA card/, 'the other card, read in its tab, is said to be MOICA');
  assert.ok(!/card \(not read\)/.test(frame), 'no card unread now');
  app.unmount();
});

test('重新偵測 (d) re-enumerates and reads the card again; PC/SC going down is said in words', async () => {
  const engine = new FakeEngine();
  engine.addReader('Virtual PCD 00 00');
  engine.insert('Virtual PCD 00 00');
  const app = await renderApp({ engine, lang: 'zh-TW' }, { columns: 100, rows: 30 });
  await app.waitFor((f) => f.includes('✔ 有效'));
  const reads = engine.calls.filter((c) => c.method === 'readCard').length;
  await app.press('d');
  await app.waitFor(() => engine.calls.filter((c) => c.method === 'readCard').length === reads + 1, 're-read');
  assert.ok(engine.calls.some((c) => c.method === 'redetect'));
  await app.waitFor((f) => f.includes('✔ 有效'), 'checked again');
  engine.service(false);
  await app.waitFor((f) => f.includes('✖ PC/SC 服務未執行') && f.includes('PC/SC 未執行'), 'service down');
  app.unmount();
});

test('demo: s cycles the scenarios, shown in the side bar and the status bar', async () => {
  const engine = new FakeEngine({ demo: true });
  engine.addReader('Virtual PCD 00 00');
  const app = await renderApp({ engine, lang: 'en' }, { columns: 100, rows: 30 });
  await app.waitFor((f) => f.includes('▶ rewrite') && f.includes('demo: rewrite'));
  await app.press('s');
  await app.waitFor((f) => f.includes('▶ revoked') && f.includes('demo: revoked'), 'next scenario');
  assert.deepEqual(engine.calls.filter((c) => c.method === 'switchTo').map((c) => c.args[0]), ['revoked']);
  app.unmount();
});
