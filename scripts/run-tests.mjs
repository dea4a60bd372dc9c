// Runs every test/**/*.test.ts(x) with node's built-in runner through tsx (Node 20's --test takes no globs).
import { mkdtempSync, readdirSync, rmSync, statSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { spawnSync } from 'node:child_process';

function find(dir) {
  const out = [];
  for (const name of readdirSync(dir)) {
    const p = join(dir, name);
    if (statSync(p).isDirectory()) out.push(...find(p));
    else if (/\.test\.tsx?$/.test(name)) out.push(p);
  }
  return out;
}
const filter = process.argv.slice(2);
const files = find('test').filter((f) => filter.length === 0 || filter.some((s) => f.includes(s))).sort();
// Test files run in separate processes: let them share the virtual card's generated RSA keys (made at
// test time, once per run) instead of each paying ~1-4 s of key generation.
const keyCache = mkdtempSync(join(tmpdir(), 'moica-keys-'));
const r = spawnSync(process.execPath, ['--import', 'tsx', '--test', '--test-concurrency=1', '--test-reporter=spec', ...files], {
  stdio: 'inherit',
  env: { ...process.env, MOICA_VIRTUAL_KEY_CACHE: process.env.MOICA_VIRTUAL_KEY_CACHE ?? keyCache },
});
rmSync(keyCache, { recursive: true, force: true });
process.exit(r.status ?? 1);
