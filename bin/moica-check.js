#!/usr/bin/env -S node --v8-pool-size=0
// The shebang's option: V8's background threads sized by the machine (Node's own choice, the cores less
// one) instead of Node's fixed four. On a 2-core machine four helpers (GC, compilers) compete with the main
// thread for the second core and stall it: measured, the demo's verdict 233 -> 213 ms (median of 12 paired
// starts; README, Decisions). `env -S` splits the line (GNU coreutils >= 8.30, macOS, the BSDs).
// CommonJS (bin/package.json): node starts a CommonJS entry sooner than an ES module one, and the
// TUI's first line is written from here, synchronously, before the ES module app loads. That line
// (source/pre-paint.ts says when it is written and why its bytes are Ink's first frame's) is then
// overwritten in place by Ink's first frame. Never for a pipe. dist/pre-paint.cjs is one small
// self-contained file (scripts/build.mjs), so this costs one file read, not a module graph.
// A start that pre-painted is a TUI start on a terminal (the pre-paint parsed the arguments as the app
// does): the TUI's session runs from the same file, and node's ES module loader is never started
// (source/tui-entry.ts). Every other start is dist/cli.js's.
'use strict';
const broken = (e) => {
  // Only a broken install gets here (dist/ missing or unreadable): the app handles its own errors.
  process.stderr.write(`moica-check: the app could not be loaded (${String(e && e.message).split('\n')[0]}); run npm run build\n`);
  process.exitCode = 1;
};
let entry;
try {
  entry = process.stdout.isTTY && process.stdin.isTTY ? require('../dist/pre-paint.cjs') : undefined;
} catch (e) {
  entry = null;
  broken(e);
}
if (entry !== null) {
  if (entry !== undefined && entry.prePaint()) entry.startTui(require('node:path').join(__dirname, '..', 'dist'));
  else import('../dist/cli.js').catch(broken);
}
