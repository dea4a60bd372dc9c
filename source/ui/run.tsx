/**
 * Starts the TUI: renders the first frame at once (Boot), builds the engine (source/engine/, the
 * integrator's) meanwhile, then the App; resolves with the exit code the App chose and releases the
 * engine. Ink's own Ctrl-C exit is off: the App maps Ctrl-C to 130.
 */
import { render } from 'ink';
import type { Options } from '../options.js';
import { Boot } from './boot.js';
import type { CreateEngine, Engine } from './engine.js';

async function loadCreateEngine(): Promise<CreateEngine> {
  // Loaded on demand (cli.tsx imports this file only for the TUI); a literal, so the bundle carries it.
  const mod = await import('../engine/index.js');
  return mod.createEngine;
}

export async function runTui(options: Options, createEngine?: CreateEngine): Promise<number> {
  // The engine is built while the first frame is already on screen.
  const pending: Promise<Engine> = (async () => (createEngine ?? (await loadCreateEngine()))(options))();
  pending.catch(() => undefined);
  try {
    const instance = render(<Boot pending={pending} lang={options.lang} color={options.color} ascii={options.ascii} />, {
      exitOnCtrlC: false,
    });
    const code = await instance.waitUntilExit();
    return typeof code === 'number' ? code : 0;
  } finally {
    const engine = await pending.catch(() => undefined);
    await engine?.close();
  }
}
