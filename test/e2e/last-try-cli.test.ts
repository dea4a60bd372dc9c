/**
 * The last PIN try, headless (HELPERS.md PIN gating, issue 13 item 3): with the PIN piped, `--yes` alone
 * never spends it (exit 6 pin-last-try-unconfirmed, no VERIFY with a PIN, the error names --last-try);
 * `--last-try` spends it. Over the pcscd rig with the virtual card left one try.
 */
import { after, test } from 'node:test';
import assert from 'node:assert/strict';
import { rmSync } from 'node:fs';
import { apduLog, runCommand, scenarioNetwork, staleScenario, tempDir, useRig } from './harness.js';

const live = useRig();
const dirs: string[] = [];

after(async () => {
  for (const dir of dirs) rmSync(dir, { recursive: true, force: true });
});

/** VERIFY commands that carry a PIN (the tries query, `00 20 00 01` with no data, carries none). */
const pinVerifies = (log: readonly string[]) => log.filter((apdu) => apdu.slice(2, 4) === '20' && apdu.length > 10).length;

test('one try left, PIN piped: --yes alone sends no PIN (exit 6, says --last-try); --yes --last-try rewrites (exit 0)', async () => {
  const scenario = await staleScenario({ tries: 1 });
  const net = await scenarioNetwork(scenario);
  const log = apduLog(scenario.card);
  const backupDir = tempDir('moica-lasttry-backup-');
  dirs.push(backupDir);
  const client = await live.reader.insert(scenario.card);
  try {
    const argv = ['rewrite', '--pin-stdin', '--yes', '--json', '--backup-dir', backupDir, ...net.flags];
    const refused = await runCommand(argv, `${scenario.pin}\n`);
    assert.equal(refused.code, 6, refused.stdout + refused.stderr);
    assert.equal(refused.json.error.code, 'pin-last-try-unconfirmed');
    assert.match(refused.json.error.message, /--last-try/);
    assert.equal(pinVerifies(log), 0, 'no VERIFY with a PIN');
    assert.equal(scenario.card.triesLeft, 1);

    const spent = await runCommand([...argv, '--last-try'], `${scenario.pin}\n`);
    assert.equal(spent.code, 0, spent.stdout + spent.stderr);
    assert.equal(spent.json.verdict, 'B-2');
    assert.equal(pinVerifies(log), 1);
  } finally {
    await live.reader.remove(client);
    await net.close();
  }
});
