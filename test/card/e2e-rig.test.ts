/**
 * The card module over a real pcscd with the vpcd driver (test/rig/pcscd.ts) and the virtual card over
 * TCP: what PC/SC really does on insertion, removal, swap, a pull mid-read and a pcscd restart.
 * One Transport for the whole file: recovering from the restart without a new one is part of the test.
 */
import { after, before, test } from 'node:test';
import assert from 'node:assert/strict';
import { MoicaCard } from '../../source/card/moica.js';
import { PcscTransport } from '../../source/card/pcsc.js';
import type { TransportEvent } from '../../source/card/types.js';
import { buildNamedScenario } from '../../source/virtual/demos.js';
import { VpcdCardClient } from '../../source/virtual/vpcd-client.js';
import { isMoicaError } from '../../source/errors.js';
import { RIG_READER, startPcscd, waitFor, type PcscdRig } from '../rig/pcscd.js';

let rig: PcscdRig;
let transport: PcscTransport;
const events: TransportEvent[] = [];
const clients: VpcdCardClient[] = [];

before(async () => {
  rig = await startPcscd();
  // Read by libpcsclite itself, once per process: set before the first context.
  process.env.PCSCLITE_CSOCK_NAME = rig.socketPath;
  transport = await PcscTransport.create({ retryMs: 100, timeoutMs: 5000 });
  transport.on((e) => events.push(e));
  await transport.ready();
});

after(async () => {
  for (const c of clients) await c.remove();
  await transport?.close();
  await rig?.stop();
});

/** Waits (polling with a deadline) until an event after index `from` matches. */
async function eventAfter(from: number, what: string, pred: (e: TransportEvent) => boolean): Promise<TransportEvent> {
  let found: TransportEvent | undefined;
  await waitFor(what, () => {
    found = events.slice(from).find(pred);
    return found !== undefined;
  }, 15_000);
  return found!;
}

async function insert(name: Parameters<typeof buildNamedScenario>[0], options: Parameters<typeof buildNamedScenario>[1] = {}) {
  const scenario = await buildNamedScenario(name, options);
  const client = new VpcdCardClient(scenario.card, { port: rig.port });
  clients.push(client);
  const from = events.length;
  await client.insert();
  await eventAfter(from, 'card-inserted', (e) => e.type === 'card-inserted' && e.reader === RIG_READER);
  return { scenario, client };
}

async function remove(client: VpcdCardClient): Promise<void> {
  const from = events.length;
  await client.remove();
  await eventAfter(from, 'card-removed', (e) => e.type === 'card-removed' && e.reader === RIG_READER);
}

test('the rig\'s readers are listed, with no card', () => {
  assert.equal(transport.serviceUp(), true);
  const names = transport.readers().map((r) => r.name);
  assert.ok(names.includes(RIG_READER), names.join(', '));
  assert.equal(transport.readers().find((r) => r.name === RIG_READER)?.cardPresent, false);
});

for (const generation of [1, 2] as const) {
  test(`gen${generation} card in: number, serials, validity; card out`, async () => {
    const { scenario, client } = await insert('valid', { generation });
    const state = transport.readers().find((r) => r.name === RIG_READER)!;
    assert.equal(state.cardPresent, true);
    assert.equal(state.atr, '3B8D8001564D4F4943412D53494D312E3046');
    const channel = await transport.connect(RIG_READER);
    const info = await (await MoicaCard.open(channel)).read();
    assert.equal(info.generation, generation);
    assert.equal(info.number, 'TP03130708163649');
    assert.deepEqual(info.certificates.map((c) => c.serialNumber), scenario.onCard.map((c) => c.serialNumber));
    assert.deepEqual(info.certificates.map((c) => c.notAfter?.getTime()), scenario.onCard.map((c) => c.notAfter.getTime()));
    await channel.close();
    await remove(client);
    assert.equal(transport.readers().find((r) => r.name === RIG_READER)?.cardPresent, false);
  });
}

test('card swapped: the old channel fails typed, a new connect reads the other card', async () => {
  const first = await insert('valid');
  const channel = await transport.connect(RIG_READER);
  assert.equal((await (await MoicaCard.open(channel)).cardNumber()), 'TP03130708163649');
  await remove(first.client);
  await insert('revoked');
  await assert.rejects(channel.transmit(Uint8Array.of(0x80, 0xa4, 0x00, 0x00, 0x02, 0x3f, 0x00)), (e) => isMoicaError(e, 'card-removed'));
  const again = await transport.connect(RIG_READER);
  const info = await (await MoicaCard.open(again)).read();
  assert.equal(info.number, 'TP03110118038622');
  await again.close();
  await remove(clients.at(-1)!);
});

test('card pulled in the middle of a read: a typed error, no hang', async () => {
  const { client } = await insert('valid');
  const channel = await transport.connect(RIG_READER);
  const card = await MoicaCard.open(channel);
  const from = events.length;
  client.pullAfter(4);
  await assert.rejects(card.read(), (e) => {
    return isMoicaError(e, 'card-removed');
  });
  await eventAfter(from, 'card-removed', (e) => e.type === 'card-removed');
  await waitFor('reader empty', () => transport.readers().find((r) => r.name === RIG_READER)?.cardPresent === false, 15_000);
  await channel.close();
});

test('pcscd killed and restarted: service down, then readers and cards back on the same Transport', async () => {
  const from = events.length;
  await rig.restart();
  await eventAfter(from, 'service down', (e) => e.type === 'service' && !e.up);
  await eventAfter(from, 'service up', (e) => e.type === 'service' && e.up);
  await waitFor('the reader back', () => transport.readers().some((r) => r.name === RIG_READER), 15_000);
  assert.equal(transport.serviceUp(), true);
  const { scenario } = await insert('suspended');
  const channel = await transport.connect(RIG_READER);
  const info = await (await MoicaCard.open(channel)).read();
  assert.equal(info.number, scenario.spec.cardNumber);
  await channel.close();
  await remove(clients.at(-1)!);
});
