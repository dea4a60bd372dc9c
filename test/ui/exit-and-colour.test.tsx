import { test } from 'node:test';
import assert from 'node:assert/strict';
// Colour is decided when chalk loads: force it on before Ink is imported, to show that the colour theme
// does colour and the no-colour theme (tested with colour forced on) emits no escape at all.
process.env.FORCE_COLOR = '1';
const { FakeEngine } = await import('./fake-engine.js');
const { RESULTS } = await import('./fixtures.js');
const { KEYS, renderApp } = await import('./render.js');

function engineWith(answer: ReturnType<typeof RESULTS.A>) {
  const engine = new FakeEngine();
  engine.addReader('Virtual PCD 00 00');
  engine.insert('Virtual PCD 00 00');
  engine.checkAnswer = answer;
  return engine;
}

test('colour theme colours the status; no-colour theme emits no ANSI even with chalk forced on', async () => {
  const coloured = await renderApp({ engine: engineWith(RESULTS.revoked()), lang: 'en', color: true }, { columns: 80, rows: 24 });
  const frame = await coloured.waitFor((f) => f.includes('revoked'));
  assert.match(frame, /\u001B\[31m/, 'red for revoked');
  coloured.unmount();
  const plain = await renderApp({ engine: engineWith(RESULTS.revoked()), lang: 'en', color: false }, { columns: 80, rows: 24 });
  await plain.waitFor((f) => f.includes('✖ revoked'));
  assert.ok(!plain.allFrames().includes('\u001B'), 'no escape sequences');
  plain.unmount();
});

for (const [name, answer, code] of [['A', RESULTS.A, 0], ['B-1', RESULTS['B-1'], 10], ['C', RESULTS.expired, 20]] as const) {
  test(`q after verdict ${name} exits ${code}; the engine is not closed by the App (run.tsx does)`, async () => {
    const engine = engineWith(answer());
    const app = await renderApp({ engine, lang: 'en' }, { columns: 80, rows: 24 });
    await app.waitFor((f) => f.includes(`verdict ${name}`));
    await app.press('q');
    assert.equal(await app.exitCode(), code);
    assert.equal(engine.closed, false);
  });
}

test('Ctrl-C exits 130', async () => {
  const app = await renderApp({ engine: engineWith(RESULTS.A()), lang: 'en' }, { columns: 80, rows: 24 });
  await app.waitFor((f) => f.includes('verdict A'));
  await app.press(KEYS.ctrlC);
  assert.equal(await app.exitCode(), 130);
});

test('Ctrl-C during a write waits for it to settle, then exits 130', async () => {
  const engine = engineWith(RESULTS['B-1']());
  engine.rewriteOutcomes = [{ kind: 'hold' }];
  const app = await renderApp({ engine, lang: 'en' }, { columns: 80, rows: 24 });
  await app.waitFor((f) => f.includes('verdict B-1'));
  await app.press('r');
  await app.waitFor((f) => f.includes('card PIN'));
  await app.press('123456');
  await app.press(KEYS.enter);
  await app.waitFor((f) => f.includes('512/1792'));
  await app.press(KEYS.ctrlC);
  let exited = false;
  const code = app.exitCode().then((c) => {
    exited = true;
    return c;
  });
  engine.addReader('Another reader');
  await app.waitFor((f) => f.includes('Another reader'), 'still alive: a hot-plug rendered');
  assert.equal(exited, false, 'not left mid-write');
  engine.release();
  assert.equal(await code, 130);
});

test('without raw mode (no TTY stdin, no setRawMode) the App renders: input hooks stay inactive instead of throwing', async () => {
  const engine = engineWith(RESULTS.A());
  const { render } = await import('ink');
  const { EventEmitter } = await import('node:events');
  const { App } = await import('../../source/ui/app.js');
  const frames: string[] = [];
  const stdout = Object.assign(new EventEmitter(), { columns: 80, rows: 24, write: (f: string) => frames.push(f) > 0 });
  const stdin = Object.assign(new EventEmitter(), { isTTY: false, setEncoding() {}, resume() {}, pause() {}, ref() {}, unref() {}, read: () => null });
  const instance = render(<App engine={engine} lang="en" color={false} ascii={false} />, {
    stdout: stdout as unknown as NodeJS.WriteStream, stdin: stdin as unknown as NodeJS.ReadStream, debug: true, exitOnCtrlC: false, patchConsole: false,
  });
  const deadline = Date.now() + 3000;
  while (!(frames.at(-1) ?? '').includes('✔ valid') && Date.now() < deadline) await new Promise((r) => setTimeout(r, 5));
  assert.match(frames.at(-1) ?? '', /✔ valid/);
  instance.unmount();
});
