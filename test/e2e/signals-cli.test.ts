/**
 * Issue 14 item 1: a headless `rewrite` and SIGINT/SIGTERM/SIGHUP. The built CLI, spawned over the pcscd
 * rig with the virtual card in this process. Signals are sent when the card is holding a chosen APDU (the
 * first certificate write, or the tries query before the PIN), so where the rewrite stands is known, not
 * guessed from timing; the output is waited on, never slept for.
 */
import { after, before, test } from 'node:test';
import assert from 'node:assert/strict';
import { spawn } from 'node:child_process';
import { rmSync } from 'node:fs';
import type { Socket } from 'node:net';
import type { VpcdCardClient } from '../../source/virtual/vpcd-client.js';
import { apduLog, runCommand, scenarioNetwork, staleScenario, tempDir, useRig } from './harness.js';

const live = useRig({ build: true });
const dirs: string[] = [];

after(async () => {
  for (const d of dirs) rmSync(d, { recursive: true, force: true });
});

/**
 * The card answers the first APDU `matches` picks only when `release()` is called (the client's frame
 * handler wrapped: a test-only seam; PC/SC is one command at a time, so nothing queues behind it).
 */
function holdFirst(client: VpcdCardClient, matches: (apduHex: string) => boolean) {
  const inner = client as unknown as { onFrame(socket: Socket, payload: Buffer): void };
  const original = inner.onFrame.bind(client);
  let release!: () => void;
  const released = new Promise<void>((r) => { release = r; });
  let held!: () => void;
  const heldNow = new Promise<void>((r) => { held = r; });
  let done = false;
  inner.onFrame = (socket, payload) => {
    if (!done && payload.length > 1 && matches(payload.toString('hex').toUpperCase())) {
      done = true;
      held();
      void released.then(() => original(socket, payload));
      return;
    }
    original(socket, payload);
  };
  return { held: heldNow, release };
}

/** The spawned CLI with its output kept and waitable. */
function startCli(args: string[], env: Record<string, string>, stdinText: string) {
  const child = spawn(process.execPath, ['bin/moica-check.js', ...args], { env: { ...process.env, LANG: 'C', ...env }, stdio: ['pipe', 'pipe', 'pipe'] });
  let stdout = '';
  let stderr = '';
  const listeners = new Set<() => void>();
  const poke = () => { for (const l of listeners) l(); };
  child.stdout.on('data', (c) => { stdout += c; poke(); });
  child.stderr.on('data', (c) => { stderr += c; poke(); });
  child.stdin.end(stdinText);
  const exited = new Promise<number | null>((resolve) => child.once('close', (code) => { poke(); resolve(code); }));
  const waitFor = (pattern: RegExp, ms = 30_000) => new Promise<void>((resolve, reject) => {
    const timer = setTimeout(() => { listeners.delete(check); reject(new Error(`never saw ${pattern}: ${stderr}`)); }, ms);
    const check = () => { if (pattern.test(stderr)) { clearTimeout(timer); listeners.delete(check); resolve(); } };
    listeners.add(check);
    check();
  });
  return { child, exited, waitFor, out: () => stdout, err: () => stderr };
}

for (const signal of ['SIGINT', 'SIGTERM', 'SIGHUP'] as const) {
  test(`${signal} while writing: the write is finished, a second signal says "still finishing", the card ends B-2 / A`, { timeout: 90_000 }, async () => {
    const scenario = await staleScenario();
    const net = await scenarioNetwork(scenario);
    const log = apduLog(scenario.card);
    const backupDir = tempDir('moica-signal-backup-');
    dirs.push(backupDir);
    const client = await live.reader.insert(scenario.card);
    let cliRef: ReturnType<typeof startCli> | undefined;
    try {
      const hold = holdFirst(client, (apdu) => apdu.slice(2, 4) === 'D6'); // the first UPDATE BINARY: certificate 0's body
      const cli = cliRef = startCli(['rewrite', '--pin-stdin', '--yes', '--backup-dir', backupDir, ...net.flags], { PCSCLITE_CSOCK_NAME: live.rig.socketPath }, `${scenario.pin}\n`);
      await cli.waitFor(/Writing a certificate 0/);
      await hold.held;
      cli.child.kill(signal);
      await cli.waitFor(/finishing the write first/);
      cli.child.kill(signal);
      await cli.waitFor(/still finishing: \d+ s/);
      hold.release();
      const code = await cli.exited;
      assert.equal(code, 0, cli.err());
      assert.match(cli.out(), /The certificate rewrite is complete!/);
      assert.match(cli.out(), new RegExp(`backed up to ${backupDir}/`));
      assert.match(cli.err(), new RegExp(`Interrupted \\(${signal}\\) while writing: the write was finished first`));
      const again = await runCommand(['check', '--json', ...net.flags]);
      assert.equal(again.json.verdict, 'A', again.stdout + again.stderr);
      assert.ok(log.some((a) => a.slice(2, 4) === 'D6'));
    } finally {
      cliRef?.child.kill('SIGKILL');
      await live.reader.remove(client);
      await net.close();
    }
  });
}

