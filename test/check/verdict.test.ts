import { test } from 'node:test';
import assert from 'node:assert/strict';
import { decideVerdict } from '../../source/check/verdict.js';
import { isMoicaError } from '../../source/errors.js';
import type { OcspReport, RegistryCard } from '../../source/registry/types.js';
import type { CardInfo } from '../../source/card/types.js';
import { card, goodOcsp, holder, NOT_AFTER, NOW, ocsp, OLD0, OLD1, registry, SERIAL0, SERIAL1 } from './fixtures.js';

const YEAR_AFTER = new Date('2030-03-01T00:00:00Z');
const FOUR_YEARS_AFTER = new Date('2033-03-02T00:00:00Z');

interface Case {
  name: string;
  card?: CardInfo;
  registry?: RegistryCard;
  ocsp?: OcspReport;
  now?: Date;
  expect: { verdict: string; status: string; match: boolean; action: string; key: string; disagreement?: boolean };
}

const cases: Case[] = [
  { name: 'A: valid and matching', expect: { verdict: 'A', status: 'valid', match: true, action: 'none', key: 'verdict.A' } },
  {
    name: 'B-1: valid, card holds the old certificates',
    card: card([OLD0, OLD1]),
    expect: { verdict: 'B-1', status: 'valid', match: false, action: 'rewrite', key: 'verdict.B-1' },
  },
  {
    name: 'B-1: only one slot stale',
    card: card([SERIAL0, OLD1]),
    expect: { verdict: 'B-1', status: 'valid', match: false, action: 'rewrite', key: 'verdict.B-1' },
  },
  {
    name: 'C revoked, matching',
    registry: registry([{ status: 'revoked' }, { status: 'revoked' }]),
    ocsp: ocsp([{ status: 'revoked', reason: 'keyCompromise' }, { status: 'revoked', reason: 'keyCompromise' }]),
    expect: { verdict: 'C', status: 'revoked', match: true, action: 'reapply', key: 'verdict.C.revoked.match' },
  },
  {
    name: 'C revoked, not matching (never rewritten)',
    card: card([OLD0, OLD1]),
    registry: registry([{ status: 'revoked' }, { status: 'revoked' }]),
    ocsp: ocsp(null),
    expect: { verdict: 'C', status: 'revoked', match: false, action: 'reapply', key: 'verdict.C.revoked.mismatch' },
  },
  {
    name: 'C suspended, matching',
    registry: registry([{ status: 'suspended' }, { status: 'suspended' }]),
    ocsp: ocsp([{ status: 'revoked', reason: 'certificateHold' }, { status: 'revoked', reason: 'certificateHold' }]),
    expect: { verdict: 'C', status: 'suspended', match: true, action: 'reinstate', key: 'verdict.C.suspended.match', disagreement: false },
  },
  {
    name: 'C suspended, not matching',
    card: card([OLD0, SERIAL1]),
    registry: registry([{ status: 'suspended' }, { status: 'suspended' }]),
    ocsp: ocsp(null),
    expect: { verdict: 'C', status: 'suspended', match: false, action: 'reinstate', key: 'verdict.C.suspended.mismatch' },
  },
  {
    name: 'C expired, matching, inside the renewal window',
    registry: registry([{ status: 'expired' }, { status: 'expired' }]),
    now: YEAR_AFTER,
    expect: { verdict: 'C', status: 'expired', match: true, action: 'renew', key: 'verdict.C.expired.match', disagreement: false },
  },
  {
    name: 'C expired, not matching',
    card: card([OLD0, OLD1]),
    registry: registry([{ status: 'expired' }, { status: 'expired' }]),
    ocsp: ocsp(null),
    now: YEAR_AFTER,
    expect: { verdict: 'C', status: 'expired', match: false, action: 'renew', key: 'verdict.C.expired.mismatch' },
  },
  {
    name: 'C expired past the renewal window: re-apply',
    registry: registry([{ status: 'expired' }, { status: 'expired' }]),
    ocsp: ocsp(null),
    now: FOUR_YEARS_AFTER,
    expect: { verdict: 'C', status: 'expired', match: true, action: 'reapply', key: 'verdict.C.expired.match' },
  },
  {
    name: 'expired by notAfter although the registry still says valid; OCSP good is no disagreement',
    now: YEAR_AFTER,
    expect: { verdict: 'C', status: 'expired', match: true, action: 'renew', key: 'verdict.C.expired.match', disagreement: false },
  },
  {
    name: 'OCSP says revoked where the registry says valid: the more severe wins, flagged',
    ocsp: ocsp([{ status: 'revoked', reason: 'keyCompromise' }, {}]),
    expect: { verdict: 'C', status: 'revoked', match: true, action: 'reapply', key: 'verdict.C.revoked.match', disagreement: true },
  },
  {
    name: 'OCSP certificateHold where the registry says valid: suspended, flagged',
    card: card([OLD0, OLD1]),
    ocsp: ocsp([{ status: 'revoked', reason: 'certificateHold' }, {}]),
    expect: { verdict: 'C', status: 'suspended', match: false, action: 'reinstate', key: 'verdict.C.suspended.mismatch', disagreement: true },
  },
  {
    name: 'OCSP good where the registry says suspended: the registry (more severe) wins, flagged',
    registry: registry([{ status: 'suspended' }, {}]),
    expect: { verdict: 'C', status: 'suspended', match: true, action: 'reinstate', key: 'verdict.C.suspended.match', disagreement: true },
  },
  {
    name: 'OCSP unknown: flagged, status unchanged',
    ocsp: ocsp([{ status: 'unknown' }, {}]),
    expect: { verdict: 'A', status: 'valid', match: true, action: 'none', key: 'verdict.A', disagreement: true },
  },
  {
    name: 'OCSP not checked at all: the registry stands',
    ocsp: ocsp(null, { notCheckedReason: 'bad-signature', warning: true }),
    expect: { verdict: 'A', status: 'valid', match: true, action: 'none', key: 'verdict.A', disagreement: false },
  },
  {
    name: 'OCSP partly checked: the verified answer counts, the unanswered serial keeps the registry\'s word',
    ocsp: ocsp(null, { certificates: [{ serialNumber: SERIAL1, status: 'revoked', reason: 'certificateHold' }], notCheckedReason: 'timeout' }),
    expect: { verdict: 'C', status: 'suspended', match: true, action: 'reinstate', key: 'verdict.C.suspended.match', disagreement: true },
  },
  {
    name: 'serials compared as numbers: leading zeros and case do not matter',
    card: card(['003b7161c40f46488916a', '0069d8dcA6BECC064523']),
    expect: { verdict: 'A', status: 'valid', match: true, action: 'none', key: 'verdict.A' },
  },
  {
    name: 'the most severe slot decides: revoked over suspended',
    registry: registry([{ status: 'suspended' }, { status: 'revoked' }]),
    ocsp: ocsp(null),
    expect: { verdict: 'C', status: 'revoked', match: true, action: 'reapply', key: 'verdict.C.revoked.match' },
  },
  {
    name: 'a slot missing on the card does not match',
    card: card([SERIAL0, SERIAL1], { certificates: [holder(0, SERIAL0)] }),
    expect: { verdict: 'B-1', status: 'valid', match: false, action: 'rewrite', key: 'verdict.B-1' },
  },
];

