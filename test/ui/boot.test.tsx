import { test } from 'node:test';
import assert from 'node:assert/strict';
import { EventEmitter } from 'node:events';
import { render } from 'ink';
import { Boot } from '../../source/ui/boot.js';
import type { Engine } from '../../source/ui/engine.js';
import { MoicaError } from '../../source/errors.js';
import { FakeEngine } from './fake-engine.js';
import { tick } from './render.js';

function mount(pending: Promise<Engine>) {
  const frames: string[] = [];
  const stdout = Object.assign(new EventEmitter(), { columns: 80, rows: 24, write: (f: string) => frames.push(f) > 0 });
  const stdin = Object.assign(new EventEmitter(), { isTTY: false, setEncoding() {}, resume() {}, pause() {}, ref() {}, unref() {}, read: () => null });
  const instance = render(<Boot pending={pending} lang="zh-TW" color={false} ascii={false} />, {
    stdout: stdout as unknown as NodeJS.WriteStream, stdin: stdin as unknown as NodeJS.ReadStream, debug: true, exitOnCtrlC: false, patchConsole: false,
  });
  const waitFor = async (text: string): Promise<string> => {
    const deadline = Date.now() + 3000;
    while (!(frames.at(-1) ?? '').includes(text)) {
      if (Date.now() > deadline) throw new Error(`no "${text}" in ${frames.at(-1)}`);
      await tick();
    }
    return frames.at(-1)!;
  };
  return { frames, instance, waitFor };
}

test('boot: the first frame comes before the engine; then the App takes over', async () => {
  let resolve!: (e: Engine) => void;
  const { frames, instance, waitFor } = mount(new Promise<Engine>((r) => (resolve = r)));
  assert.match(frames[0] ?? '', /自然人憑證 IC卡檢測重寫 · 啟動中/, 'a frame at once, engine still pending');
  const engine = new FakeEngine();
  engine.addReader('Virtual PCD 00 00');
  engine.insert('Virtual PCD 00 00');
  resolve(engine);
  await waitFor('✔ 有效');
  instance.unmount();
});

test('boot: an engine that cannot start is said in words and ends with its exit code', async () => {
  const { frames, instance } = mount(Promise.reject(new MoicaError('pcsc-unavailable', 'PC/SC service not running')));
  // The error and the exit come in one turn; Ink writes that frame by the time it has exited (under CI=true
  // Ink holds frames until then), so read the frames after the exit.
  assert.equal(await instance.waitUntilExit(), 3);
  const frame = frames.find((f) => f.includes('無法啟動'));
  assert.ok(frame, `no "無法啟動" in ${frames.join('\n')}`);
  assert.match(frame, /✖/);
});
