/**
 * The card source for these options: the demo's in-process reader (engine/demo.ts) with `--demo`,
 * otherwise PC/SC (card/open.ts). Every command and the TUI open their source through here.
 */
import type { Options } from '../options.js';
import { openPcscSource, type CardSource } from '../card/open.js';
import { openDemoSource, type BuiltScenario, type DemoSource } from './demo.js';

/** A source as the engine holds it: `demo`, `replaceCard` and `built` only on the demo's reader. */
export type EngineSource = CardSource & Partial<Pick<DemoSource, 'demo' | 'replaceCard' | 'built'>>;

export type { BuiltScenario };

export async function openSource(options: Pick<Options, 'demo' | 'timeoutMs'>): Promise<EngineSource> {
  if (options.demo !== undefined) {
    return openDemoSource(options.demo);
  }
  return openPcscSource({ timeoutMs: options.timeoutMs });
}
