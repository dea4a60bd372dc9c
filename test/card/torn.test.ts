/**
 * Torn writes (a card pulled while an UPDATE BINARY lands in part) as the card module sees them: a body
 * that does not parse reads inconsistent, a directory that does not parse is card-inconsistent with
 * directory 'unreadable', and the writer's commit order keeps the states between its APDUs parseable.
 */
import { test } from 'node:test';
import assert from 'node:assert/strict';
import { MoicaCard } from '../../source/card/moica.js';
import { parseCdf, splitRecords, usedLength } from '../../source/card/pkcs15.js';
import { InProcessTransport, VIRTUAL_READER } from '../../source/virtual/in-process.js';
import type { VirtualCard } from '../../source/virtual/card.js';
import { CDF_EXTRA, VirtualCardWriter } from '../../source/card/writers/virtual-apdu.js';
import { commitWrites, readBackWindows } from '../../source/card/writers/commit.js';
import { rewriteCdf } from '../../source/card/pkcs15.js';
import { isMoicaError } from '../../source/errors.js';
import { bytes, virtualCard } from './helpers.js';

const CDF = '5030/4104';
const KEYX_AREA = 0x1500;

async function reopen(card: VirtualCard): Promise<MoicaCard> {
  const transport = new InProcessTransport();
  transport.insert(card);
  return MoicaCard.open(await transport.connect(VIRTUAL_READER));
}

/** The scenario's slot-1 commit: its entry grows by a byte (the new serial needs a leading 00). */
async function growingCommit() {
  const v = await virtualCard('rewrite');
  const before = v.scenario.card.readFile(CDF);
  const entry = parseCdf(before)[3]!;
  const der = v.scenario.issued[1].der;
  const hex = v.scenario.issued[1].serialNumber;
  const serial = Buffer.from(hex.length % 2 === 0 ? hex : `0${hex}`, 'hex');
  // DER INTEGER content: a leading 00 keeps a serial with its high bit set positive.
  const after = rewriteCdf(before, entry, serial[0]! >= 0x80 ? Uint8Array.from([0, ...serial]) : serial, der.length);
  return { v, before, after };
}

test('a body torn in its first chunk: the slot reads inconsistent, the directory\'s serial, dates unknown', async () => {
  const { scenario } = await virtualCard('rewrite');
  const issued = scenario.issued[1].der;
  assert.equal(issued.length, scenario.onCard[1].der.length + 1, 'the scenario\'s new certificate is a byte longer');
  scenario.card.patchFile('5030/08F2', KEYX_AREA, issued.subarray(0, 100));
  const card = await reopen(scenario.card);
  const info = await card.read();
  assert.equal(info.consistent, false);
  const keyx = info.certificates[1]!;
  assert.deepEqual([keyx.consistent, keyx.notBefore, keyx.notAfter], [false, null, null]);
  assert.equal(keyx.serialNumber, scenario.onCard[1].serialNumber);
  assert.equal(info.certificates[0]!.consistent, true);
  await assert.rejects(card.certificate(1), (e) => isMoicaError(e, 'card-answer-invalid'));
});

test('a CDF commit, write by write: parseable between APDUs with the trailer first; torn inside the records it is card-inconsistent (directory unreadable)', async () => {
  const { v, before, after } = await growingCommit();
  assert.ok(usedLength(after) > usedLength(before));
  const writes = commitWrites(before, after);
  assert.equal(writes[0]!.offset, before.length - 2, 'growing: the used length first');
  assert.ok(writes.every((w) => w.bytes.length <= 200));
  const state = before.slice();
  for (const w of writes) {
    // A state between two APDUs: the used length never short of the records' end.
    state.set(w.bytes, w.offset);
    if (w === writes[0]) {
      const records = splitRecords(state);
      assert.ok(usedLength(state) >= records.at(-1)!.offset + records.at(-1)!.der.length);
      assert.equal(parseCdf(state).length, 4, 'old records, zero padding inside the used length');
    }
  }
  assert.deepEqual(Buffer.from(state), Buffer.from(after));
  // Torn in the first records write: half of it landed.
  const torn = before.slice();
  torn.set(writes[0]!.bytes, writes[0]!.offset);
  torn.set(writes[1]!.bytes.subarray(0, writes[1]!.bytes.length >> 1), writes[1]!.offset);
  v.scenario.card.patchFile(CDF, 0, torn);
  const card = await reopen(v.scenario.card);
  const e = await card.read().then(() => undefined, (x: unknown) => x);
  assert.ok(isMoicaError(e, 'card-inconsistent'), String(e));
  assert.deepEqual([e.detail.directory, e.detail.cardNumber], ['unreadable', 'TP03130708163649']);
});

