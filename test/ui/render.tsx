/**
 * Renders the App into fake streams with settable columns and rows (ink-testing-library fixes 100
 * columns and has no rows), and waits a tick after every input: stdin written before Ink's effects
 * subscribe is lost, and a lone Esc is only flushed on the next setImmediate.
 */
import { EventEmitter } from 'node:events';
import { render } from 'ink';
import { App, type AppProps } from '../../source/ui/app.js';

export class FakeStdout extends EventEmitter {
  readonly isTTY = true;
  frames: string[] = [];
  constructor(public columns: number, public rows: number) {
    super();
  }
  write = (frame: string): boolean => {
    this.frames.push(frame);
    return true;
  };
  resize(columns: number, rows: number): void {
    this.columns = columns;
    this.rows = rows;
    this.emit('resize');
  }
}

export class FakeStdin extends EventEmitter {
  isTTY = true;
  private data: string | null = null;
  write(data: string): void {
    this.data = data;
    this.emit('readable');
    this.emit('data', data);
  }
  read = (): string | null => {
    const { data } = this;
    this.data = null;
    return data;
  };
  setEncoding(): void {}
  setRawMode(): void {}
  resume(): void {}
  pause(): void {}
  ref(): void {}
  unref(): void {}
}

export const tick = async (): Promise<void> => {
  await new Promise((resolve) => setImmediate(resolve));
  await new Promise((resolve) => setTimeout(resolve, 0));
};

export interface Rendered {
  stdout: FakeStdout;
  lastFrame(): string;
  /** Every frame rendered so far, joined (to assert something never appeared). */
  allFrames(): string;
  press(input: string): Promise<void>;
  /** Polls frames until `predicate` holds; fails with the last frame after `ms`. */
  waitFor(predicate: (frame: string) => boolean, what?: string, ms?: number): Promise<string>;
  resize(columns: number, rows: number): Promise<void>;
  exitCode(): Promise<unknown>;
  unmount(): void;
}

export const KEYS = { enter: '\r', escape: '\u001B', backspace: '\u007F', ctrlH: '\b', up: '\u001B[A', down: '\u001B[B', pageDown: '\u001B[6~', ctrlC: '\u0003' };

export async function renderApp(props: Partial<AppProps> & Pick<AppProps, 'engine'>, size = { columns: 100, rows: 30 }): Promise<Rendered> {
  const stdout = new FakeStdout(size.columns, size.rows);
  const stdin = new FakeStdin();
  const stderr = new FakeStdout(size.columns, size.rows);
  const instance = render(<App lang="en" color={false} ascii={false} now={() => new Date('2026-01-15T04:00:00Z')} {...props} />, {
    stdout: stdout as unknown as NodeJS.WriteStream,
    stdin: stdin as unknown as NodeJS.ReadStream,
    stderr: stderr as unknown as NodeJS.WriteStream,
    debug: true,
    exitOnCtrlC: false,
    patchConsole: false,
  });
  const exited = instance.waitUntilExit();
  await tick();
  const lastFrame = (): string => stdout.frames.at(-1) ?? '';
  return {
    stdout,
    lastFrame,
    allFrames: () => stdout.frames.join('\n'),
    async press(input) {
      stdin.write(input);
      await tick();
    },
    async waitFor(predicate, what = 'condition', ms = 3000) {
      const deadline = Date.now() + ms;
      for (;;) {
        const frame = lastFrame();
        if (predicate(frame)) return frame;
        if (Date.now() > deadline) throw new Error(`timed out waiting for ${what}; last frame:\n${frame}`);
        await tick();
      }
    },
    async resize(columns, rows) {
      stdout.resize(columns, rows);
      await tick();
    },
    exitCode: () => exited,
    unmount: () => instance.unmount(),
  };
}
