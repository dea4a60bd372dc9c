import { test } from 'node:test';
import assert from 'node:assert/strict';
import { errorText } from '../../source/i18n/t.js';
import { FakeEngine } from './fake-engine.js';
import { RESULTS } from './fixtures.js';
import { assertContains, assertFits, squash } from './frames.js';
import { KEYS, renderApp, type Rendered } from './render.js';

const READER = 'Virtual PCD 00 00';
const WARNING = '請注意!憑證更新時請勿拔取卡片，以免造成卡片損毀';
const PROMPT = '請輸入卡片PIN碼(輸入長度為6~8):';

async function atPrompt(engine = new FakeEngine()): Promise<{ app: Rendered; engine: FakeEngine }> {
  engine.addReader(READER);
  engine.insert(READER);
  engine.checkAnswer = RESULTS['B-1']();
  const app = await renderApp({ engine, lang: 'zh-TW' }, { columns: 80, rows: 40 });
  await app.waitFor((f) => f.includes('判定 B-1'), 'B-1');
  await app.press('r');
  const frame = await app.waitFor((f) => f.includes(PROMPT), 'PIN prompt');
  // The write path and the warning are on screen before any digit is asked for.
  assertContains(frame, '寫入方式：示範用的虛擬卡');
  assert.ok(!frame.includes('APDU'), "no jargon in the holder's view");
  assertContains(frame, WARNING);
  return { app, engine };
}

const masked = (frame: string): number => (frame.match(/PIN碼\(輸入長度為6~8\): (•*)✖*_/)?.[1] ?? '').length;
const refused = (frame: string): number => (frame.match(/PIN碼\(輸入長度為6~8\): •*(✖*)_/)?.[1] ?? '').length;

test('PIN: digits show as •, 0x7F and ^H erase, letters are refused, and no digit ever reaches a frame', async () => {
  const { app, engine } = await atPrompt();
  const count = (n: number, what: string): Promise<string> => app.waitFor((f) => masked(f) === n, `${n} mask glyphs (${what})`);
  await app.press('7');
  await app.press('3');
  await count(2, 'two digits');
  // Absence is proven by what follows: had 'x' counted, one more digit would show 4, not 3.
  await app.press('x');
  await app.waitFor((f) => f.includes('PIN碼只能是數字（0-9）'), 'the letter refused in words');
  await app.press('1');
  await count(3, 'a letter is not a digit');
  assert.ok(!app.lastFrame().includes('PIN碼只能是數字'), 'the refusal goes with the next accepted key');
  await app.press(KEYS.backspace);
  await count(2, '0x7F erases');
  await app.press(KEYS.ctrlH);
  await app.press(KEYS.backspace);
  await count(0, '^H erases');
  await app.press('951846');
  await count(6, 'a pasted run of digits');
  await app.press('29');
  await count(8, 'eight digits');
  // A ninth digit is shown as refused (✖) and said in words; Enter then sends nothing (never the first 8).
  await app.press('5');
  let frame = await app.waitFor((f) => refused(f) === 1, 'the ninth digit shown as refused');
  assert.equal(masked(frame), 8);
  assertContains(frame, 'PIN碼最多8位數字');
  await app.press(KEYS.enter);
  frame = await app.waitFor((f) => f.includes('PIN碼最多8位數字'), 'Enter refused while a ninth digit is there');
  assert.equal(engine.pinsReceived.length, 0, 'nothing sent: never truncated to 8');
  await app.press(KEYS.backspace);
  frame = await app.waitFor((f) => refused(f) === 0 && masked(f) === 8, 'Backspace removes the refused digit first');
  await app.press(KEYS.enter);
  await app.waitFor((f) => f.includes('完成憑證重寫流程！憑證已可正常使用。'), 'B-2');
  assert.deepEqual(engine.pinsReceived, [[...Buffer.from('95184629')]], 'the typed PIN reached rewrite(), as ASCII digits');
  assert.deepEqual([...engine.pinBuffers[0]!], [0, 0, 0, 0, 0, 0, 0, 0], 'and was zeroed afterwards');
  const all = app.allFrames();
  for (const secret of ['95184629', '951846', '9518', '73']) assert.ok(!all.includes(secret), `"${secret}" appeared in a frame`);
  for (const call of engine.calls) assert.ok(!JSON.stringify(call.args).includes('9518'), `PIN passed to ${call.method}`);
  app.unmount();
});

