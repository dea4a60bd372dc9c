/**
 * Issue 13 items 1-2 over the real pcscd rig: the rewrite holds the card exclusively from its fresh read to
 * its read-back, ends every PIN session with a card reset, and two moica-check processes never write one
 * card at once. The "other program" is a separate process on the binding (raw-client.ts), never our code.
 */
import { after, before, test } from 'node:test';
import assert from 'node:assert/strict';
import { spawn } from 'node:child_process';
import { mkdtempSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import type { BuiltScenario } from '../../source/virtual/scenario.js';
import { AREA, CERTIFICATE_AREA, FID, hex4 } from '../../source/virtual/layout.js';
import { t } from '../../source/i18n/t.js';
import { RigReader, apduLog, count, runCommand, scenarioNetwork, staleScenario, tempDir, type ScenarioNetwork, useRig } from '../e2e/harness.js';

const live = useRig();
const dirs: string[] = [];
const CERTS = `${hex4(FID.PKI_DF)}/${hex4(FID.CERTIFICATES)}`;
const CA_AREAS = [AREA.ROOT * CERTIFICATE_AREA, (AREA.ISSUING + 1) * CERTIFICATE_AREA] as const;

before(async () => {
  // The in-process commands' lock files: a directory of this test's own.
  process.env.XDG_RUNTIME_DIR = scratch('moica-locks-');
});

after(async () => {
  for (const dir of dirs) rmSync(dir, { recursive: true, force: true });
});

function scratch(prefix: string): string {
  const dir = mkdtempSync(join(tmpdir(), prefix));
  dirs.push(dir);
  return dir;
}

/** One scenario's card in the reader and its network up, for the length of `body` (harness RigReader.withCard). */
const withCard = (scenario: BuiltScenario, body: (net: ScenarioNetwork, log: string[], backupDir: string) => Promise<void>) =>
  live.reader.withCard(scenario, dirs, 'moica-safety-backup-', body);

interface Child { pid: number; stdout: () => string; stderr: () => string; exited: Promise<number | null>; write(text: string): void; end(): void }

function child(args: string[], env: Record<string, string> = {}): Child {
  const p = spawn(process.execPath, args, { env: { ...process.env, LANG: 'C', ...live.rig.env, ...env }, stdio: ['pipe', 'pipe', 'pipe'] });
  let out = '';
  let err = '';
  p.stdout.on('data', (c) => (out += c));
  p.stderr.on('data', (c) => (err += c));
  const exited = new Promise<number | null>((resolve) => p.once('close', (code) => resolve(code)));
  const hang = setTimeout(() => p.kill('SIGKILL'), 90_000);
  void exited.then(() => clearTimeout(hang));
  return { pid: p.pid!, stdout: () => out, stderr: () => err, exited, write: (s) => p.stdin.write(s), end: () => p.stdin.end() };
}

/** The second PC/SC client, a process of its own on the binding. */
async function raw(...args: string[]): Promise<Record<string, any>> {
  const c = child(['--import', 'tsx', 'test/safety/raw-client.ts', ...args]);
  c.end();
  const code = await c.exited;
  assert.equal(code, 0, c.stderr());
  return JSON.parse(c.stdout().trim().split('\n').at(-1)!);
}

/** Waits on the child's own output (no fixed sleep). */
async function waitForOutput(c: Child, what: string, ms = 60_000): Promise<void> {
  const deadline = Date.now() + ms;
  while (!(c.stdout() + c.stderr()).includes(what)) {
    if (Date.now() > deadline) throw new Error(`no "${what}" in:\n${c.stdout()}${c.stderr()}`);
    await new Promise((r) => setTimeout(r, 25));
  }
}

const SELECT_CERTS = ['80A40000023F00', '80A40000025030', '80A400000208F2'];
const SIGN_HALF = `80EA820180${'00'.repeat(128)}`;

test('a second client hammering SELECT 08F2 / READ / UPDATE during a rewrite: the card ends new and whole, the CA areas byte-identical, no UPDATE of the other client lands', async () => {
  const scenario = await staleScenario();
  await withCard(scenario, async (net, log, backupDir) => {
    const before = Buffer.from(scenario.card.readFile(CERTS));
    const hammer = raw('hammer', '2000', '12000');
    // The rewrite runs while the hammer is going; a check disturbed by the other client's SELECTs fails
    // cleanly (nothing written) and is run again, at most three times.
    const results: number[] = [];
    for (let i = 0; i < 3 && !results.includes(0); i++) {
      const run = await runCommand(['rewrite', '--pin-stdin', '--yes', '--json', '--backup-dir', backupDir, ...net.flags], `${scenario.pin}\n`);
      results.push(run.code ?? -1);
      if (run.code !== 0) process.stderr.write(`rewrite under the hammer: ${JSON.stringify(run.json.error)}\n`);
      assert.ok(run.code === 0 || run.code === 5, `${run.code}: ${run.stdout}${run.stderr}`);
    }
    const h = await hammer;
    process.stderr.write(`safety: hammer ${h.rounds} rounds, ${h.connected} connected, ${h.refused} refused while held; rewrite runs ${results.join(', ')}; answers ${h.sws.join(' ')}\n`);
    assert.ok(results.includes(0), `the rewrite completed under the hammer (${results.join(', ')})`);
    assert.ok(h.connected > 0, 'the other client did reach the card');
    assert.ok(h.refused > 0, 'the other client was kept out while the card was held exclusively');
    assert.ok(!h.sws.includes('D6:9000'), `no UPDATE of the other client was taken: ${h.sws.join(' ')}`);
    const after = Buffer.from(scenario.card.readFile(CERTS));
    assert.ok(after.subarray(0, CA_AREAS[1]).equals(before.subarray(0, CA_AREAS[1])), 'root and CA areas byte-identical');
    const check = await runCommand(['check', '--json', ...net.flags]);
    assert.equal(check.code, 0, check.stdout + check.stderr);
    assert.equal(check.json.verdict, 'A');
    assert.equal(check.json.card.consistent, true);
    assert.ok(count(log, 'D6') > 0);
  });
});

test('after a rewrite, and after one that failed past its VERIFY: another client\'s VERIFY-less UPDATE and signature are refused (6982)', async () => {
  const scenario = await staleScenario();
  await withCard(scenario, async (net, _log, backupDir) => {
    // Failed after a right PIN: the backup cannot be written (a path under /dev/null).
    const failed = await runCommand(['rewrite', '--pin-stdin', '--yes', '--json', '--backup-dir', '/dev/null/backups', ...net.flags], `${scenario.pin}\n`);
    assert.equal(failed.code, 5, failed.stdout);
    assert.equal(failed.json.error.code, 'backup-failed');
    let probe = await raw('apdus', ...SELECT_CERTS, '80D60E0002AAAA', SIGN_HALF);
    assert.deepEqual(probe.sw, ['9000', '9000', '9000', '6982', '6982']);
    // Failed at the VERIFY: a wrong PIN.
    const wrong = await runCommand(['rewrite', '--pin-stdin', '--yes', '--json', '--backup-dir', backupDir, ...net.flags], '000000\n');
    assert.equal(wrong.code, 6, wrong.stdout);
    probe = await raw('apdus', ...SELECT_CERTS, '80D60E0002AAAA', SIGN_HALF);
    assert.deepEqual(probe.sw.slice(3), ['6982', '6982']);
    // Completed.
    const done = await runCommand(['rewrite', '--pin-stdin', '--yes', '--json', '--backup-dir', backupDir, ...net.flags], `${scenario.pin}\n`);
    assert.equal(done.code, 0, done.stdout + done.stderr);
    probe = await raw('apdus', ...SELECT_CERTS, '80D60E0002AAAA', SIGN_HALF, '00200001');
    assert.deepEqual(probe.sw.slice(3), ['6982', '6982', '63C3'], 'not verified: the session was reset');
  });
});

test('two concurrent moica-check rewrites of one card: one writes, the other is refused (card-busy, exit 5) naming the holder', async () => {
  const scenario = await staleScenario();
  await withCard(scenario, async (net, log, backupDir) => {
    const locks = scratch('moica-locks-cli-');
    const env = { XDG_RUNTIME_DIR: locks };
    const first = child(['bin/moica-check.js', 'rewrite', '--pin-stdin', '--yes', '--lang', 'en', '--backup-dir', backupDir, ...net.flags], env);
    // The first holds the lock and the card while it waits for its PIN.
    await waitForOutput(first, t('en', 'rewrite.step.pin'));
    const second = child(['bin/moica-check.js', 'rewrite', '--pin-stdin', '--yes', '--json', '--backup-dir', backupDir, ...net.flags], env);
    second.write(`${scenario.pin}\n`);
    second.end();
    assert.equal(await second.exited, 5, second.stdout() + second.stderr());
    const refused = JSON.parse(second.stdout());
    assert.equal(refused.error.code, 'card-busy');
    assert.equal(refused.error.holder.pid, first.pid, 'the refusal names the holder');
    assert.equal(refused.error.holder.command, 'moica-check rewrite');
    assert.match(refused.error.message, new RegExp(`pid ${first.pid}`));
    const writesBefore = count(log, 'D6');
    assert.equal(writesBefore, 0, 'nothing written yet');
    first.write(`${scenario.pin}\n`);
    first.end();
    assert.equal(await first.exited, 0, first.stdout() + first.stderr());
    assert.equal(count(log, '20') - log.filter((a) => a === '00200001').length, 1, 'one VERIFY with a PIN, the first\'s');
    const check = await runCommand(['check', '--json', ...net.flags]);
    assert.equal(check.json.verdict, 'A');
  });
});

test('a PC/SC client killed right after its VERIFY leaves the card verified (pcscd does not reset a dead client\'s card: measured); moica-check\'s transport resets it on SIGTERM, SIGINT and SIGHUP', async () => {
  const scenario = await staleScenario();
  await withCard(scenario, async () => {
    const c = child(['--import', 'tsx', 'test/safety/raw-client.ts', 'verify-and-die', scenario.pin]);
    c.end();
    await c.exited;
    assert.match(c.stdout(), /"sw":"9000"/, c.stdout() + c.stderr());
    let probe = await raw('apdus', '00200001', ...SELECT_CERTS, '80D60E0002AAAA');
    process.stderr.write(`safety: after a SIGKILLed client's VERIFY the next client sees ${probe.sw.join(' ')}\n`);
    assert.equal(probe.sw[0], '9000', 'the fact the signal handling exists for: pcscd left the card verified');
    // Power it down again (vpcd: reset), as pcscd would after a while.
    scenario.card.reset();
    for (const signal of ['SIGTERM', 'SIGINT', 'SIGHUP'] as const) {
      const ours = child(['--import', 'tsx', 'test/safety/verify-then-wait.ts', scenario.pin]);
      await waitForOutput(ours, 'verified');
      process.kill(ours.pid, signal);
      await ours.exited;
      probe = await raw('apdus', '00200001', ...SELECT_CERTS, '80D60E0002AAAA');
      assert.equal(probe.sw[0], '63C3', `${signal}: the card was reset before the process ended`);
      assert.equal(probe.sw.at(-1), '6982', `${signal}: a VERIFY-less UPDATE is refused`);
    }
  });
});
