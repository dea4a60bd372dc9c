import { after, before, describe, test } from 'node:test';
import assert from 'node:assert/strict';
import { once } from 'node:events';
import { execFile } from 'node:child_process';
import { createServer, type AddressInfo, type Server, type Socket } from 'node:net';
import { VirtualCard } from '../../source/virtual/card.js';
import { buildNamedScenario } from '../../source/virtual/demos.js';
import type { VirtualCardState } from '../../source/virtual/image.js';
import { InProcessTransport, VIRTUAL_READER } from '../../source/virtual/in-process.js';
import { FrameReader, VpcdCardClient } from '../../source/virtual/vpcd-client.js';
import type { TransportEvent } from '../../source/card/types.js';
import { isMoicaError } from '../../source/errors.js';

let state: VirtualCardState;
const fresh = (): VirtualCard => VirtualCard.fromState(structuredClone(state));
const apdu = (hex: string): Uint8Array => Buffer.from(hex, 'hex');
const swOf = (reply: Uint8Array): string => Buffer.from(reply.subarray(-2)).toString('hex').toUpperCase();
/** Lets queued setImmediate work run (the in-process transport answers on the next turn). */
const turns = async (n: number): Promise<void> => {
  for (let i = 0; i < n; i++) await new Promise((resolve) => setImmediate(resolve));
};

before(async () => {
  state = (await buildNamedScenario('valid')).card.toState();
});

describe('in-process transport', () => {
  test('insert and remove emit events and update the reader list; connect needs a card', async () => {
    const transport = new InProcessTransport();
    const events: TransportEvent[] = [];
    transport.on((e) => events.push(e));
    await transport.ready();
    assert.equal(transport.serviceUp(), true);
    assert.deepEqual(transport.readers(), [{ name: VIRTUAL_READER, cardPresent: false, eventCount: 0 }]);
    await assert.rejects(transport.connect(VIRTUAL_READER), (e) => isMoicaError(e, 'no-card'));
    await assert.rejects(transport.connect('Nope'), (e) => isMoicaError(e, 'no-reader'));
    transport.insert(fresh());
    const [reader] = transport.readers();
    assert.equal(reader?.cardPresent, true);
    assert.equal(reader?.atr, '3B8D8001564D4F4943412D53494D312E3046');
    transport.remove();
    assert.equal(transport.readers()[0]?.eventCount, 2);
    assert.deepEqual(events.map((e) => e.type), ['card-inserted', 'card-removed']);
    await transport.close();
  });

  test('transmits are queued in order; after removal the channel reports card-removed', async () => {
    const transport = new InProcessTransport();
    transport.insert(fresh());
    const channel = await transport.connect(VIRTUAL_READER);
    const replies = await Promise.all(['80A40000023F00', '80A40000020900', '80A40000020903', '80B0000010'].map((h) => channel.transmit(apdu(h))));
    assert.deepEqual(replies.map(swOf), ['9000', '9000', '9000', '9000']);
    assert.equal(Buffer.from(replies[3]!.subarray(0, 16)).toString('ascii'), 'TP03130708163649');
    transport.remove();
    await assert.rejects(channel.transmit(apdu('80A40000023F00')), (e) => isMoicaError(e, 'card-removed'));
    transport.insert(fresh());
    await assert.rejects(channel.transmit(apdu('80A40000023F00')), (e) => isMoicaError(e, 'card-removed'),
      'a new card is not the one this channel connected to');
    await transport.close();
  });

  test('the pull knob: the APDU in flight fails with card-removed and the reader reports the removal', async () => {
    const transport = new InProcessTransport();
    const card = fresh();
    transport.insert(card);
    const removed = new Promise<TransportEvent>((resolve) => transport.on((e) => e.type === 'card-removed' && resolve(e)));
    const channel = await transport.connect(VIRTUAL_READER);
    card.pullAfter(1);
    assert.equal(swOf(await channel.transmit(apdu('80A40000023F00'))), '9000');
    await assert.rejects(channel.transmit(apdu('80A40000020900')), (e) => isMoicaError(e, 'card-removed'));
    assert.deepEqual(await removed, { type: 'card-removed', reader: VIRTUAL_READER });
    assert.equal(transport.readers()[0]?.cardPresent, false);
    await transport.close();
  });

  test('a mute card leaves the transmit pending until the card is removed', async () => {
    const transport = new InProcessTransport();
    const card = fresh();
    transport.insert(card);
    const channel = await transport.connect(VIRTUAL_READER);
    card.stopAnswering();
    let settled = false;
    const pending = channel.transmit(apdu('80A40000023F00')).finally(() => { settled = true; });
    await turns(5);
    assert.equal(card.stats.apdus, 1, 'the card received it');
    assert.equal(settled, false);
    transport.remove();
    await assert.rejects(pending, (e) => isMoicaError(e, 'card-removed'));
    await transport.close();
  });

  test('readers come and go; the service can stop and come back', async () => {
    const transport = new InProcessTransport([]);
    const events: TransportEvent[] = [];
    transport.on((e) => events.push(e));
    transport.addReader('Virtual PCD 00 01');
    transport.insert(fresh(), 'Virtual PCD 00 01');
    transport.removeReader('Virtual PCD 00 01');
    transport.setServiceUp(false);
    assert.deepEqual(transport.readers(), []);
    await assert.rejects(transport.connect('Virtual PCD 00 01'), (e) => isMoicaError(e, 'pcsc-unavailable'));
    transport.setServiceUp(true);
    assert.deepEqual(events.map((e) => e.type), ['reader-added', 'card-inserted', 'card-removed', 'reader-removed', 'service', 'service']);
    await transport.close();
  });

  test('the APDU buffer handed to transmit may be zeroed by the caller right away', async () => {
    const transport = new InProcessTransport();
    const card = fresh();
    transport.insert(card);
    const channel = await transport.connect(VIRTUAL_READER);
    const verify = Buffer.from(`002000010A${Buffer.from('123456').toString('hex')}FFFFFFFF`, 'hex');
    const reply = channel.transmit(verify);
    verify.fill(0);
    assert.equal(swOf(await reply), '9000');
    assert.equal(card.isVerified, true);
    await transport.close();
  });
});

