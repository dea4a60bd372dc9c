/**
 * The frame that ends a busy state is drawn at once (ui/hooks/use-settled-frame.ts), through Ink's own
 * throttled render (not debug mode, which draws every commit). Ink's throttle runs on setTimeout and
 * Date.now, both mocked here, so "inside the 34 ms window" holds however slow the machine is. Frames are
 * counted with Ink's onRender option, which Ink calls for every frame it draws (also under CI, where it
 * writes none).
 */
import { afterEach, beforeEach, mock, test } from 'node:test';
import assert from 'node:assert/strict';
import { useState } from 'react';
import { Text, render } from 'ink';
import { useSettledFrame } from '../../source/ui/hooks/use-settled-frame.js';
import { FakeStdin, FakeStdout } from './render.js';

type ProbeState = { busy: boolean; text: string };

/** A component whose state the test sets; `settle: false` leaves the hook out (Ink's throttle alone). */
function mountProbe(settle: boolean) {
  const control: { set: (next: ProbeState) => void } = { set: () => undefined };
  const drawn = { text: '' };
  const frames: string[] = [];
  function Probe() {
    const [state, setState] = useState<ProbeState>({ busy: false, text: 'idle' });
    control.set = setState;
    drawn.text = state.text;
    useSettledFrame(settle && state.busy);
    return <Text>{state.text}</Text>;
  }
  const instance = render(<Probe />, {
    stdout: new FakeStdout(80, 24) as unknown as NodeJS.WriteStream,
    stdin: new FakeStdin() as unknown as NodeJS.ReadStream,
    stderr: new FakeStdout(80, 24) as unknown as NodeJS.WriteStream,
    debug: false,
    exitOnCtrlC: false,
    patchConsole: false,
    onRender: () => frames.push(drawn.text),
  });
  return { control, frames, unmount: () => instance.unmount() };
}

/** React commits these updates on a later turn of the event loop (not a timer). */
const commit = (): Promise<void> => new Promise((resolve) => setImmediate(resolve));

beforeEach(() => mock.timers.enable({ apis: ['setTimeout', 'Date'] }));
afterEach(() => mock.timers.reset());

test('the commit that ends a busy state is drawn at once, inside the throttle window', async () => {
  const probe = mountProbe(true);
  try {
    assert.deepEqual(probe.frames, ['idle'], 'the first frame is drawn by render()');
    probe.control.set({ busy: true, text: 'reading' });
    await commit();
    assert.deepEqual(probe.frames, ['idle'], 'a busy commit inside the window waits for the throttle');
    probe.control.set({ busy: false, text: 'verdict' });
    await commit();
    assert.deepEqual(probe.frames, ['idle', 'verdict'], 'drawn without the throttle timer');
    mock.timers.tick(100);
    assert.deepEqual(probe.frames, ['idle', 'verdict'], 'the timer then finds nothing pending: no second copy');
  } finally {
    probe.unmount();
  }
});

test('without it, the same commit waits for the throttle timer (what the hook is for)', async () => {
  const probe = mountProbe(false);
  try {
    probe.control.set({ busy: true, text: 'reading' });
    await commit();
    probe.control.set({ busy: false, text: 'verdict' });
    await commit();
    assert.deepEqual(probe.frames, ['idle']);
    mock.timers.tick(100);
    assert.deepEqual(probe.frames, ['idle', 'verdict']);
  } finally {
    probe.unmount();
  }
});
