/**
 * Faults over the private pcscd rig, with the TUI's engine (source/engine) and the CLI: pcscd killed and
 * restarted while the engine runs, the card pulled or pcscd killed in the middle of a read, two cards in
 * the two vpcd slots, and a card that stops answering. Every fault ends in a typed error or a recovery,
 * never a hang.
 */
import { after, before, test } from 'node:test';
import assert from 'node:assert/strict';
import { spawn } from 'node:child_process';
import { parseOptions } from '../../source/options.js';
import { createEngine } from '../../source/engine/index.js';
import type { Engine } from '../../source/ui/engine.js';
import type { TransportEvent } from '../../source/card/types.js';
import { buildNamedScenario } from '../../source/virtual/demos.js';
import type { BuiltScenario } from '../../source/virtual/scenario.js';
import { VpcdCardClient } from '../../source/virtual/vpcd-client.js';
import { MoicaError } from '../../source/errors.js';
import { RIG_READER, startPcscd, waitFor, type PcscdRig } from '../rig/pcscd.js';

const SECOND_READER = 'Virtual PCD 00 01';
/** The goal is readers back within 2 s of pcscd being up; the assertion allows for this loaded machine. */
const READERS_BACK_DEADLINE_MS = 15_000;

let rig: PcscdRig;
let engine: Engine;
let valid: BuiltScenario;
let revoked: BuiltScenario;
const events: TransportEvent[] = [];

before(async () => {
  rig = await startPcscd();
  process.env.PCSCLITE_CSOCK_NAME = rig.socketPath;
  [valid, revoked] = await Promise.all([buildNamedScenario('valid'), buildNamedScenario('revoked')]);
  engine = await createEngine(parseOptions(['--timeout', '3000', '--lang', 'en'], { LANG: 'C' }));
  engine.onReaderEvent((e) => events.push(e));
  await engine.ready();
});

after(async () => {
  await engine?.close();
  await rig?.stop();
});

const state = (reader: string) => engine.readers().find((r) => r.name === reader);

async function insert(scenario: BuiltScenario, port = rig.port): Promise<VpcdCardClient> {
  const client = new VpcdCardClient(scenario.card, { port });
  await client.insert();
  const reader = port === rig.port ? RIG_READER : SECOND_READER;
  await waitFor(`card in ${reader}`, () => state(reader)?.cardPresent === true, 15_000);
  return client;
}

async function removeCard(client: VpcdCardClient, reader = RIG_READER): Promise<void> {
  await client.remove();
  await waitFor(`card out of ${reader}`, () => state(reader)?.cardPresent !== true, 15_000);
}

const typed = (e: unknown) => e instanceof MoicaError && e.code !== 'internal';

test('pcscd killed and restarted while the engine runs: readers back (figure printed), the card read again', async () => {
  const client = await insert(valid);
  assert.equal((await engine.readCard(RIG_READER)).number, valid.spec.cardNumber);
  const from = events.length;
  await rig.restart(); // resolves once the new pcscd's socket and vpcd ports are up
  const upAt = performance.now();
  await waitFor('the readers back', () => state(RIG_READER) !== undefined, READERS_BACK_DEADLINE_MS);
  const backMs = Math.round(performance.now() - upAt);
  console.log(`faults: readers back ${backMs} ms after pcscd was up again (goal ≤ 2000 ms)`);
  assert.ok(events.slice(from).some((e) => e.type === 'service' && !e.up), 'the engine saw the service go');
  assert.equal(engine.serviceUp(), true);
  // vpcd dropped the card with its old pcscd: put it back, and read it through the same engine.
  await client.remove();
  const again = await insert(valid);
  assert.equal((await engine.readCard(RIG_READER)).number, valid.spec.cardNumber);
  await removeCard(again);
});

test('the card pulled in the middle of a read: card-removed, no hang', async () => {
  const client = await insert(valid);
  client.pullAfter(6);
  await assert.rejects(engine.readCard(RIG_READER), (e) => e instanceof MoicaError && e.code === 'card-removed');
  await waitFor('card out', () => state(RIG_READER)?.cardPresent !== true, 15_000);
  await client.remove();
});

