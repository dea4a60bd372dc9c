// Bundles source/cli.tsx into dist/: start-up does not pay for module resolution, and with code splitting
// each path loads only its own chunks (the TUI's first frame needs ink + react + ui, not pkijs, got or zod).
// Native bindings stay external; react-devtools-core (an optional import of ink) is stubbed out.
import { createHash } from 'node:crypto';
import { readFileSync, readdirSync, rmSync, statSync } from 'node:fs';
import { join } from 'node:path';
import { build } from 'esbuild';
import { assertAllApplied, patchPlugin } from './patches.mjs';

rmSync('dist', { recursive: true, force: true });
// The build id: a hash of every source file and of the patches (the demo's certificate cache is kept per build).
function files(dir) {
  return readdirSync(dir).sort().flatMap((name) => {
    const p = join(dir, name);
    return statSync(p).isDirectory() ? files(p) : [p];
  });
}
const buildHash = createHash('sha256');
for (const f of [...files('source'), 'scripts/patches.mjs', 'package-lock.json']) buildHash.update(`${f}\0`).update(readFileSync(f)).update('\0');
const buildId = buildHash.digest('hex').slice(0, 16);

// The dependencies' patches for start-up (scripts/patches.mjs), applied in whichever bundle holds each file.
const patched = new Set();

/** What the app's two bundles (its ES module chunks and the TUI's first-frame file) are built with. */
const common = {
  outdir: 'dist',
  bundle: true,
  platform: 'node',
  target: 'node20',
  // Minified: less to parse before the first frame (errors are typed messages, never stack traces).
  minify: true,
  sourcemap: false,
  legalComments: 'none',
  external: ['pcsclite', 'pkcs11js'],
  alias: { 'react-devtools-core': './scripts/devtools-stub.mjs' },
  define: { 'process.env.NODE_ENV': '"production"', __MOICA_BUILD_ID__: JSON.stringify(buildId) },
  logLevel: 'warning',
  plugins: [patchPlugin(patched)],
};

await build({
  ...common,
  entryPoints: ['source/cli.tsx'],
  entryNames: '[name]',
  chunkNames: 'chunks/[name]-[hash]',
  format: 'esm',
  splitting: true,
  banner: {
    // Bundled CommonJS dependencies may call require(); give ESM a real one.
    js: "import { createRequire as __mcCreateRequire } from 'node:module'; const require = __mcCreateRequire(import.meta.url);",
  },
});

// dist/tui.cjs: the TUI's first-frame code (runTui: Ink, React, yoga, the UI) and dist/engine.cjs: the TUI's
// engine (source/engine/index.ts: card, registry, check, the demo, and what they load later, inline), each
// one CommonJS file, which the built cli.js compiles through V8's code cache (source/code-cache.ts). Node
// 20 caches no ES module's compiled code; a CommonJS file compiled by vm.Script it does. (From source, tsx,
// cli.tsx imports both itself: the built cli.js has no such branch, so the chunks above hold no Ink. The
// headless commands still run from the chunks: a second copy of the engine's code on disk, not in memory.)
await build({
  ...common,
  entryPoints: { tui: 'source/ui/run.tsx', engine: 'source/engine/index.ts' },
  outExtension: { '.js': '.cjs' },
  format: 'cjs',
  // import() of what stays outside the bundle (the native bindings: pcsclite, pkcs11js) as require(): a
  // script compiled by vm.Script has no module loader for import(), which would fail at the first real
  // reader (test/e2e/cli-rig: the built TUI over PC/SC).
  supported: { 'dynamic-import': false },
});
// Every patch applied in one of the bundles (Ink's and yoga's are in dist/tui.cjs only).
assertAllApplied(patched);

// dist/pre-paint.cjs: what the CommonJS bin entry requires on a terminal (source/pre-paint.ts), and, when
// it pre-painted, the TUI's session from there (source/tui-entry.ts: no ES module loaded on that path).
// One self-contained file with chalk inside, required only once FORCE_COLOR is settled (chalk reads the
// colour level when it is evaluated): the first line costs one file, not an ES module graph.
await build({
  stdin: {
    contents: "import { prePaint as paint } from './source/pre-paint.ts';\n" +
      "export const prePaint = () => paint(() => require('chalk').default);\n" +
      "export { startTui } from './source/tui-entry.ts';\n",
    resolveDir: '.',
    sourcefile: 'pre-paint-entry.ts',
    loader: 'ts',
  },
  outfile: 'dist/pre-paint.cjs',
  bundle: true,
  platform: 'node',
  target: 'node20',
  format: 'cjs',
  minify: true,
  legalComments: 'none',
  define: { 'process.env.NODE_ENV': '"production"', __MOICA_BUILD_ID__: JSON.stringify(buildId) },
  logLevel: 'warning',
});
