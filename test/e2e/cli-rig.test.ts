/**
 * The real CLI path and the card pulled over PC/SC. The built `node bin/moica-check.js`, spawned with
 * PCSCLITE_CSOCK_NAME and the PIN on stdin, takes a stale card to B-2 with `--trace`: the PIN's bytes
 * (ASCII, and the FF-padded VERIFY block, raw or as hex) are nowhere in the trace, stdout, stderr, the
 * JSON, the backup or the registry's record. Then a card pulled mid-rewrite (in a body write, in a CDF
 * commit) over pcscd is put back and the `rewrite` command finishes it (B-2, then check A).
 */
import { after, test } from 'node:test';
import assert from 'node:assert/strict';
import { existsSync, readFileSync, rmSync } from 'node:fs';
import { join } from 'node:path';
import { VirtualCard } from '../../source/virtual/card.js';
import { InProcessTransport } from '../../source/virtual/in-process.js';
import { openCardAccess } from '../../source/engine/card-access.js';
import { isTornDirectory } from '../../source/check/torn.js';
import { runCheck } from '../../source/engine/check.js';
import { rewriteCard } from '../../source/engine/rewrite.js';
import { openNetwork } from '../../source/engine/session.js';
import { parseOptions } from '../../source/options.js';
import { inPty } from '../ui/pty.js';
import { apduLog, count, filesIn, pinVerifies, runCommand, scenarioNetwork, spawnCli, staleScenario, tempDir, useRig } from './harness.js';

const live = useRig({ build: true });
const dirs: string[] = [];
const dir = (prefix: string) => {
  const d = tempDir(prefix);
  dirs.push(d);
  return d;
};

after(async () => {
  for (const d of dirs) rmSync(d, { recursive: true, force: true });
});

/** Every form the PIN could leak in: the digits, the padded block raw, and both as hex (any case, spaced or not). */
function pinForms(pin: string): Buffer[] {
  const block = Buffer.alloc(10, 0xff);
  block.write(pin, 'latin1');
  const hexes = [Buffer.from(pin, 'latin1').toString('hex'), block.toString('hex')];
  const spaced = (h: string) => h.match(/../g)!.join(' ');
  return [
    Buffer.from(pin, 'latin1'),
    block,
    ...hexes.flatMap((h) => [h, h.toUpperCase(), spaced(h), spaced(h.toUpperCase())].map((s) => Buffer.from(s))),
  ];
}

function assertNoPin(where: string, bytes: Buffer, pin: string): void {
  for (const form of pinForms(pin)) assert.equal(bytes.indexOf(form), -1, `the PIN (${form.length} bytes) is in ${where}`);
}

test('spawned CLI: check B-1 (10) → rewrite --trace B-2 (0) → check A (0); the PIN is nowhere', async () => {
  const pin = '73950264'; // distinctive: no other bytes of the run look like it
  const scenario = await staleScenario({ pin });
  const net = await scenarioNetwork(scenario);
  const log = apduLog(scenario.card);
  const backupDir = dir('moica-e2e-cli-backup-');
  const trace = join(dir('moica-e2e-trace-'), 'trace.txt');
  const env = { PCSCLITE_CSOCK_NAME: live.rig.socketPath };
  const client = await live.reader.insert(scenario.card);
  try {
    const checked = await spawnCli(['check', '--json', ...net.flags], env);
    assert.equal(checked.code, 10, checked.stdout + checked.stderr);
    assert.equal(checked.json.verdict, 'B-1');
    assert.equal(checked.json.ocsp.checked, true, 'OpenSSL\'s answers verify against the card\'s CA');

    const rewrite = await spawnCli(['rewrite', '--pin-stdin', '--yes', '--json', '--trace', trace, '--backup-dir', backupDir, ...net.flags], env, `${pin}\n`);
    assert.equal(rewrite.code, 0, rewrite.stdout + rewrite.stderr);
    assert.equal(rewrite.json.verdict, 'B-2');
    assert.equal(rewrite.json.rewrite.result, 'completed');
    assert.deepEqual(rewrite.json.rewrite.serialNumbers, scenario.issued.map((c) => c.serialNumber));
    assert.equal(rewrite.json.rewrite.recorded, true);
    const saved = JSON.parse(readFileSync(rewrite.json.rewrite.backup, 'utf8'));
    assert.deepEqual(saved.certificates.map((c: any) => Buffer.from(c.der, 'base64').equals(Buffer.from(scenario.onCard[c.slot as 0 | 1].der))), [true, true],
      'the backup holds the old certificates, byte for byte');
    const again = await spawnCli(['check', '--json', ...net.flags], env);
    assert.equal(again.code, 0, again.stdout + again.stderr);
    assert.equal(again.json.verdict, 'A');
    assert.equal(again.json.ocsp.checked, true, 'OpenSSL\'s answers for the new serials verify');
    assert.deepEqual(again.json.card.certificates.map((c: any) => c.serialNumber), scenario.issued.map((c) => c.serialNumber));
    assert.deepEqual(net.registry.rewrites.map((r) => [r.cardNumber, r.result, r.serialNumbers]),
      [[scenario.spec.cardNumber, 'completed', scenario.issued.map((c) => c.serialNumber)]]);

    assert.equal(pinVerifies(log), 1, 'one VERIFY with a PIN reached the card');
    const traced = readFileSync(trace);
    assert.match(traced.toString(), /> 00 20 00 01 0A \[10 bytes redacted\]/, 'the VERIFY is in the trace, redacted');
    assert.ok(traced.toString().includes('D6'), 'the writes are traced');
    assertNoPin('the trace', traced, pin);
    for (const run of [checked, rewrite, again]) {
      assertNoPin('stdout', Buffer.from(run.stdout), pin);
      assertNoPin('stderr', Buffer.from(run.stderr), pin);
      assertNoPin('the JSON', Buffer.from(JSON.stringify(run.json)), pin);
    }
    const backups = filesIn(backupDir);
    assert.equal(backups.length, 1);
    assertNoPin('the backup', readFileSync(backups[0]!), pin);
    assertNoPin('the registry\'s record', Buffer.from(JSON.stringify(net.registry.rewrites)), pin);
  } finally {
    await live.reader.remove(client);
    await net.close();
  }
});