test('pcscd killed in the middle of a read: a typed error, no hang; the engine recovers', async () => {
  const client = await insert(valid);
  let restarting: Promise<void> | undefined;
  client.on('apdu', (count: number) => {
    if (count >= 5 && restarting === undefined) restarting = rig.restart();
  });
  valid.card.stats.reset();
  await assert.rejects(engine.readCard(RIG_READER), (e) => {
    assert.ok(typed(e), String(e));
    assert.ok(['pcsc-unavailable', 'card-removed', 'card-error', 'card-timeout'].includes((e as MoicaError).code), (e as MoicaError).code);
    return true;
  });
  await restarting;
  client.removeAllListeners('apdu');
  await client.remove();
  await waitFor('the readers back', () => state(RIG_READER) !== undefined && engine.serviceUp(), READERS_BACK_DEADLINE_MS);
});

interface Run {
  code: number | null;
  json: Record<string, any>;
  stderr: string;
  ms: number;
}

function cli(args: string[]): Promise<Run> {
  const t0 = performance.now();
  return new Promise((resolve, reject) => {
    const child = spawn(process.execPath, ['--import', 'tsx', 'source/cli.tsx', ...args], {
      env: { ...process.env, PCSCLITE_CSOCK_NAME: rig.socketPath, LANG: 'C' },
      stdio: ['ignore', 'pipe', 'pipe'],
    });
    let stdout = '';
    let stderr = '';
    child.stdout.on('data', (c) => (stdout += c));
    child.stderr.on('data', (c) => (stderr += c));
    const hang = setTimeout(() => {
      child.kill('SIGKILL');
      reject(new Error(`moica-check ${args.join(' ')} did not exit`));
    }, 60_000);
    child.once('close', (code) => {
      clearTimeout(hang);
      let json: Record<string, any> = {};
      try {
        json = JSON.parse(stdout);
      } catch {
        // a test that wants JSON fails on its own assertion
      }
      resolve({ code, json, stderr, ms: Math.round(performance.now() - t0) });
    });
  });
}

test('two cards in two slots: readers --json lists both; read --reader "00 01" reads the second', async () => {
  const first = await insert(valid);
  const second = await insert(revoked, rig.port + 1);
  try {
    const readers = await cli(['readers', '--json']);
    assert.equal(readers.code, 0, readers.stderr);
    const listed = readers.json.readers as Array<{ name: string; cardPresent: boolean; moica: boolean }>;
    for (const name of [RIG_READER, SECOND_READER]) {
      assert.deepEqual(listed.find((r) => r.name === name) && { cardPresent: listed.find((r) => r.name === name)!.cardPresent, moica: listed.find((r) => r.name === name)!.moica }, { cardPresent: true, moica: true }, name);
    }
    const read = await cli(['read', '--json', '--reader', '00 01']);
    assert.equal(read.code, 0, read.stderr);
    assert.equal(read.json.reader, SECOND_READER);
    assert.equal(read.json.card.number, revoked.spec.cardNumber);
    assert.deepEqual(read.json.card.certificates.map((c: { serialNumber: string }) => c.serialNumber), revoked.onCard.map((c) => c.serialNumber));
  } finally {
    await removeCard(second, SECOND_READER);
    await removeCard(first);
  }
});

test('a card that stops answering: card-timeout (3000 ms transmit timeout, then at most 3000 ms for the disconnect), not a hang', async () => {
  const client = await insert(valid);
  valid.card.stopAnswering(4);
  const t0 = performance.now();
  await assert.rejects(engine.readCard(RIG_READER), (e) => e instanceof MoicaError && e.code === 'card-timeout');
  console.log(`faults: mute card → card-timeout after ${Math.round(performance.now() - t0)} ms (timeout 3000 ms)`);
  // Taking the card out releases pcscd, which is still waiting on it (see the report: a CLI whose card
  // stays mute waits there on exit).
  await client.remove();
  await waitFor('card out', () => state(RIG_READER)?.cardPresent !== true, 15_000);
});
