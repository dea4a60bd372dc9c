/**
 * The pcsclite binding's close, mended by scripts/pcsclite-fix.mjs (the postinstall). Unmended, a close
 * that comes while a status thread is between two SCardGetStatusChange waits blocks the process for good:
 * five cancels in 50 ms find no wait to end, and the thread then waits for ever while the main thread
 * joins it. On a quiet machine that window is a few microseconds (test/e2e/tabs-rig hung once in ~45
 * runs); a preloaded SCardGetStatusChange (native/slow-status-wait.c) opens it to 200 ms after every
 * event, so each close below lands in it. Measured: the unmended build blocked in all 3 runs of each
 * case here; the mended one returned in all of them.
 */
import { after, before, describe, test } from 'node:test';
import assert from 'node:assert/strict';
import { execFileSync, spawn } from 'node:child_process';
import { mkdtempSync, readFileSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { fileURLToPath } from 'node:url';
import { BUILT_MARK, NATIVE_PATCHES, builtBinding, mendSources, pcscliteDir } from '../../scripts/pcsclite-fix.mjs';
import { startPcscd, type PcscdRig } from '../rig/pcscd.js';

const here = fileURLToPath(new URL('.', import.meta.url));
const root = join(here, '..', '..');
const DEADLINE_MS = 15_000;
let rig: PcscdRig;
let scratch: string;
let shim: string;
let binding: string;

before(async () => {
  const dir = pcscliteDir(root);
  assert.ok(dir !== undefined, 'pcsclite is not installed (npm ci)');
  binding = dir;
  scratch = mkdtempSync(join(tmpdir(), 'moica-pcsclite-close-'));
  shim = join(scratch, 'slow-status-wait.so');
  execFileSync('cc', ['-shared', '-fPIC', '-O2', '-I/usr/include/PCSC', '-o', shim, join(here, 'native', 'slow-status-wait.c'), '-ldl']);
  rig = await startPcscd();
});

after(async () => {
  await rig?.stop();
  if (scratch) rmSync(scratch, { recursive: true, force: true });
});

/** The child's output and how it ended; killed at the deadline (a blocked close never ends by itself). */
async function runChild(which: 'reader' | 'context'): Promise<{ out: string; code: number | null; signal: string | null; ms: number }> {
  const started = performance.now();
  const child = spawn(process.execPath, [join(here, 'native', 'close-child.cjs'), binding, which], {
    env: { ...process.env, ...rig.env, LD_PRELOAD: shim },
    stdio: ['ignore', 'pipe', 'pipe'],
  });
  let out = '';
  child.stdout.on('data', (chunk: Buffer) => (out += chunk.toString()));
  child.stderr.on('data', (chunk: Buffer) => (out += chunk.toString()));
  const timer = setTimeout(() => child.kill('SIGKILL'), DEADLINE_MS);
  const [code, signal] = await new Promise<[number | null, string | null]>((resolve) => child.on('exit', (c, s) => resolve([c, s])));
  clearTimeout(timer);
  return { out, code, signal, ms: performance.now() - started };
}

describe('the pcsclite binding is the mended build', () => {
  test('its sources carry every patch and the built binding says so', () => {
    assert.deepEqual(mendSources(binding), [], 'a source file was not mended yet');
    for (const patch of NATIVE_PATCHES) {
      assert.match(readFileSync(join(binding, patch.file), 'utf8'), /moica-check \(scripts\/pcsclite-fix\.mjs\)/, patch.label);
    }
    const built = builtBinding(binding);
    assert.ok(built.exists, `${built.path} is missing`);
    assert.ok(built.mended, `${built.path} was built before the mend (no ${BUILT_MARK}): node scripts/pcsclite-fix.mjs`);
  });
});

describe('a close while a status thread is between two waits returns, and the process then exits', () => {
  for (const which of ['reader', 'context'] as const) {
    test(`${which === 'reader' ? 'readers first, at their first status event' : 'the context first, at its first reader'}`, async () => {
      const run = await runChild(which);
      assert.equal(run.signal, null, `the child was killed at the ${DEADLINE_MS} ms deadline: a close blocked it\n${run.out}`);
      assert.equal(run.code, 0, run.out);
      assert.match(run.out, /^mended: true$/m, run.out);
      assert.match(run.out, /^closed$/m, run.out);
    });
  }
});
