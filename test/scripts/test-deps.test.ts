import { test } from 'node:test';
import assert from 'node:assert/strict';
import { spawnSync } from 'node:child_process';
import { mkdtempSync, rmSync, symlinkSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';

const SCRIPT = join(import.meta.dirname, '../../scripts/test-deps.sh');

test('test-deps: with every package there it prints nothing, exits 0, and is fast', () => {
  const started = process.hrtime.bigint();
  const r = spawnSync('sh', [SCRIPT], { encoding: 'utf8', env: { ...process.env, MOICA_TEST_NO_INSTALL: '1' } });
  const ms = Number(process.hrtime.bigint() - started) / 1e6;
  assert.equal(r.status, 0, r.stdout + r.stderr);
  assert.equal(r.stdout, '');
  // the bound is 1 s; the figure is printed, the bound is the goal, not a timing race
  console.log(`test-deps check: ${ms.toFixed(0)} ms`);
});

test('test-deps: missing commands are named with the one install line to run, exit 1, nothing installed', () => {
  // A PATH holding only the shell tools the script itself needs: every tested command looks missing
  // (except what lives in /usr/sbin, which the script also searches for users whose PATH lacks it).
  const bin = mkdtempSync(join(tmpdir(), 'moica-deps-'));
  try {
    for (const tool of ['sort', 'tr', 'sed', 'id', 'dirname', 'node']) {
      const where = spawnSync('sh', ['-c', `command -v ${tool}`], { encoding: 'utf8' }).stdout.trim();
      symlinkSync(where, join(bin, tool));
    }
    const r = spawnSync('/bin/sh', [SCRIPT], { encoding: 'utf8', env: { PATH: bin, MOICA_TEST_NO_INSTALL: '1' } });
    assert.equal(r.status, 1, r.stdout + r.stderr);
    const lines = r.stdout.trim().split('\n');
    assert.match(lines[0]!, /^test-deps: missing for the tests: .*\btmux\b/);
    assert.match(r.stdout, /\n {2}sudo apt-get update && sudo apt-get install -y --no-install-recommends [a-z0-9+ .-]*\bopenssl\b[a-z0-9+ .-]*\btmux\b/);
    assert.doesNotMatch(r.stdout, /\+ apt-get/, 'MOICA_TEST_NO_INSTALL=1 never installs');
    assert.doesNotMatch(r.stdout, / $/m, 'no trailing blanks in the line to copy');
  } finally {
    rmSync(bin, { recursive: true, force: true });
  }
});
