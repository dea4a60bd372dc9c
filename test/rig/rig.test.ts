/**
 * The private pcscd rig, checked with an independent PC/SC client (opensc-tool): the virtual card served
 * through Debian's vpcd driver is a card like any other to pcsc-lite.
 */
import { after, before, describe, test } from 'node:test';
import assert from 'node:assert/strict';
import { execFile, spawn } from 'node:child_process';
import { once } from 'node:events';
import { mkdirSync, mkdtempSync, readFileSync, rmSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { createInterface } from 'node:readline';
import { VirtualCard } from '../../source/virtual/card.js';
import { buildNamedScenario } from '../../source/virtual/demos.js';
import { pooledKeyPair } from '../../source/virtual/key-pool.js';
import type { VirtualCardState } from '../../source/virtual/image.js';
import { VpcdCardClient } from '../../source/virtual/vpcd-client.js';
import { RIG_READER, startPcscd, waitFor, type PcscdRig } from './pcscd.js';

let rig: PcscdRig;
let state: VirtualCardState;
const scratch = mkdtempSync(join(tmpdir(), 'moica-rig-test-'));
const READ_CARD_NUMBER = ['80A40000023F00', '80A40000020900', '80A40000020903', '80B0000010'];

/** opensc-tool against the rig's pcscd. Asynchronous on purpose: the card answers from this process. */
function openscTool(...args: string[]): Promise<string> {
  return new Promise((resolve, reject) => {
    execFile('opensc-tool', args, { env: { ...process.env, ...rig.env }, timeout: 30_000 }, (error, stdout, stderr) => {
      if (error && error.killed) reject(new Error(`opensc-tool ${args.join(' ')} timed out\n${stderr}`));
      else resolve(stdout + stderr);
    });
  });
}

/** The Card column of `opensc-tool -l` for our reader. */
async function cardPresent(): Promise<boolean | undefined> {
  const line = (await openscTool('-l')).split('\n').find((l) => l.includes(RIG_READER));
  if (!line) return undefined;
  return /^\s*\d+\s+Yes\b/.test(line);
}

function sendApdus(...apdus: string[]): Promise<string> {
  // the default driver spares the ~50 probing APDUs of opensc's card drivers
  return openscTool('-r', '0', '-c', 'default', ...apdus.flatMap((a) => ['-s', a]));
}

before(async () => {
  rig = await startPcscd();
  state = (await buildNamedScenario('valid')).card.toState();
});

after(async () => {
  await rig?.stop();
  rmSync(scratch, { recursive: true, force: true });
});

describe('private pcscd rig', () => {
  test('opensc-tool -l lists "Virtual PCD 00 00" with no card', async () => {
    const listing = await openscTool('-l');
    assert.match(listing, /Virtual PCD 00 00/, listing + rig.log());
    assert.equal(await cardPresent(), false);
  });

  test('a card inserted through vpcd is read by opensc-tool; removed, the reader shows no card', async () => {
    const card = VirtualCard.fromState(structuredClone(state));
    const client = new VpcdCardClient(card, { port: rig.port });
    await client.insert();
    try {
      await waitFor('opensc-tool to see the card', async () => (await cardPresent()) === true);
      const out = await sendApdus(...READ_CARD_NUMBER);
      assert.match(out, /54 50 30 33 31 33 30 37 30 38 31 36 33 36 34 39/, out);
      assert.match(out, /TP03130708163649/);
      assert.ok(card.stats.apdus >= READ_CARD_NUMBER.length);
    } finally {
      await client.remove();
    }
    await waitFor('opensc-tool to see the card gone', async () => (await cardPresent()) === false);
  });

  test('a card pulled after N APDUs disappears from the reader', async () => {
    const card = VirtualCard.fromState(structuredClone(state));
    const client = new VpcdCardClient(card, { port: rig.port });
    const removed = once(client, 'removed');
    await client.insert();
    await waitFor('the card to be present', async () => (await cardPresent()) === true);
    client.pullAfter(1);
    const out = await sendApdus('80A40000023F00', '80A40000020900', '80A40000020903');
    await removed;
    assert.equal(card.isPulled, true);
    assert.doesNotMatch(out, /Sending: 80 A4 00 00 02 09 03[\s\S]*SW1=0x90/, 'the third APDU got no answer');
    await waitFor('the reader to show no card', async () => (await cardPresent()) === false);
  });

  test('pcscd restarted on the same ports: the reader is back and takes a card again', async () => {
    const firstPid = rig.pid;
    await rig.restart();
    assert.notEqual(rig.pid, firstPid);
    assert.equal(await cardPresent(), false);
    const client = new VpcdCardClient(VirtualCard.fromState(structuredClone(state)), { port: rig.port });
    await client.insert();
    try {
      await waitFor('the card after the restart', async () => (await cardPresent()) === true);
      assert.match(await sendApdus(...READ_CARD_NUMBER), /TP03130708163649/);
    } finally {
      await client.remove();
    }
  });

  test('serve.ts in a child process serves a scenario; quit removes the card and saves its state', async () => {
    const saved = join(scratch, 'card.json');
    const registry = join(scratch, 'registry.json');
    // hand this process's key pool to the child through the disk cache: it need not generate keys
    const keys = join(scratch, 'keys');
    mkdirSync(keys);
    for (const index of [0, 1, 2, 3]) writeFileSync(join(keys, `rsa2048-${index}.p8`), (await pooledKeyPair(index)).pkcs8);
    const child = spawn(process.execPath, ['--import', 'tsx', 'source/virtual/serve.ts', '--port', String(rig.port),
      '--scenario', 'suspended', '--save-state', saved, '--registry-out', registry], {
      stdio: ['pipe', 'pipe', 'inherit'],
      env: { ...process.env, MOICA_VIRTUAL_KEY_CACHE: keys },
    });
    const exited = once(child, 'exit');
    const events = createInterface({ input: child.stdout! });
    const seen: string[] = [];
    const next = (event: string): Promise<void> => new Promise((resolve, reject) => {
      if (seen.includes(event)) return resolve();
      const onLine = (line: string): void => {
        const parsed = JSON.parse(line) as { event: string };
        seen.push(parsed.event);
        if (parsed.event === event) resolve();
      };
      events.on('line', onLine);
      child.once('exit', (code) => reject(new Error(`serve exited (${code}) before "${event}"`)));
    });
    try {
      await next('inserted');
      await waitFor('the served card', async () => (await cardPresent()) === true);
      assert.match(await sendApdus(...READ_CARD_NUMBER), /TP03140220064550/);
      child.stdin!.write('quit\n');
      const [code] = await exited;
      assert.equal(code, 0);
    } finally {
      if (child.exitCode === null) child.kill('SIGKILL');
    }
    const card = VirtualCard.fromState(JSON.parse(readFileSync(saved, 'utf8')) as VirtualCardState);
    assert.equal(Buffer.from(card.readFile('0900/0903')).toString('ascii'), 'TP03140220064550');
    assert.ok(JSON.parse(readFileSync(registry, 'utf8')).cards['TP03140220064550']);
    const servedKey = card.toState().keys.find((k) => k.keyId === 'SIGN')!.pkcs8;
    assert.equal(servedKey, Buffer.from((await pooledKeyPair(2)).pkcs8).toString('base64'), 'the child used the cached keys');
    await waitFor('the reader to show no card', async () => (await cardPresent()) === false);
  });
});