for (const c of cases) {
  test(`verdict: ${c.name}`, () => {
    const v = decideVerdict(c.card ?? card(), c.registry ?? registry(), c.ocsp ?? goodOcsp(), c.now ?? NOW);
    assert.equal(v.verdict, c.expect.verdict);
    assert.equal(v.status, c.expect.status);
    assert.equal(v.match, c.expect.match);
    assert.equal(v.action, c.expect.action);
    assert.equal(v.message.key, c.expect.key);
    if (c.expect.disagreement !== undefined) assert.equal(v.disagreement, c.expect.disagreement);
  });
}

test('verdict: slot details carry both serials, both statuses and OCSP\'s word', () => {
  const v = decideVerdict(card([OLD0, SERIAL1]), registry(), ocsp([{ status: 'revoked', reason: 'certificateHold' }, {}]), NOW);
  assert.deepEqual(v.slots[0], {
    slot: 0, cardSerial: OLD0, registrySerial: SERIAL0, match: false,
    status: 'suspended', registryStatus: 'valid', ocspStatus: 'suspended', disagreement: true,
  });
  assert.deepEqual(v.slots[1], {
    slot: 1, cardSerial: SERIAL1, registrySerial: SERIAL1, match: true,
    status: 'valid', registryStatus: 'valid', ocspStatus: 'valid', disagreement: false,
  });
});

test('verdict: OCSP not checked is carried with its reason', () => {
  const report = ocsp(null, { notCheckedReason: 'timeout', detail: 'no answer in 10 s' });
  const v = decideVerdict(card(), registry(), report, NOW);
  assert.equal(v.ocsp.checked, false);
  assert.equal(v.ocsp.notCheckedReason, 'timeout');
  assert.ok(v.slots.every((s) => s.ocspStatus === null));
});

test('verdict: the day of notAfter is still valid, a millisecond later expired', () => {
  assert.equal(decideVerdict(card(), registry(), goodOcsp(), NOT_AFTER).status, 'valid');
  assert.equal(decideVerdict(card(), registry(), goodOcsp(), new Date(NOT_AFTER.getTime() + 1)).status, 'expired');
});

test('verdict: an inconsistent card is an error, not a verdict', () => {
  const bad = card([SERIAL0, SERIAL1], { certificates: [holder(0, SERIAL0), holder(1, SERIAL1, { consistent: false })], consistent: false });
  assert.throws(() => decideVerdict(bad, registry(), goodOcsp(), NOW), (e) => isMoicaError(e, 'card-inconsistent'));
  // The rewrite's fresh check judges the inconsistent slot stale, so the rewrite can be re-run.
  const v = decideVerdict(bad, registry(), goodOcsp(), NOW, { inconsistentAsStale: true });
  assert.equal(v.verdict, 'B-1');
  assert.deepEqual(v.slots.map((s) => s.match), [true, false]);
});

test('verdict: a registry answer that lists a slot twice, none, or not the card\'s slot is a registry error', () => {
  const twice: RegistryCard = { cardNumber: 'TP03130708163649', certificates: [registry().certificates[0]!, registry().certificates[0]!] };
  const none: RegistryCard = { cardNumber: 'TP03130708163649', certificates: [] };
  const onlyOne: RegistryCard = { cardNumber: 'TP03130708163649', certificates: [registry().certificates[0]!] };
  for (const r of [twice, none, onlyOne]) {
    assert.throws(() => decideVerdict(card(), r, goodOcsp(), NOW), (e) => isMoicaError(e, 'registry-invalid'));
  }
});
