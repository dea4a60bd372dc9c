#!/usr/bin/env node
// The TUI's first line is written before the app loads, and overwritten in place by Ink's first frame
// (source/pre-paint.ts says when it is written and why the bytes are the same). Never for a pipe.
if (process.stdout.isTTY && process.stdin.isTTY) await (await import('../dist/pre-paint.js')).prePaint();
await import('../dist/cli.js');