describe('vpcd client (against a fake vpcd that splits length and payload)', () => {
  let server: Server;
  let port: number;
  const sockets: Socket[] = [];

  before(async () => {
    server = createServer((socket) => sockets.push(socket));
    server.listen(0, '127.0.0.1');
    await once(server, 'listening');
    port = (server.address() as AddressInfo).port;
  });
  after(async () => {
    for (const socket of sockets) socket.destroy();
    server.close();
    await once(server, 'close');
  });

  /** The reader side: sends a frame as vpcd does (two writes), waits for the reply frame. */
  async function exchange(socket: Socket, frames: FrameReader, payload: Buffer): Promise<Buffer> {
    const length = Buffer.alloc(2);
    length.writeUInt16BE(payload.length);
    socket.write(length);
    await turns(2);
    socket.write(payload);
    for (;;) {
      const [chunk] = (await once(socket, 'data')) as [Buffer];
      const [reply] = frames.push(chunk);
      if (reply) return reply;
    }
  }

  test('insert connects; power on, ATR and APDUs are answered frame by frame; remove closes', async () => {
    const accepted = once(server, 'connection');
    const client = new VpcdCardClient(fresh(), { port });
    await client.insert();
    const [socket] = (await accepted) as [Socket];
    const frames = new FrameReader();
    socket.write(Buffer.from([0, 1, 0x01])); // power on: no reply
    assert.equal((await exchange(socket, frames, Buffer.from([0x04]))).toString('hex').toUpperCase(), '3B8D8001564D4F4943412D53494D312E3046');
    assert.equal(swOf(await exchange(socket, frames, Buffer.from('80A40000023F00', 'hex'))), '9000');
    const closed = once(socket, 'close');
    await client.remove();
    await closed;
    assert.equal(client.inserted, false);
  });

  test('pull after N APDUs: the client closes the connection (the reader sees the card go)', async () => {
    const accepted = once(server, 'connection');
    const card = fresh();
    const client = new VpcdCardClient(card, { port });
    const removed = once(client, 'removed');
    await client.insert();
    const [socket] = (await accepted) as [Socket];
    const frames = new FrameReader();
    client.pullAfter(1);
    assert.equal(swOf(await exchange(socket, frames, Buffer.from('80A40000023F00', 'hex'))), '9000');
    const closed = once(socket, 'close');
    socket.write(Buffer.from('000780A40000020900', 'hex'));
    await closed;
    await removed;
    assert.equal(card.isPulled, true);
    assert.equal(client.inserted, false);
  });

  test('no vpcd listening: insert fails with a typed error', async () => {
    const probe = createServer();
    probe.listen(0, '127.0.0.1');
    await once(probe, 'listening');
    const freePort = (probe.address() as AddressInfo).port;
    probe.close();
    await once(probe, 'close');
    const client = new VpcdCardClient(fresh(), { port: freePort });
    await assert.rejects(client.insert(), (e) => isMoicaError(e, 'no-reader'));
  });
});

describe('serve.ts command line', () => {
  test('bad arguments end with a usage message and exit code 2, never a stack trace', async () => {
    const run = (...args: string[]) => new Promise<{ code: number | null; stderr: string }>((resolve) => {
      execFile(process.execPath, ['--import', 'tsx', 'source/virtual/serve.ts', ...args], (error, _stdout, stderr) => {
        resolve({ code: error ? (error as { code?: number }).code ?? 1 : 0, stderr });
      });
    });
    for (const args of [['--scenario', 'valid'], ['--port', '1', '--scenario', 'nope'], ['--port', '1', '--state', '/nonexistent/card.json']]) {
      const { code, stderr } = await run(...args);
      assert.equal(code, 2, args.join(' '));
      assert.match(stderr, /^serve: /);
      assert.doesNotMatch(stderr, /\n\s+at /, 'no stack trace');
    }
  });
});
