/**
 * The bin's two ways into the TUI (bin/moica-check.js). A start that pre-painted runs the TUI's session from
 * dist/pre-paint.cjs (source/tui-entry.ts) and never starts node's ES module loader (its first import() and
 * cli.js's chunks cost ≈ 8 ms before Ink's first frame, measured); every other start, here a terminal too
 * narrow to pre-paint, goes through dist/cli.js to the same session. Both reach the demo's verdict; a probe
 * preloaded by NODE_OPTIONS says whether the ES module loader ran.
 */
import { test } from 'node:test';
import assert from 'node:assert/strict';
import { mkdtempSync, readFileSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { inPty } from './pty.js';

async function demoStart(size: string): Promise<{ screen: string; esm: string[] }> {
  const work = mkdtempSync(join(tmpdir(), 'moica-entry-'));
  try {
    const out = join(work, 'probe.json');
    const probe = join(import.meta.dirname, 'probes', 'esm-loader.cjs');
    const env = { XDG_CACHE_HOME: join(work, 'xdg'), NODE_OPTIONS: `--require ${probe}`, MOICA_PROBE_OUT: out, LANG: 'en_US.UTF-8', LC_ALL: undefined };
    const screen = await inPty(['--demo', '--lang', 'en'], env, (o) => /Verdict|verdict/.test(o) && /B-1/.test(o), { quit: 'q', size });
    return { screen, esm: JSON.parse(readFileSync(out, 'utf8')) as string[] };
  } finally {
    rmSync(work, { recursive: true, force: true });
  }
}

test('a pre-painted start runs the TUI to its verdict without node\'s ES module loader', async () => {
  const { screen, esm } = await demoStart('cols 80 rows 24');
  assert.match(screen, /B-1/);
  assert.deepEqual(esm, []);
});

test('a start that does not pre-paint (a terminal under 60 columns) reaches the same verdict through cli.js', async () => {
  const { screen, esm } = await demoStart('cols 50 rows 30');
  assert.match(screen, /B-1/);
  assert.ok(esm.length > 0, 'cli.js is an ES module: its loader ran');
});