test('SIGTERM before the first write: cancelled (exit 130), no PIN sent, nothing written', { timeout: 90_000 }, async () => {
  const scenario = await staleScenario();
  const net = await scenarioNetwork(scenario);
  const log = apduLog(scenario.card);
  const backupDir = tempDir('moica-signal-backup-');
  dirs.push(backupDir);
  const before = JSON.stringify(scenario.card.toState().binaries);
  const client = await live.reader.insert(scenario.card);
  let cliRef: ReturnType<typeof startCli> | undefined;
  try {
    // The tries query (00 20 00 01, no data) comes right before the PIN is asked.
    const hold = holdFirst(client, (apdu) => apdu.slice(2) === '200001');
    const cli = cliRef = startCli(['rewrite', '--pin-stdin', '--yes', '--json', '--backup-dir', backupDir, ...net.flags], { PCSCLITE_CSOCK_NAME: live.rig.socketPath }, `${scenario.pin}\n`);
    await hold.held;
    cli.child.kill('SIGTERM');
    await cli.waitFor(/cancelling; nothing has been written/);
    hold.release();
    assert.equal(await cli.exited, 130, cli.err());
    const doc = JSON.parse(cli.out()) as { error: { code: string; signal: string } };
    assert.equal(doc.error.code, 'cancelled');
    assert.equal(doc.error.signal, 'SIGTERM');
    assert.equal(log.filter((a) => a.slice(2, 4) === '20' && a.length > 10).length, 0, 'no VERIFY with a PIN');
    assert.equal(log.filter((a) => a.slice(2, 4) === 'D6').length, 0, 'nothing written');
    assert.equal(JSON.stringify(scenario.card.toState().binaries), before);
  } finally {
    cliRef?.child.kill('SIGKILL');
    await live.reader.remove(client);
    await net.close();
  }
});

test('the card pulled mid-write: the error says where the backup is and the one command that finishes the job', { timeout: 90_000 }, async () => {
  const scenario = await staleScenario();
  const net = await scenarioNetwork(scenario);
  const backupDir = tempDir('moica-signal-backup-');
  dirs.push(backupDir);
  const client = await live.reader.insert(scenario.card);
  let cliRef: ReturnType<typeof startCli> | undefined;
  try {
    const hold = holdFirst(client, (apdu) => apdu.slice(2, 4) === 'D6');
    const cli = cliRef = startCli(['rewrite', '--pin-stdin', '--yes', '--backup-dir', backupDir, ...net.flags], { PCSCLITE_CSOCK_NAME: live.rig.socketPath }, `${scenario.pin}\n`);
    await hold.held;
    client.pullAfter(0);
    hold.release();
    const code = await cli.exited;
    assert.equal(code, 5, cli.err());
    assert.match(cli.err(), new RegExp(`backup: ${backupDir}/`));
    assert.match(cli.err(), new RegExp(`run: moica-check rewrite --pin-stdin --registry ${net.registry.url.replace(/[.*+?^${}()|[\]\\/]/g, '\\$&')}`));
    assert.match(cli.err(), new RegExp(`--backup-dir ${backupDir}`));
  } finally {
    cliRef?.child.kill('SIGKILL');
    await live.reader.remove(client);
    await net.close();
  }
});
