/**
 * A TUI session, from parsed options to its exit code: the composition root's TUI half. Built, Ink's bundle
 * (dist/tui.cjs) and the engine's (dist/engine.cjs) are compiled through V8's code cache (code-cache.ts);
 * from source (tsx), their modules are imported. The TUI gets the engine's factory; both caches are kept
 * after a session that checked a card. Started by cli.tsx (every TUI start it gets) and, for a pre-painted
 * start, by the bin through dist/pre-paint.cjs (tui-entry.ts), which then loads no ES module at all.
 */
import { join } from 'node:path';
import type { Options } from './options.js';
import type { CreateEngine } from './ui/engine.js';
import type { CachedModule } from './code-cache.js';
import type { ReportWriter } from './engine/index.js';

/** Set by the build (scripts/build.mjs): a hash of the sources; undefined when run from source. */
declare const __MOICA_BUILD_ID__: string | undefined;

export interface TuiSessionWiring {
  /** The built bundles' directory, dist/ (unused from source). */
  distDir: string;
  /** The helpdesk report's module (commands/report.ts, key e), loaded on first use. */
  report: () => Promise<ReportWriter>;
}

/** Built: one of dist/'s CommonJS bundles, compiled through V8's code cache (code-cache.ts). */
async function fromBuild<T>(distDir: string, file: 'tui.cjs' | 'engine.cjs', name: string, buildId: string): Promise<CachedModule<T>> {
  const { loadCached } = await import('./code-cache.js');
  return loadCached<T>(join(distDir, file), name, buildId);
}

export async function runTuiSession(options: Options, wiring: TuiSessionWiring): Promise<number> {
  // chalk does not honour NO_COLOR: decide colour before Ink is loaded.
  if (!options.color) process.env.FORCE_COLOR = '0';
  // yoga-layout (Ink's layout engine) loads its inlined wasm through fetch() of a data: URL whenever
  // fetch exists, which first loads Node's whole fetch implementation: ~70 ms before the first frame.
  // Without fetch it decodes the same bytes directly. Nothing of ours uses fetch.
  const fetchDescriptor = Object.getOwnPropertyDescriptor(globalThis, 'fetch');
  Object.defineProperty(globalThis, 'fetch', { value: undefined, configurable: true, writable: true });
  let runTui: typeof import('./ui/run.js').runTui;
  let capYoungGeneration = () => {};
  let v8FlagsAsAtStart = () => {};
  let saveCodeCache = () => {};
  try {
    // From source (tsx) there is no build: the UI's modules themselves. (Written with the build's own
    // constant, so that the built bundles drop this branch and its chunks altogether.)
    if (typeof __MOICA_BUILD_ID__ !== 'string') {
      ({ runTui, capYoungGeneration } = await import('./ui/run.js'));
    } else {
      const tui = await fromBuild<typeof import('./ui/run.js')>(wiring.distDir, 'tui.cjs', 'tui', __MOICA_BUILD_ID__);
      ({ runTui, capYoungGeneration, v8FlagsAsAtStart } = tui.exports);
      saveCodeCache = () => tui.save();
    }
  } finally {
    if (fetchDescriptor) Object.defineProperty(globalThis, 'fetch', fetchDescriptor);
  }
  // The engine's module (card, registry, check) is loaded when runTui starts building the engine, once the
  // first frame is on screen, never before it. Built, it is dist/engine.cjs through the code cache too.
  // The helpdesk report (key e) lives above the engine, in commands/: wired in here, loaded on first use.
  let saveEngineCache = () => {};
  let checked = false;
  let usual = true;
  const createEngine: CreateEngine = async (opts) => {
    let engine: typeof import('./engine/index.js');
    if (typeof __MOICA_BUILD_ID__ !== 'string') engine = await import('./engine/index.js');
    else {
      // (loadCached compiles synchronously: after the first frame, not within runTui's first call.)
      await new Promise((resolve) => setImmediate(resolve));
      const built = await fromBuild<typeof import('./engine/index.js')>(wiring.distDir, 'engine.cjs', 'engine', __MOICA_BUILD_ID__);
      engine = built.exports;
      saveEngineCache = () => built.save();
    }
    capYoungGeneration();
    return engine.createEngine(opts, { report: wiring.report, afterCheck: () => (checked = true), unusual: () => (usual = false) });
  };
  try {
    return await runTui(options, createEngine);
  } finally {
    // Both caches are kept after a session that checked a card: all V8 compiled of each by then (the first
    // frame, the App's screens through a verdict; the engine, the read, the check). One made by a session
    // that never got that far (no reader, an engine that could not start) would lack that code, and V8
    // would take it from then on; one made by a session that also ran what a check start does not (the
    // demo building its certificates, a scenario switch, a rewrite: engine/index.ts) would hold that code,
    // and every later start would read it (the engine's cache made by the demo's first start: 1.68 MB
    // instead of 1.08, 7.2 ms instead of 5.2 to compile from; issue 15). Both are made with V8's flags back
    // as at a start, which reads them before any flag is set (ui/run.tsx).
    if (checked && usual) {
      v8FlagsAsAtStart();
      saveEngineCache();
      saveCodeCache();
    }
  }
}
