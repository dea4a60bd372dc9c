/**
 * Issue 13 item 4: every proof before the first write, sizes included, both slots together: a rewrite
 * that cannot complete writes nothing. And the backup covers every byte a write could touch, the CA areas
 * included. Over the in-process virtual card (the real APDU path), write APDUs counted in the trace.
 */
import { test } from 'node:test';
import assert from 'node:assert/strict';
import { AREA, CERTIFICATE_AREA, FID, hex4 } from '../../source/virtual/layout.js';
import { runRewrite } from '../../source/check/rewrite.js';
import { isMoicaError } from '../../source/errors.js';
import { MemoryBackups } from '../check/fakes.js';
import { staleScenario } from '../e2e/harness.js';
import type { BuiltScenario } from '../../source/virtual/scenario.js';
import { virtualRewriteParts } from './virtual-rewrite.js';

const CERTS = `${hex4(FID.PKI_DF)}/${hex4(FID.CERTIFICATES)}`;

/** A slot-1 certificate valid in every other way (issuer, serial, key), `size` bytes long. */
async function oversized(scenario: BuiltScenario, size: number): Promise<Uint8Array> {
  const issued = scenario.issued[1];
  let nameLength = size - 900;
  for (let i = 0; i < 8; i++) {
    const cert = await scenario.pki.issueHolder({
      serialNumber: issued.serialNumber, holderName: 'A'.repeat(nameLength), usage: 'encryption',
      notBefore: issued.notBefore, notAfter: issued.notAfter, key: scenario.holderKeys.KEYX,
    });
    if (cert.der.length === size) return cert.der;
    nameLength += size - cert.der.length;
  }
  throw new Error(`could not make a ${size}-byte certificate`);
}

async function setup(scenario: BuiltScenario) {
  const { entries, registry, readCard, writer } = await virtualRewriteParts(scenario);
  let pinsAsked = 0;
  const backups = new MemoryBackups([]);
  const deps = {
    registry, writer, readCard, backupStore: backups, pinTries: () => writer.pinTries(),
    askPin: async () => { pinsAsked++; return new TextEncoder().encode(scenario.pin); },
  };
  const writes = () => entries.filter((e) => e.command[1] === 0xd6).length;
  const verifies = () => entries.filter((e) => e.command[1] === 0x20 && e.command.length > 5).length;
  return { deps, registry, backups, writes, verifies, pinsAsked: () => pinsAsked, now: () => scenario.now };
}

test('a 2,893-byte slot-1 certificate (valid in every other way): rewrite-refused before the PIN, zero write APDUs, the card as it was', async () => {
  const scenario = await staleScenario();
  const big = await oversized(scenario, 2893);
  assert.equal(big.length, 2893);
  scenario.registryData.certificates[scenario.issued[1].serialNumber] = Buffer.from(big).toString('base64');
  const before = JSON.stringify(scenario.card.toState().binaries);
  const s = await setup(scenario);
  let caught: unknown;
  await runRewrite(s.deps, { now: s.now }).catch((e) => (caught = e));
  assert.ok(isMoicaError(caught, 'rewrite-refused'), String(caught));
  assert.equal(caught.detail.slot, 1);
  assert.equal(caught.detail.bytes, 2893);
  assert.equal(s.writes(), 0, 'zero UPDATE BINARY in the trace');
  assert.equal(s.verifies(), 0, 'no PIN sent');
  assert.equal(s.pinsAsked(), 0, 'no PIN asked');
  assert.equal(s.backups.saved.length, 0);
  assert.equal(JSON.stringify(scenario.card.toState().binaries), before, 'slot 0 untouched too');
  assert.deepEqual(s.registry.records.map((r) => r.result), ['failed']);
});

test('the backup holds the CDF and the raw bytes of every mapped area: both holder slots whole and the root and issuing CA', async () => {
  const scenario = await staleScenario();
  const area = (n: number) => Buffer.from(scenario.card.readFile(CERTS)).subarray(n * CERTIFICATE_AREA, (n + 1) * CERTIFICATE_AREA);
  const expected = { root: area(AREA.ROOT), ca: area(AREA.ISSUING), sign: area(AREA.SIGN), keyx: area(AREA.KEYX) };
  const s = await setup(scenario);
  const result = await runRewrite(s.deps, { now: s.now });
  assert.equal(result.verdict, 'B-2');
  const [backup] = s.backups.saved;
  const extras = Object.fromEntries(Object.entries(backup!.extras).map(([k, v]) => [k, Buffer.from(v, 'base64')]));
  const named = (prefix: string) => Object.entries(extras).filter(([k]) => k.startsWith(prefix)).map(([, v]) => v);
  assert.deepEqual(named('area-SIGN-'), [expected.sign], 'slot 0 area whole, as it was before the write');
  assert.deepEqual(named('area-KEYX-'), [expected.keyx]);
  const cas = named('ca-');
  assert.equal(cas.length, 2);
  assert.ok(expected.root.subarray(0, cas[0]!.length).equals(cas[0]!), 'the root CA bytes');
  assert.ok(expected.ca.subarray(0, cas[1]!.length).equals(cas[1]!), 'the issuing CA bytes');
  assert.ok(cas.every((c) => c[0] === 0x30 && c.length > 300), 'whole certificates, as long as the CDF says');
});
