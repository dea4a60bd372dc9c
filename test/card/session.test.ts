import { test } from 'node:test';
import assert from 'node:assert/strict';
import { MoicaCard } from '../../source/card/moica.js';
import { CardSession } from '../../source/card/session.js';
import { virtualCard } from './helpers.js';

test('READ BINARY chunks at C8, follows 6987 with Le 10, 61xx and 6Cxx, and stops at the end of the file', async () => {
  const { scenario, channel, entries } = await virtualCard('valid');
  const session = new CardSession(channel, 1);
  await session.selectPath([0x3f00, 0x5030, 0x08f2]);
  scenario.card.faults.sw6987 = 1;
  scenario.card.faults.getResponse = 2;
  scenario.card.faults.wrongLength = 1;
  const der = scenario.onCard[0].der;
  const got = await session.readBinary(0x0e00, der.length);
  assert.deepEqual(Buffer.from(got), Buffer.from(der));
  const reads = entries.filter((e) => e.command[1] === 0xb0).map((e) => e.command[4]);
  assert.equal(reads[0], 0xc8);
  assert.equal(reads[1], 0x10, 'after 69 87 the chunk is asked again with Le 10');
  assert.ok(entries.some((e) => e.command[1] === 0xc0 && e.command[0] === 0x80), 'GET RESPONSE in gen1 class');
  assert.ok(reads.every((le) => le !== undefined && le <= 0xc8));
  // Past the end: fewer bytes, no error.
  const tail = await session.readBinary(0x1c00 - 5, 50);
  assert.equal(tail.length, 5);
});

test('selectPath selects only what differs from the current file', async () => {
  const { channel, entries } = await virtualCard('valid');
  const session = new CardSession(channel, 1);
  await session.selectPath([0x3f00, 0x5030, 0x4104]);
  assert.equal(entries.length, 3);
  await session.selectPath([0x3f00, 0x5030, 0x4104]);
  assert.equal(entries.length, 3, 'already there');
  await session.selectPath([0x3f00, 0x5030, 0x08f2]);
  assert.equal(entries.length, 4, 'a sibling EF: one SELECT');
  await session.selectPath([0x3f00, 0x0900, 0x0903]);
  assert.equal(entries.length, 7, 'another DF: from the root');
  await assert.rejects(session.selectPath([0x3f00, 0x5015]), /file not found/);
});

test('gen2 selects with CLA 00 and the AID for the root', async () => {
  const { channel, entries } = await virtualCard('valid', { generation: 2 });
  const card = await MoicaCard.open(channel);
  await card.cardNumber();
  assert.ok(entries.every((e) => e.command[0] === 0x00));
  assert.ok(entries.some((e) => e.command[1] === 0xa4 && e.command[2] === 0x04), 'SELECT AID');
  assert.ok(entries.filter((e) => e.command[1] === 0xa4 && e.command[2] === 0x00).every((e) => e.command[3] === 0x04 && e.command.length === 8));
});