test('PIN: a chunk of keys at once (a paste, "12\\x7f34567\\r") is taken key by key and submits', async () => {
  const { app, engine } = await atPrompt();
  await app.press('12\u007F34567\r');
  await app.waitFor((f) => f.includes('完成憑證重寫流程'), 'B-2');
  assert.deepEqual(engine.pinsReceived, [[...Buffer.from('134567')]]);
  assert.ok(!app.allFrames().includes('134567'));
  app.unmount();
});

test('PIN: Enter with fewer than 6 digits asks for 6-8 and sends nothing', async () => {
  const { app, engine } = await atPrompt();
  await app.press('12345');
  await app.waitFor((f) => masked(f) === 5, 'five digits');
  await app.press(KEYS.enter);
  const frame = await app.waitFor((f) => f.includes('請輸入 6~8 位數字'), 'notice');
  assert.equal(masked(frame), 5);
  assert.equal(engine.pinsReceived.length, 0);
  app.unmount();
});

test('PIN: Esc cancels, the typed digits are dropped, and no rewrite happens', async () => {
  const { app, engine } = await atPrompt();
  await app.press('1234');
  await app.waitFor((f) => masked(f) === 4, 'four digits');
  await app.press(KEYS.escape);
  const frame = await app.waitFor((f) => !f.includes(PROMPT), 'prompt closed');
  assert.match(frame, /需重寫/);
  await app.press('r');
  const again = await app.waitFor((f) => f.includes(PROMPT), 'prompt again');
  assert.equal(masked(again), 0, 'a new prompt starts empty');
  assert.equal(engine.calls.filter((c) => c.method === 'rewrite').length, 0);
  app.unmount();
});

test('PIN: a wrong PIN shows the tries left and waits; a blocked PIN ends the flow (exit 6)', async () => {
  const engine = new FakeEngine();
  engine.rewriteOutcomes = [{ kind: 'error', code: 'pin-wrong', detail: { triesLeft: 2 } }, { kind: 'error', code: 'pin-blocked' }];
  const { app } = await atPrompt(engine);
  await app.press('111111');
  await app.press(KEYS.enter);
  const wrong = await app.waitFor((f) => f.includes('尚可嘗試 2 次'), 'tries left');
  assertContains(wrong, errorText('zh-TW', { code: 'pin-wrong', message: '', detail: { triesLeft: 2 } }));
  assert.equal(masked(wrong), 0);
  assert.equal(engine.pinsReceived.length, 1, 'not retried by itself');
  await app.press('222222');
  await app.press(KEYS.enter);
  const blocked = await app.waitFor((f) => f.includes('PIN碼已鎖定'), 'blocked');
  assert.ok(!blocked.includes(PROMPT));
  assertContains(blocked, '用戶代碼', 'the unlock route');
  assertContains(blocked, '戶政事務所');
  assert.ok(!/r 憑證重寫/.test(blocked), 'no rewrite offered');
  assert.equal(engine.pinsReceived.length, 2);
  for (const buffer of engine.pinBuffers) assert.ok(buffer.every((b) => b === 0));
  await app.press('q');
  assert.equal(await app.exitCode(), 6);
});

