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
import { setFlagsFromString } from 'node:v8';
import { render } from 'ink';
import type { Options } from '../options.js';
import { Boot } from './boot.js';
import type { CreateEngine, Engine } from './engine.js';
import { ALT_ENTER, ALT_LEAVE, lineModeStdout, screenModeFor } from './screen-mode.js';

/**
 * Node's builtins that the TUI's engine loads for a check: got's imports (http, https, tls, zlib, dns, its
 * timers), the card lock's and the caches' fs/promises, and the demo's in-process server (cluster, which
 * node's listen() loads); WebCrypto is taken beside them. test/ui/builtins-before-flag proves no other
 * builtin is loaded after the flag, but for internal modules no name reaches (webcrypto's RSA and WebIDL parts).
 */
export const CHECK_BUILTINS = [
  'node:fs/promises', 'node:http', 'node:https', 'node:tls', 'node:zlib', 'node:dns', 'node:dns/promises', 'node:timers/promises', 'node:cluster',
] as const;

/** The young generation's cap (below), and V8's own default for the same flag (`node --v8-options`). */
const CAP_YOUNG_GENERATION = '--semi-space-growth-factor=1';
export const V8_DEFAULT_YOUNG_GENERATION = '--semi-space-growth-factor=2';

/**
 * From here on V8's young generation keeps the size it grew to while Ink, React, yoga and the engine loaded,
 * instead of doubling again under the check's short-lived garbage. That growth was ≈ 13 MiB of the TUI's
 * ≈ 100 MiB peak; capped it costs the check a few more (small) scavenges (issue 15; README, Figures). Called
 * once the engine's bundle is loaded (tui-session.ts), so that both code caches are read, and made, under
 * V8's default flags (v8FlagsAsAtStart). The builtins the check will load are loaded first, while V8's flags are
 * still those node was built with: a flag set at run time changes V8's flag hash, and node's builtins loaded
 * after it are compiled from their source instead of from node's own code cache (measured: these 2.3 ms
 * before the flag, 6.5 ms after).
 */
export function capYoungGeneration(): void {
  for (const id of CHECK_BUILTINS) process.getBuiltinModule(id);
  void process.getBuiltinModule('node:crypto').webcrypto.subtle; // WebCrypto, which pkijs takes at load (a lazy getter)
  setFlagsFromString(CAP_YOUNG_GENERATION);
}

/**
 * V8's flags as at a start, the young generation's cap lifted: for the code caches (code-cache.ts), which a
 * start reads before any flag is set and which V8 refuses when made under other flags (V8 hashes the flags
 * that differ from their defaults). Called as the session ends, before the caches are made (tui-session.ts).
 */
export function v8FlagsAsAtStart(): void {
  setFlagsFromString(V8_DEFAULT_YOUNG_GENERATION);
}

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
    // The first frame is drawn (Ink renders it within render()).
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