test('pulled over PC/SC in a body write and in a CDF commit: exit 5 card-removed with a backup; put back, rewrite finishes it, check A', async () => {
  const scenario = await staleScenario();
  const start = scenario.card.toState();
  const net = await scenarioNetwork(scenario);
  try {
    // The `rewrite` command's APDUs (read, check, rewrite) counted on the same card in-process: the APDU
    // layer is the same over both transports, so the indices hold over pcscd.
    const options = parseOptions(['rewrite', '--backup-dir', dir('moica-e2e-count-'), ...net.flags], {});
    const counted = VirtualCard.fromState(start);
    const commands = apduLog(counted);
    const transport = new InProcessTransport();
    transport.insert(counted);
    const access = await openCardAccess(options, { transport, close: () => transport.close() });
    const network = await openNetwork(options);
    try {
      const outcome = await runCheck(access, network);
      await rewriteCard(access, network, { askPin: async () => new TextEncoder().encode(scenario.pin), backupDir: options.backupDir, previousVerdict: outcome.verdict });
    } finally {
      await access.close();
      await network.close();
      await transport.close();
    }
    const writes = commands.map((apdu, i) => ({ i, apdu })).filter(({ apdu }) => apdu.slice(2, 4) === 'D6');
    const offset = (apdu: string) => parseInt(apdu.slice(4, 8), 16);
    const bodyWrite = writes.filter(({ apdu }) => offset(apdu) >= 0x0e00)[1]!; // slot 0's second body chunk
    const cdfCommit = writes.find(({ apdu }) => offset(apdu) < 0x0e00)!; // slot 0's directory entry

    for (const { i, what } of [{ i: bodyWrite.i, what: 'body write' }, { i: cdfCommit.i, what: 'CDF commit' }]) {
      const card = VirtualCard.fromState(start);
      const log = apduLog(card);
      const backupDir = dir('moica-e2e-pull-backup-');
      const argv = ['rewrite', '--pin-stdin', '--yes', '--json', '--backup-dir', backupDir, ...net.flags];
      card.pullAfter(i);
      const client = await live.reader.insert(card);
      const pulled = await runCommand(argv, `${scenario.pin}\n`);
      assert.equal(pulled.code, 5, `${what}: ${pulled.stdout}${pulled.stderr}`);
      assert.equal(pulled.json.error.code, 'card-removed', what);
      assert.ok(card.isPulled, `${what}: the card left at APDU ${i}`);
      assert.equal(log.length, i, `${what}: the card answered ${i} APDUs, then left`);
      assert.ok(existsSync(pulled.json.error.backup), `${what}: the error names the backup on disk`);
      await live.reader.remove(client);

      const back = VirtualCard.fromState(card.toState());
      const again = await live.reader.insert(back);
      try {
        const resumed = await runCommand(argv, `${scenario.pin}\n`);
        assert.equal(resumed.code, 0, `${what}: ${resumed.stdout}${resumed.stderr}`);
        assert.equal(resumed.json.verdict, 'B-2');
        const checked = await runCommand(['check', '--json', ...net.flags]);
        assert.equal(checked.code, 0, `${what}: ${checked.stdout}`);
        assert.equal(checked.json.verdict, 'A');
      } finally {
        await live.reader.remove(again);
      }
    }
  } finally {
    await net.close();
  }
});