test('the writer puts a torn directory back from the backup\'s CDF (its journal), writing only what differs', async () => {
  const { v, before, after } = await growingCommit();
  const writer = new VirtualCardWriter(await reopen(v.scenario.card));
  const extras = await writer.backupExtras();
  // Issue 13: the backup also keeps the raw bytes of every area the CDF maps (holder slots whole, CA certificates).
  assert.equal(Object.keys(extras)[0], CDF_EXTRA);
  assert.deepEqual(Object.keys(extras).slice(1).map((k) => k.split('-')[0] === 'area' ? k.split('-').slice(0, 2).join('-') : 'ca').sort(), ['area-KEYX', 'area-SIGN', 'ca', 'ca']);
  assert.deepEqual(Buffer.from(extras[CDF_EXTRA]!), Buffer.from(before), 'the whole EF, trailer included');
  const [trailer, first] = commitWrites(before, after);
  v.scenario.card.patchFile(CDF, trailer!.offset, trailer!.bytes);
  v.scenario.card.patchFile(CDF, first!.offset, first!.bytes.subarray(0, first!.bytes.length >> 1));
  const torn = await reopen(v.scenario.card);
  await assert.rejects(torn.read(), (e) => isMoicaError(e, 'card-inconsistent'));
  const fixer = new VirtualCardWriter(torn);
  await fixer.verifyPin(new TextEncoder().encode(v.scenario.pin));
  const offsets: number[] = [];
  v.scenario.card.onExchange = (c) => { if (c[1] === 0xd6) offsets.push((c[2]! << 8) | c[3]!); };
  await fixer.restoreExtras(extras);
  v.scenario.card.onExchange = undefined;
  // Half a records write and the trailer, too far apart for one: shrinking back, the records first.
  assert.deepEqual(offsets, [0x28f, before.length - 2]);
  assert.deepEqual(Buffer.from(v.scenario.card.readFile(CDF)), Buffer.from(before));
  assert.equal((await torn.read()).consistent, true);
});

test('commitWrites: nothing, one write within C8, and a shrinking directory writes its used length last', () => {
  const size = 0x400;
  const file = (used: number, fill: number) => {
    const f = new Uint8Array(size);
    f.fill(fill, 0, used);
    f[size - 2] = used & 0xff;
    f[size - 1] = used >> 8;
    return f;
  };
  assert.deepEqual(commitWrites(file(0x300, 1), file(0x300, 1)), []);
  const small = file(0x300, 1);
  small[0x100] = 2;
  assert.deepEqual(commitWrites(file(0x300, 1), small).map((w) => [w.offset, w.bytes.length]), [[0x100, 1]]);
  // Shrinks by 0x180 bytes (and the records change from 0x200): records first, freed bytes zeroed, used length last.
  const shrunk = commitWrites(file(0x380, 1), file(0x200, 3));
  assert.deepEqual(shrunk.map((w) => w.offset), [0, 200, 400, 600, 800, size - 2]);
  assert.ok(shrunk.slice(-2)[0]!.bytes.every((b) => b === 0), 'the freed tail is zeroed');
  // A shrink whose records end near the trailer: the used length rides in their last write, after them.
  const near = commitWrites(file(0x3f0, 1), file(0x3e0, 1));
  assert.deepEqual(near.map((w) => [w.offset, w.offset + w.bytes.length]), [[0x3e0, size - 1]], 'its high byte is unchanged');
});

test('readBackWindows: written stretches in the fewest C8-byte reads', () => {
  assert.deepEqual(readBackWindows([[0x3fe, 0x400], [0x283, 0x28d], [0x28f, 0x2ca], [0x359, 0x364]]), [[0x283, 0x2ca], [0x359, 0x400]]);
  assert.deepEqual(readBackWindows([[0, 450]]), [[0, 200], [200, 400], [400, 450]]);
});

test('splitRecords: bytes after the records that are neither padding nor the trailer make the directory invalid', () => {
  assert.equal(splitRecords(bytes('30 01 00 30 02 00 00 07 00')).length, 2, 'a full EF: the used length right after the records');
  assert.equal(splitRecords(bytes('30 01 00 00 00 00')).length, 1);
  assert.throws(() => splitRecords(bytes('30 01 00 30 05 00')), (e) => isMoicaError(e, 'card-answer-invalid'), 'a record cut short');
});

test('a slot with unknown dates prints a dash and null, never a made-up date', async () => {
  const { cardJson, cardText } = await import('../../source/commands/card-report.js');
  const { scenario } = await virtualCard('rewrite');
  scenario.card.patchFile('5030/08F2', KEYX_AREA, scenario.issued[1].der.subarray(0, 100));
  const info = await (await reopen(scenario.card)).read();
  const json = cardJson(info) as { certificates: Array<{ notBefore: unknown; notAfter: unknown; consistent: boolean }> };
  assert.deepEqual(json.certificates[1], { ...json.certificates[1], notBefore: null, notAfter: null, consistent: false });
  assert.match(cardText('Virtual PCD 00 00', info, 'en').split('\n')[4]!, /valid — – —  INCONSISTENT/);
});
