/**
 * The built CLI (`node bin/moica-check.js`, after the build) against the private pcscd: `readers` and
 * `read` with --json, their documents and exit codes, and `--demo` (no pcscd at all).
 */
import { after, before, test } from 'node:test';
import assert from 'node:assert/strict';
import { spawnSync } from 'node:child_process';
import { cpSync, mkdtempSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { buildNamedScenario } from '../../source/virtual/demos.js';
import type { BuiltScenario } from '../../source/virtual/scenario.js';
import { VpcdCardClient } from '../../source/virtual/vpcd-client.js';
import { RIG_READER, startPcscd, waitFor, type PcscdRig } from '../rig/pcscd.js';
import { spawnCli, type Run } from './harness.js';

let rig: PcscdRig;

before(async () => {
  const build = spawnSync(process.execPath, ['scripts/build.mjs'], { encoding: 'utf8' });
  assert.equal(build.status, 0, `the build failed:\n${build.stderr}`);
  rig = await startPcscd();
});

after(async () => {
  await rig?.stop();
});


/** The built CLI against the rig's pcscd (the e2e harness's spawn, with its hang limit). */
const cli = (args: string[], env: Record<string, string> = {}, entry?: string): Promise<Run> =>
  spawnCli(args, { PCSCLITE_CSOCK_NAME: rig.socketPath, ...env }, '', entry);

const cardPresent = async () => (await cli(['readers', '--json'])).json.readers?.some((r: any) => r.cardPresent) === true;

/**
 * The scenario's card in the rig's reader while `use` runs: put in and waited for until pcscd sees it, then
 * taken out and waited for until pcscd has seen it go. pcscd polls vpcd's presence every 400 ms: a card
 * inserted before it noticed the last one leave is, to pcscd, the same card still there, and its first
 * transmit then fails with SCARD_E_NOT_TRANSACTED (0x80100016) when pcscd catches up (seen in a full run).
 */
async function withCard(name: Parameters<typeof buildNamedScenario>[0], use: (scenario: BuiltScenario) => Promise<void>): Promise<void> {
  const scenario = await buildNamedScenario(name);
  const client = new VpcdCardClient(scenario.card, { port: rig.port });
  await client.insert();
  try {
    await waitFor('the card seen by pcscd', cardPresent, 15_000);
    await use(scenario);
  } finally {
    await client.remove();
    await waitFor('the card gone from pcscd', async () => !(await cardPresent()), 15_000);
  }
}

test('readers --json: the rig\'s readers, empty; read --json with no card: exit 3 no-card', async () => {
  const readers = await cli(['readers', '--json']);
  assert.equal(readers.code, 0, readers.stderr);
  const names = readers.json.readers.map((r: any) => r.name);
  assert.ok(names.includes(RIG_READER));
  assert.deepEqual(readers.json.readers.find((r: any) => r.name === RIG_READER), { name: RIG_READER, cardPresent: false, atr: null, moica: null, atrName: null });
  const read = await cli(['read', '--json', '--reader', '00 00']);
  assert.equal(read.code, 3);
  assert.equal(read.json.error.code, 'no-card');
  assert.equal(read.json.reader, RIG_READER);
  assert.equal(read.stderr, '', 'no stack trace, nothing on stderr with --json');
});

test('read --json with a card: {reader, card} and exit 0; readers shows the ATR as MOICA; --reader ambiguous → 3', async () => {
  await withCard('valid', async (scenario) => {
    const readers = await cli(['readers', '--json']);
    assert.deepEqual(readers.json.readers.find((r: any) => r.name === RIG_READER), {
      name: RIG_READER, cardPresent: true, atr: '3B8D8001564D4F4943412D53494D312E3046', moica: true, atrName: 'virtual MOICA card ("VMOICA-SIM1.0")',
    });
    const read = await cli(['read', '--json']);
    assert.equal(read.code, 0, read.stderr);
    assert.equal(read.json.reader, RIG_READER);
    assert.equal(read.json.card.number, 'TP03130708163649');
    assert.equal(read.json.card.generation, 1);
    assert.equal(read.json.card.consistent, true);
    assert.deepEqual(read.json.card.certificates.map((c: any) => [c.slot, c.usage, c.serialNumber]), [
      [0, 'signature', scenario.onCard[0].serialNumber], [1, 'encryption', scenario.onCard[1].serialNumber],
    ]);
    assert.equal(read.json.card.certificates[1].notAfter, scenario.onCard[1].notAfter.toISOString());
    const text = await cli(['read']);
    assert.equal(text.code, 0);
    assert.match(text.stdout, /TP03130708163649/);
    const ambiguous = await cli(['read', '--json', '--reader', 'Virtual']);
    assert.equal(ambiguous.code, 3);
    assert.equal(ambiguous.json.error.code, 'reader-ambiguous');
  });
});

test('an interrupted rewrite over PC/SC: read --json exit 5 card-inconsistent, with the card in the document', async () => {
  await withCard('inconsistent', async () => {
    const read = await cli(['read', '--json']);
    assert.equal(read.code, 5, JSON.stringify(read.json.error));
    assert.equal(read.json.error.code, 'card-inconsistent', JSON.stringify(read.json.error));
    assert.equal(read.json.card.consistent, false);
    assert.equal(read.json.card.certificates[0].consistent, false);
  });
});

test('no pcscd: exit 3 pcsc-unavailable, no hang', async () => {
  const read = await cli(['read', '--json'], { PCSCLITE_CSOCK_NAME: `${rig.dir}/nobody-here.comm` });
  assert.equal(read.code, 3);
  assert.equal(read.json.error.code, 'pcsc-unavailable');
  const readers = await cli(['readers', '--json'], { PCSCLITE_CSOCK_NAME: `${rig.dir}/nobody-here.comm` });
  assert.equal(readers.code, 3);
});

test('--demo: the virtual card in-process, no pcscd', async () => {
  const read = await cli(['read', '--json', '--demo', 'revoked'], { PCSCLITE_CSOCK_NAME: `${rig.dir}/nobody-here.comm` });
  assert.equal(read.code, 0, read.stderr);
  assert.equal(read.json.reader, 'Virtual PCD 00 00');
  assert.equal(read.json.card.number, 'TP03110118038622');
  const readers = await cli(['readers', '--json', '--demo'], { PCSCLITE_CSOCK_NAME: `${rig.dir}/nobody-here.comm` });
  assert.equal(readers.code, 0);
  assert.equal(readers.json.readers[0].moica, true);
});

test('without the native binding: exit 3 pcsc-binding-missing, with the fix in the message', async () => {
  // The bundle alone, away from node_modules: the dynamic import of `pcsclite` fails.
  const dir = mkdtempSync(join(tmpdir(), 'moica-nobinding-'));
  try {
    cpSync('dist', dir, { recursive: true });
    const run = await cli(['readers', '--json'], {}, join(dir, 'cli.js'));
    assert.equal(run.code, 3, run.stderr);
    assert.equal(run.json.error.code, 'pcsc-binding-missing');
    assert.match(run.json.error.message, /apt-get install libpcsclite-dev pcscd, then npm rebuild pcsclite/);
  } finally {
    rmSync(dir, { recursive: true, force: true });
  }
});