test('a CDF commit torn so that the directory no longer parses: `rewrite` puts it back from the backup (its journal) and finishes; check A', async () => {
  const scenario = await staleScenario();
  const start = scenario.card.toState();
  const net = await scenarioNetwork(scenario);
  const backupDir = dir('moica-e2e-torn-backup-');
  const argv = ['rewrite', '--pin-stdin', '--yes', '--json', '--backup-dir', backupDir, ...net.flags];
  const options = parseOptions(argv, {});
  try {
    // Find, in-process, a pull index inside a directory write that leaves the directory unparseable.
    const counted = VirtualCard.fromState(start);
    const commands = apduLog(counted);
    await inProcessRewrite(counted, options, scenario.pin);
    const cdfWrites = commands.map((apdu, i) => ({ i, apdu })).filter(({ apdu }) => apdu.slice(2, 4) === 'D6' && parseInt(apdu.slice(4, 8), 16) < 0x0e00);
    let torn: VirtualCard | undefined;
    for (const { i } of cdfWrites) {
      const card = VirtualCard.fromState(start);
      card.pullAfter(i);
      await inProcessRewrite(card, options, scenario.pin).catch(() => undefined);
      const after = VirtualCard.fromState(card.toState());
      const opened = await inProcessOpen(after, options).catch((e: unknown) => e);
      if (isTornDirectory(opened)) { torn = VirtualCard.fromState(card.toState()); break; }
      if (!(opened instanceof Error)) await (opened as { close(): Promise<void> }).close();
    }
    assert.ok(torn, 'some pull inside a multi-APDU directory commit tears the directory');

    const client = await live.reader.insert(torn);
    try {
      const check = await runCommand(['check', '--json', ...net.flags]);
      assert.equal(check.code, 5, check.stdout);
      assert.equal(check.json.error.code, 'card-inconsistent');
      assert.equal(check.json.error.directory, 'unreadable');
      const resumed = await runCommand(argv, `${scenario.pin}\n`);
      assert.equal(resumed.code, 0, `${resumed.stdout}${resumed.stderr}`);
      assert.equal(resumed.json.verdict, 'B-2');
      const checked = await runCommand(['check', '--json', ...net.flags]);
      assert.equal(checked.code, 0, checked.stdout);
      assert.equal(checked.json.verdict, 'A');
    } finally {
      await live.reader.remove(client);
    }
  } finally {
    await net.close();
  }
});

async function inProcessOpen(card: VirtualCard, options: ReturnType<typeof parseOptions>) {
  const transport = new InProcessTransport();
  transport.insert(card);
  const access = await openCardAccess(options, { transport, close: () => transport.close() }).catch(async (e: unknown) => {
    await transport.close();
    throw e;
  });
  return { ...access, close: async () => { await access.close(); await transport.close(); } };
}

/** The `rewrite` command's sequence in-process (read, check, rewrite), with the backup in options.backupDir. */
async function inProcessRewrite(card: VirtualCard, options: ReturnType<typeof parseOptions>, pin: string): Promise<void> {
  const access = await inProcessOpen(card, options);
  const network = await openNetwork(options);
  try {
    const outcome = await runCheck(access, network);
    await rewriteCard(access, network, { askPin: async () => new TextEncoder().encode(pin), backupDir: options.backupDir, previousVerdict: outcome.verdict });
  } finally {
    await access.close();
    await network.close();
  }
}

test('the built TUI over PC/SC: its engine bundle (dist/engine.cjs) loads the binding, reads the card in the rig and reaches B-1', { timeout: 60_000 }, async () => {
  const scenario = await staleScenario();
  const net = await scenarioNetwork(scenario);
  const client = await live.reader.insert(scenario.card);
  try {
    const out = await inPty(net.flags, { PCSCLITE_CSOCK_NAME: live.rig.socketPath, LANG: 'zh_TW.UTF-8', LC_ALL: undefined, XDG_CACHE_HOME: dir('moica-e2e-tui-cache-') },
      (o) => /判定 [ABC]/.test(o) || /Could not start|無法啟動/.test(o), { quit: 'q' });
    assert.match(out, /判定 B-1/, out.slice(-600));
    assert.ok(out.includes(scenario.spec.cardNumber), 'the card read over PC/SC');
  } finally {
    await live.reader.remove(client);
    await net.close();
  }
});
