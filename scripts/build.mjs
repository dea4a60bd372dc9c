// Bundles source/cli.tsx into dist/: start-up does not pay for module resolution, and with code splitting
// each path loads only its own chunks (the TUI's first frame needs ink + react + ui, not pkijs, got or zod).
// Native bindings stay external; react-devtools-core (an optional import of ink) is stubbed out.
import { rmSync } from 'node:fs';
import { build } from 'esbuild';
import { assertAllApplied, patchPlugin } from './patches.mjs';

rmSync('dist', { recursive: true, force: true });
// string-width's RGI regex and yoga's wasm decoding, patched for start-up (scripts/patches.mjs).
const patched = new Set();

await build({
  // pre-paint.js: what the bin entry runs before cli.js (source/pre-paint.ts); they share chunks.
  entryPoints: ['source/cli.tsx', 'source/pre-paint.ts'],
  outdir: 'dist',
  entryNames: '[name]',
  chunkNames: 'chunks/[name]-[hash]',
  bundle: true,
  platform: 'node',
  target: 'node20',
  format: 'esm',
  splitting: true,
  // Minified: less to parse before the first frame (errors are typed messages, never stack traces).
  minify: true,
  sourcemap: false,
  legalComments: 'none',
  external: ['pcsclite', 'pkcs11js'],
  alias: { 'react-devtools-core': './scripts/devtools-stub.mjs' },
  define: { 'process.env.NODE_ENV': '"production"' },
  banner: {
    // Bundled CommonJS dependencies may call require(); give ESM a real one.
    js: "import { createRequire as __mcCreateRequire } from 'node:module'; const require = __mcCreateRequire(import.meta.url);",
  },
  logLevel: 'warning',
  plugins: [patchPlugin(patched)],
});
assertAllApplied(patched);