test('rewrite: progress with bytes written, the warning stays up during the write; q does not quit mid-write', async () => {
  const engine = new FakeEngine();
  engine.rewriteOutcomes = [{ kind: 'hold' }];
  const { app } = await atPrompt(engine);
  await app.press('123456');
  await app.press(KEYS.enter);
  const running = await app.waitFor((f) => f.includes('512/1792'), 'bytes written');
  assertContains(running, WARNING);
  assertContains(running, '寫入憑證序號 0', 'the current step in words');
  await app.press('q');
  await app.press('?');
  assert.match(app.lastFrame(), /512\/1792/, 'still writing');
  engine.release();
  await app.waitFor((f) => f.includes('完成憑證重寫流程'), 'B-2');
  // The card is read and checked again by itself: now it matches.
  await app.waitFor((f) => f.includes('✔ 有效'), 're-check A');
  await app.press(KEYS.escape);
  await app.press('q');
  assert.equal(await app.exitCode(), 0);
});

test('rewrite: an unavailable write path is explained and no PIN is asked', async () => {
  const engine = new FakeEngine();
  engine.path = { path: 'unavailable', code: 'pkcs11-unavailable', detail: 'no PKCS#11 module configured (--pkcs11-module)' };
  engine.addReader(READER);
  engine.insert(READER);
  engine.checkAnswer = RESULTS['B-1']();
  const app = await renderApp({ engine, lang: 'en' }, { columns: 80, rows: 40 });
  await app.waitFor((f) => f.includes('rewrite needed'));
  await app.press('r');
  const frame = await app.waitFor((f) => f.includes('Rewrite unavailable'), 'unavailable');
  assert.ok(!frame.includes('card PIN'));
  await app.press('123456');
  await app.press(KEYS.enter);
  assert.equal(engine.pinsReceived.length, 0);
  app.unmount();
});

test('PIN: a pasted run of 10 digits shows 8 taken and 2 refused, and Enter sends nothing until they are erased', async () => {
  const { app, engine } = await atPrompt();
  await app.press('1234567890');
  let frame = await app.waitFor((f) => refused(f) === 2, 'two refused');
  assert.equal(masked(frame), 8);
  await app.press(KEYS.enter);
  await app.press(KEYS.enter);
  assert.equal(engine.pinsReceived.length, 0);
  await app.press(KEYS.backspace);
  frame = await app.waitFor((f) => refused(f) === 1, 'one refused left');
  await app.press(KEYS.enter);
  assert.equal(engine.pinsReceived.length, 0);
  app.unmount();
});

test('PIN: the last try (read before any VERIFY) is announced, and Enter asks before spending it; n goes back, y sends', async () => {
  const engine = new FakeEngine();
  engine.triesLeft = 1;
  const { app } = await atPrompt(engine);
  let frame = app.lastFrame();
  assertContains(frame, '最後一次嘗試：PIN碼若再輸入錯誤，卡片將被鎖定。');
  await app.press('123456');
  await app.press(KEYS.enter);
  frame = await app.waitFor((f) => f.includes('確定要用最後一次嘗試'), 'confirmation asked');
  assert.match(frame, /y 送出（最後一次）/, 'the keys of the question in the bar');
  assert.equal(engine.pinsReceived.length, 0, 'Enter alone does not spend the last try');
  await app.press('n');
  frame = await app.waitFor((f) => !f.includes('確定要用最後一次嘗試'), 'back to the prompt');
  assert.equal(masked(frame), 6, 'the digits are kept');
  await app.press(KEYS.enter);
  await app.waitFor((f) => f.includes('確定要用最後一次嘗試'), 'asked again');
  await app.press('y');
  await app.waitFor((f) => f.includes('完成憑證重寫流程'), 'B-2');
  assert.deepEqual(engine.rewriteOptions, [{ lastTryConfirmed: true }]);
  assert.deepEqual(engine.pinsReceived, [[...Buffer.from('123456')]]);
  app.unmount();
});

