/**
 * Starts the TUI: renders the first frame at once (Boot), builds the engine meanwhile with the factory
 * cli.tsx (the composition root) hands over, then the App; resolves with the exit code the App chose and
 * releases the engine. Ink's own Ctrl-C exit is off: the App maps Ctrl-C to 130.
 *
 * The screen (ui/screen-mode.ts decides): on a terminal, the alternate screen (a resize leaves no stale
 * frames; the shell's screen comes back on exit) and, once it is left, one summary line on the normal
 * screen (over the pre-painted starting line, which it replaces). TERM=dumb: line mode, no cursor motion:
 * each state the screen reaches is printed once, in full, line by line, ASCII glyphs.
 */
import { render } from 'ink';
import type { Options } from '../options.js';
import { Boot } from './boot.js';
import type { CreateEngine, Engine } from './engine.js';
import { ALT_ENTER, ALT_LEAVE, lineModeStdout, screenModeFor } from './screen-mode.js';

export async function runTui(options: Options, createEngine: CreateEngine): Promise<number> {
  // The engine is built while the first frame is already on screen.
  const pending: Promise<Engine> = (async () => createEngine(options))();
  pending.catch(() => undefined);
  const mode = screenModeFor(process.env, process.stdout);
  let summary: string | undefined;
  const stdout = mode.lineMode ? lineModeStdout(process.stdout) : process.stdout;
  if (mode.altScreen) process.stdout.write(ALT_ENTER);
  try {
    const instance = render(
      <Boot
        pending={pending}
        lang={options.lang}
        color={options.color}
        ascii={options.ascii || mode.ascii}
        lineMode={mode.lineMode}
        onSummary={(line) => (summary = line)}
      />,
      { exitOnCtrlC: false, stdout, ...(mode.lineMode ? { debug: true, patchConsole: false } : {}) },
    );
    const code = await instance.waitUntilExit();
    return typeof code === 'number' ? code : 0;
  } finally {
    if (mode.altScreen) process.stdout.write(ALT_LEAVE);
    // Over the pre-painted line (the cursor is at its start): the summary, then the rest of that line cleared.
    if (summary !== undefined && summary !== '') process.stdout.write(`moica-check: ${summary}${mode.altScreen ? '\u001B[K' : ''}\n`);
    const engine = await pending.catch(() => undefined);
    await engine?.close();
  }
}
