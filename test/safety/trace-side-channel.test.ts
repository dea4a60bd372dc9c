/**
 * Issue 13 item 5: a side channel never breaks the main path. The trace file is refused up front when it
 * cannot be one (FIFO, directory, unwritable path: exit 2, no hang, no card work), created 0600, and a
 * full disk mid-rewrite leaves the rewrite complete, the trace's failure reported after the card work.
 */
import { test } from 'node:test';
import assert from 'node:assert/strict';
import { execFileSync, spawn } from 'node:child_process';
import { chmodSync, existsSync, mkdtempSync, readFileSync, rmSync, statSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { runCommand } from '../e2e/harness.js';
import { Trace } from '../../source/card/trace.js';
import { isMoicaError } from '../../source/errors.js';

function scratch(): string {
  return mkdtempSync(join(tmpdir(), 'moica-trace-safety-'));
}

test('the trace file is created 0600, and an existing one is made 0600 (it holds the holder\'s name and card number)', async () => {
  const dir = scratch();
  try {
    const fresh = join(dir, 'new.txt');
    const trace = new Trace(fresh);
    trace.note('hello');
    assert.equal(await trace.close(), undefined);
    assert.equal(statSync(fresh).mode & 0o777, 0o600);
    assert.match(readFileSync(fresh, 'utf8'), /# hello/);
    const old = join(dir, 'old.txt');
    writeFileSync(old, 'kept\n');
    chmodSync(old, 0o644);
    await new Trace(old).close();
    assert.equal(statSync(old).mode & 0o777, 0o600);
    assert.match(readFileSync(old, 'utf8'), /^kept\n# moica-check trace/, 'appended, not truncated');
  } finally {
    rmSync(dir, { recursive: true, force: true });
  }
});

test('--trace to a FIFO, a directory, a path in a missing directory, /dev/null: usage (exit 2) at once, no hang, no card work', async () => {
  const dir = scratch();
  try {
    const fifo = join(dir, 'fifo');
    execFileSync('mkfifo', [fifo]);
    for (const target of [fifo, dir, join(dir, 'missing', 'trace.txt'), '/dev/null']) {
      const t0 = performance.now();
      const run = await runCommand(['check', '--demo', '--json', '--trace', target]);
      assert.equal(run.code, 2, `${target}: ${run.stdout}${run.stderr}`);
      assert.equal(run.json.error.code, 'usage');
      assert.ok(run.json.error.message.includes('--trace'), run.json.error.message);
      assert.equal(run.json.card, undefined, 'refused before the card was read');
      assert.ok(performance.now() - t0 < 10_000, 'no hang');
    }
    assert.throws(() => new Trace(fifo), (e) => isMoicaError(e, 'usage') && /FIFO/.test(e.message));
  } finally {
    rmSync(dir, { recursive: true, force: true });
  }
});

test('--trace on a full tmpfs: the rewrite completes (B-2, exit 0), the trace\'s failure is reported after the card work', async () => {
  // Root, as the pcscd rig of the same suite needs (unshare -m): a machine where this cannot run fails here
  // rather than skipping, since a skipped test proves nothing.
  assert.equal(process.getuid?.(), 0, 'the tmpfs test needs root (unshare -m and mount), as the pcscd rig does');
  const dir = scratch();
  const full = join(dir, 'full');
  const backups = join(dir, 'backups');
  execFileSync('mkdir', ['-p', full]);
  try {
    // A private mount namespace: the 8 KiB tmpfs exists for the CLI only, and goes with it.
    const script = `mount -t tmpfs -o size=8k tmpfs '${full}' && exec '${process.execPath}' bin/moica-check.js rewrite --demo --pin-stdin --yes --json --lang en --backup-dir '${backups}' --trace '${full}/trace.txt'`;
    const child = spawn('unshare', ['-m', 'sh', '-c', script], { env: { ...process.env, LANG: 'C', XDG_RUNTIME_DIR: dir }, stdio: ['pipe', 'pipe', 'pipe'] });
    let out = '';
    let err = '';
    child.stdout.on('data', (c) => (out += c));
    child.stderr.on('data', (c) => (err += c));
    child.stdin.end('123456\n');
    const hang = setTimeout(() => child.kill('SIGKILL'), 60_000);
    const code = await new Promise<number | null>((resolve) => child.once('close', resolve));
    clearTimeout(hang);
    assert.doesNotMatch(err, /mount: .*(permission denied|not permitted)/i, `the 8 KiB tmpfs could not be mounted: ${err.trim()}`);
    assert.equal(code, 0, out + err);
    const doc = JSON.parse(out);
    assert.equal(doc.verdict, 'B-2');
    assert.equal(doc.rewrite.result, 'completed');
    assert.match(err, /trace .*incomplete \(ENOSPC\); the card work was not affected/);
    assert.ok(existsSync(backups));
  } finally {
    rmSync(dir, { recursive: true, force: true });
  }
});
