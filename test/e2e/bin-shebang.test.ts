/**
 * The installed command starts node with the shebang's option (bin/moica-check.js: `--v8-pool-size=0`, V8's
 * background threads sized by the machine; README, Decisions). Executed as a shell executes it: the file
 * itself, the kernel reading its first line, `env -S` splitting it. The node running the tests comes first
 * on PATH, so the shebang's `node` is this one.
 */
import { before, test } from 'node:test';
import assert from 'node:assert/strict';
import { execFileSync, spawnSync } from 'node:child_process';
import { chmodSync, existsSync, mkdtempSync, readFileSync, rmSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { delimiter, dirname, join } from 'node:path';

const BIN = 'bin/moica-check.js';
const env = { ...process.env, PATH: [dirname(process.execPath), process.env.PATH ?? ''].join(delimiter), LANG: 'C' };
const shebang = () => readFileSync(BIN, 'utf8').split('\n')[0]!;

before(() => {
  if (existsSync('dist/cli.js')) return;
  const build = spawnSync(process.execPath, ['scripts/build.mjs'], { encoding: 'utf8' });
  assert.equal(build.status, 0, `the build failed:\n${build.stderr}`);
});

test('the bin names node and its option on its first line, through env -S', () => {
  assert.equal(shebang(), '#!/usr/bin/env -S node --v8-pool-size=0');
});

test('the bin executed by its shebang runs the app', () => {
  const { version } = JSON.parse(readFileSync('package.json', 'utf8')) as { version: string };
  const out = execFileSync(BIN, ['--version'], { env, encoding: 'utf8' });
  assert.equal(out, `${version}\n`);
});

test('the shebang line hands node its option (and only it)', () => {
  // The bin's own first line over a script that prints what node was started with.
  const dir = mkdtempSync(join(tmpdir(), 'moica-shebang-'));
  try {
    const probe = join(dir, 'probe.js');
    writeFileSync(probe, `${shebang()}\nconsole.log(JSON.stringify(process.execArgv));\n`);
    chmodSync(probe, 0o755);
    const out = execFileSync(probe, [], { env, encoding: 'utf8' });
    assert.deepEqual(JSON.parse(out), ['--v8-pool-size=0']);
  } finally {
    rmSync(dir, { recursive: true, force: true });
  }
});
