/**
 * The demo wiring (`--demo`): the only door from production code to the emulator in source/virtual/.
 * It builds the named scenario (with the demo's on-disk key and certificate caches) and puts its card in
 * an in-process reader; the engine swaps the card through what this returns, never by reaching into the
 * transport. Every import of source/virtual/ here is lazy, so a start without --demo loads none of it.
 */
import { homedir } from 'node:os';
import { join } from 'node:path';
import type { ScenarioName } from '../options.js';
import type { CardSource } from '../card/open.js';
import type { BuiltScenario } from '../virtual/scenario.js';

export type { BuiltScenario } from '../virtual/scenario.js';

/** The demo's in-process reader holding the scenario's virtual card. */
export interface DemoSource extends CardSource {
  /** The scenario whose card is in the reader (its registry data and PKI). */
  demo: BuiltScenario;
  /** Takes the card out of the reader and puts this scenario's card in (the TUI's scenario switch). */
  replaceCard(next: BuiltScenario): void;
  /** Whether this start built certificates or a card image (the demo's cache lacked some). */
  built: boolean;
}

/** Set by the build (scripts/build.mjs): a hash of the sources; undefined when run from source. */
declare const __MOICA_BUILD_ID__: string | undefined;
const BUILD_ID = typeof __MOICA_BUILD_ID__ === 'string' ? __MOICA_BUILD_ID__ : undefined;

function demoKeyCache(env: NodeJS.ProcessEnv): string {
  const cache = env.XDG_CACHE_HOME?.startsWith('/') ? env.XDG_CACHE_HOME : join(homedir(), '.cache');
  return join(cache, 'moica-check', 'demo-keys');
}

/** A named scenario built afresh (no on-disk certificate cache). */
export async function buildDemoScenario(name: ScenarioName): Promise<BuiltScenario> {
  const { buildNamedScenario } = await import('../virtual/demos.js');
  return buildNamedScenario(name);
}

/** The demo's in-process reader with the named scenario's card in it. */
export async function openDemoSource(name: ScenarioName): Promise<DemoSource> {
  // The demo's throwaway test keys are made once per user and kept (0600) in the cache directory, so
  // only the first demo pays for RSA key generation.
  process.env.MOICA_VIRTUAL_KEY_CACHE ||= demoKeyCache(process.env);
  // Its certificates too, for the day (virtual/demo-cache.ts): a cached start builds none. Only a built
  // app has a build id to tell its own cache from another version's.
  const [{ buildNamedScenario }, { InProcessTransport }, { openDemoCertificateCache }] = await Promise.all([
    import('../virtual/demos.js'),
    import('../virtual/in-process.js'),
    import('../virtual/demo-cache.js'),
  ]);
  const cache = BUILD_ID === undefined ? undefined : openDemoCertificateCache(process.env.MOICA_VIRTUAL_KEY_CACHE, BUILD_ID);
  const demo = await buildNamedScenario(name, cache ? { now: cache.now, cache } : {});
  const built = cache === undefined || !cache.complete();
  cache?.save();
  const transport = new InProcessTransport();
  transport.insert(demo.card);
  const source: DemoSource = {
    transport,
    demo,
    built,
    replaceCard(next) {
      source.demo = next;
      transport.remove();
      transport.insert(next.card);
    },
    close: () => transport.close(),
  };
  return source;
}