test('PIN: a wrong PIN leaving one try makes the next one the announced, confirmed last try', async () => {
  const engine = new FakeEngine();
  engine.rewriteOutcomes = [{ kind: 'error', code: 'pin-wrong', detail: { triesLeft: 1 } }];
  const { app } = await atPrompt(engine);
  await app.press('111111');
  await app.press(KEYS.enter);
  const frame = await app.waitFor((f) => f.includes('尚可嘗試 1 次'), 'one try left');
  assertContains(frame, '最後一次嘗試');
  await app.press('222222');
  await app.press(KEYS.enter);
  await app.waitFor((f) => f.includes('確定要用最後一次嘗試'), 'confirmation');
  assert.equal(engine.pinsReceived.length, 1);
  await app.press('y');
  await app.waitFor((f) => f.includes('完成憑證重寫流程'), 'B-2');
  assert.deepEqual(engine.rewriteOptions.at(-1), { lastTryConfirmed: true });
  app.unmount();
});

test('PIN: the engine refusing an unconfirmed last try (pin-last-try-unconfirmed) brings back the prompt as the last try', async () => {
  const engine = new FakeEngine();
  engine.rewriteOutcomes = [{ kind: 'error', code: 'pin-last-try-unconfirmed' }];
  const { app } = await atPrompt(engine);
  await app.press('111111');
  await app.press(KEYS.enter);
  const frame = await app.waitFor((f) => f.includes('最後一次嘗試：'), 'last try');
  assert.equal(masked(frame), 0);
  await app.press('111111');
  await app.press(KEYS.enter);
  await app.waitFor((f) => f.includes('確定要用最後一次嘗試'), 'confirmation');
  app.unmount();
});

for (const [columns, rows] of [[40, 15], [60, 20], [80, 24]] as const) {
  test(`PIN ${columns}×${rows}: a blocked PIN (tries 0) is never prompted for; r is gone and the unlock route shows`, async () => {
    const engine = new FakeEngine();
    engine.addReader(READER);
    engine.insert(READER);
    engine.checkAnswer = RESULTS['B-1']();
    engine.triesLeft = 0;
    const app = await renderApp({ engine, lang: 'zh-TW' }, { columns, rows });
    await app.waitFor((f) => f.includes('判定 B-1'), 'B-1');
    await app.press('r');
    let frame = await app.waitFor((f) => f.includes('PIN碼已鎖定'), 'blocked');
    assertFits(frame, columns, rows);
    assert.ok(!frame.includes('PIN碼(輸入長度'), 'no prompt');
    await app.press(KEYS.escape);
    frame = await app.waitFor((f) => !f.includes('憑證重寫 ─') && f.includes('PIN碼已鎖定'), 'panel closed, the route stays');
    assertContains(frame, '用戶代碼');
    assert.ok(!/\br 憑證重寫/.test(frame), 'no r in the hints');
    await app.press('r');
    assert.ok(!app.lastFrame().includes('PIN碼(輸入長度'));
    assert.equal(engine.pinsReceived.length, 0);
    app.unmount();
  });

  test(`PIN ${columns}×${rows}: the demo's prompt says the demo PIN; the prompt, a refused 9th digit and the last try fit`, async () => {
    const engine = new FakeEngine({ demo: true });
    engine.triesLeft = 1;
    engine.addReader(READER);
    engine.insert(READER);
    engine.checkAnswer = RESULTS['B-1']();
    const app = await renderApp({ engine, lang: 'zh-TW' }, { columns, rows });
    await app.waitFor((f) => f.includes('判定 B-1'), 'B-1');
    await app.press('r');
    let frame = await app.waitFor((f) => f.includes(PROMPT.slice(0, 8)), 'prompt');
    assertFits(frame, columns, rows);
    assertContains(frame, '示範卡的PIN碼為123456');
    assertContains(frame, '最後一次嘗試');
    await app.press('123456789');
    frame = await app.waitFor((f) => squash(f).includes('PIN碼最多8位數字'), 'refused');
    assertFits(frame, columns, rows);
    assert.ok(squash(frame).includes('✖'), 'the refused digit is shown');
    app.unmount();
  });
}
