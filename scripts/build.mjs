// Bundles source/cli.tsx into dist/cli.js: one file, so start-up does not pay for module resolution.
// Native bindings stay external; react-devtools-core (an optional import of ink) is stubbed out.
import { build } from 'esbuild';

await build({
  entryPoints: ['source/cli.tsx'],
  outfile: 'dist/cli.js',
  bundle: true,
  platform: 'node',
  target: 'node20',
  format: 'esm',
  splitting: false,
  minify: false,
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
});
