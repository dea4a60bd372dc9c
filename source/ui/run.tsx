/**
 * Starts the TUI: builds the engine (source/engine/, the integrator's), renders <App>, resolves with the
 * exit code the App chose, and releases the engine. Ink's own Ctrl-C exit is off: the App maps Ctrl-C to 130.
 */
import { render } from 'ink';
import type { Options } from '../options.js';
import { App } from './app.js';
import type { CreateEngine, Engine } from './engine.js';

async function loadCreateEngine(): Promise<CreateEngine> {
  // Loaded on demand (cli.tsx imports this file only for the TUI); a literal, so the bundle carries it.
  const mod = await import('../engine/index.js');
  return mod.createEngine;
}

export async function runTui(options: Options, createEngine?: CreateEngine): Promise<number> {
  const engine: Engine = await (createEngine ?? (await loadCreateEngine()))(options);
  try {
    const instance = render(<App engine={engine} lang={options.lang} color={options.color} ascii={options.ascii} />, {
      exitOnCtrlC: false,
    });
    const code = await instance.waitUntilExit();
    return typeof code === 'number' ? code : 0;
  } finally {
    await engine.close();
  }
}
