/**
 * The built TUI's two CommonJS bundles (scripts/build.mjs) run through V8's code cache (issue 15):
 * dist/tui.cjs (Ink, React, yoga and the UI: the first frame) and dist/engine.cjs (the engine, loaded once
 * that frame is drawn). Node 20 has no compile cache for ES modules, so each file is compiled with
 * `vm.Script` and `cachedData`: a start with a good cache parses and compiles none of what the session
 * that made it ran. Without one the file is compiled from its text, as the ES module chunks were (a cold
 * start is not slower: bench/first-frame.ts).
 *
 * The cache: `$XDG_CACHE_HOME/moica-check/v8/` (else ~/.cache/…), one file per bundle, build id, Node
 * version and architecture, written by temp file + rename (0600) when the caller says (tui-session.ts: both
 * when a TUI session that checked a card, and ran nothing a check start does not, ends), from what V8
 * compiled by then, and only when there was none or V8 rejected it (the files of other builds are removed
 * then). An unreadable, foreign or rejected cache, or one that cannot be written, is a normal start. The
 * file is trusted as the user's own cache directory is (0600, like the demo's keys beside it): whoever can
 * write there can already change what the user runs. MOICA_NO_CODE_CACHE=1 neither reads nor writes one.
 */
import { mkdirSync, readFileSync, readdirSync, renameSync, rmSync, writeFileSync } from 'node:fs';
import { createRequire } from 'node:module';
import { homedir } from 'node:os';
import { dirname, join } from 'node:path';
import vm from 'node:vm';

export interface CachedModule<T> {
  exports: T;
  /** Whether V8 took this start's code from the cache. */
  accepted: boolean;
  /** Writes the cache when this start had none (or V8 rejected it); never throws. */
  save(): void;
}

export function codeCacheDir(env: NodeJS.ProcessEnv): string {
  const root = env.XDG_CACHE_HOME?.startsWith('/') ? env.XDG_CACHE_HOME : join(homedir(), '.cache');
  return join(root, 'moica-check', 'v8');
}

/**
 * Loads the CommonJS file at `file` through the code cache kept as `name`; `buildId` tells one build's
 * cache from another's (none: no cache).
 */
export function loadCached<T>(file: string, name: string, buildId: string | undefined, env: NodeJS.ProcessEnv = process.env): CachedModule<T> {
  const source = readFileSync(file, 'utf8');
  const useCache = buildId !== undefined && env.MOICA_NO_CODE_CACHE !== '1';
  const dir = codeCacheDir(env);
  const base = `${name}-${buildId}-${process.version}-${process.arch}.bin`;
  const path = useCache ? join(dir, base) : undefined;
  let cachedData: Buffer | undefined;
  if (path !== undefined) {
    try {
      cachedData = readFileSync(path);
    } catch {
      cachedData = undefined; // none yet
    }
  }
  const wrapped = `(function (exports, require, module, __filename, __dirname) {${source}\n})`;
  const script = new vm.Script(wrapped, { filename: file, ...(cachedData ? { cachedData } : {}) });
  const module = { exports: {} as T };
  (script.runInThisContext() as (...args: unknown[]) => void)(module.exports, createRequire(file), module, file, dirname(file));
  const needed = path !== undefined && (cachedData === undefined || script.cachedDataRejected === true);
  return {
    exports: module.exports,
    accepted: cachedData !== undefined && script.cachedDataRejected === false,
    save() {
      if (!needed || path === undefined) return;
      const temp = `${path}.${process.pid}.tmp`;
      try {
        const data = script.createCachedData();
        mkdirSync(dirname(path), { recursive: true });
        writeFileSync(temp, data, { mode: 0o600 });
        renameSync(temp, path);
        // Another build's cache is never read again.
        for (const f of readdirSync(dir)) if (f.startsWith(`${name}-`) && f.endsWith('.bin') && f !== base) rmSync(join(dir, f), { force: true });
      } catch {
        // an unwritable cache (or a full disk): the next start compiles from the text again
        try {
          rmSync(temp, { force: true });
        } catch {
          // nothing more to do: the temp file is never read
        }
      }
    },
  };
}
