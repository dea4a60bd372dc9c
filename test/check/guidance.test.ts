import { test } from 'node:test';
import assert from 'node:assert/strict';
import { guidanceFor } from '../../source/check/guidance.js';
import { addYears, DAY_MS, renewalWindow } from '../../source/check/renewal.js';
import { decideVerdict } from '../../source/check/verdict.js';
import type { GuidanceItem } from '../../source/check/types.js';
import type { RegistryCard, RegistryCertificate } from '../../source/registry/types.js';
import { card, goodOcsp, NOT_AFTER, NOW, ocsp, OLD0, OLD1, registry } from './fixtures.js';

const at = (base: Date, days: number) => new Date(base.getTime() + days * DAY_MS);
const THREE_YEARS_AFTER = new Date('2032-03-01T00:00:00Z');

function guide(reg: RegistryCard, now: Date, cardSerials?: [string, string]): GuidanceItem[] {
  const v = decideVerdict(card(cardSerials), reg, ocsp(null), now);
  return guidanceFor(v, reg, now);
}
const both = (over: Partial<RegistryCertificate>): RegistryCard => registry([over, over]);
const keys = (items: GuidanceItem[]) => items.map((i) => i.key);

test('guidance: A has nothing to do, plus the lookup and the helpline', () => {
  assert.deepEqual(keys(guide(registry(), NOW)), ['guidance.none', 'guidance.lookup', 'guidance.helpline']);
});

test('guidance: B-1 says rewrite', () => {
  assert.deepEqual(keys(guide(registry(), NOW, [OLD0, OLD1])), ['guidance.rewrite', 'guidance.lookup', 'guidance.helpline']);
});

test('guidance: suspended → reinstatement (復用)', () => {
  const items = guide(both({ status: 'suspended' }), NOW);
  assert.deepEqual(keys(items), ['guidance.reinstate', 'guidance.lookup', 'guidance.helpline']);
  assert.equal(items[0]!.kind, 'reinstate');
});

test('guidance: revoked → re-apply in person', () => {
  const items = guide(both({ status: 'revoked' }), NOW, [OLD0, OLD1]);
  assert.deepEqual(keys(items), ['guidance.reapply.revoked', 'guidance.lookup', 'guidance.helpline']);
  assert.equal(items[0]!.kind, 'reapply');
});

test('guidance: revoked and expired slots each get their advice, most severe first', () => {
  const reg = registry([{ status: 'revoked' }, { status: 'expired' }]);
  assert.deepEqual(keys(guide(reg, at(NOT_AFTER, 10))), ['guidance.reapply.revoked', 'guidance.renew', 'guidance.lookup', 'guidance.helpline']);
});

test('guidance: expired, one day after notAfter: renewal open, window dates and days left, said once for both slots', () => {
  const items = guide(both({ status: 'expired' }), at(NOT_AFTER, 1));
  assert.deepEqual(keys(items), ['guidance.renew', 'guidance.lookup', 'guidance.helpline']);
  const renew = items[0]!;
  assert.equal(renew.kind, 'renew');
  assert.deepEqual(renew.params, { opens: '2028-12-31', closes: '2032-03-01', daysLeft: 1095 }); // 2029-03-02 → 2032-03-01: 365 + 365 + 366 − 1
  assert.equal(renew.window?.open, true);
  assert.equal(renew.window?.opens.getTime(), NOT_AFTER.getTime() - 60 * DAY_MS);
  assert.equal(renew.window?.closes.getTime(), THREE_YEARS_AFTER.getTime());
});

test('guidance: expired, exactly 3 years after notAfter: still open, 0 days left', () => {
  const [renew] = guide(both({ status: 'expired' }), THREE_YEARS_AFTER);
  assert.equal(renew!.key, 'guidance.renew');
  assert.equal(renew!.params.daysLeft, 0);
  assert.equal(renew!.window?.open, true);
});

test('guidance: expired, one day past 3 years: the window closed → re-apply', () => {
  const items = guide(both({ status: 'expired' }), at(THREE_YEARS_AFTER, 1));
  assert.deepEqual(keys(items), ['guidance.reapply.closed', 'guidance.lookup', 'guidance.helpline']);
  assert.deepEqual(items[0]!.params, { closes: '2032-03-01' });
  assert.equal(items[0]!.window?.open, false);
  assert.equal(items[0]!.window?.daysLeft, null);
});

test('guidance: expired but renewed once already → no renewal, re-apply', () => {
  const items = guide(both({ status: 'expired', renewedFrom: '1A2B' }), at(NOT_AFTER, 1));
  assert.deepEqual(keys(items), ['guidance.reapply.renewed-once', 'guidance.lookup', 'guidance.helpline']);
  assert.equal(decideVerdict(card(), both({ status: 'expired', renewedFrom: '1A2B' }), goodOcsp(), at(NOT_AFTER, 1)).action, 'reapply');
});

test('guidance: the 8-year cap closes the window before 3 years after notAfter', () => {
  // Issued 2023-01-01, expiring 2029-03-01: 8 years end 2031-01-01, before 2032-03-01.
  const reg = both({ status: 'expired', notBefore: new Date('2023-01-01T00:00:00Z') });
  const cap = new Date('2031-01-01T00:00:00Z');
  const [open] = guide(reg, cap);
  assert.equal(open!.key, 'guidance.renew');
  assert.equal(open!.params.closes, '2031-01-01');
  assert.equal(open!.params.daysLeft, 0);
  const [capped] = guide(reg, at(cap, 1));
  assert.equal(capped!.key, 'guidance.reapply.eight-years');
  assert.deepEqual(capped!.params, { firstIssued: '2023-01-01', capDate: '2031-01-01' });
  assert.equal(decideVerdict(card(), reg, ocsp(null), at(cap, 1)).action, 'reapply');
});

test('guidance: an 8-year certificate past its end gets no renewal at all', () => {
  const reg = both({ status: 'expired', notBefore: new Date('2021-03-01T00:00:00Z') });
  const [item] = guide(reg, at(NOT_AFTER, 30));
  assert.equal(item!.key, 'guidance.reapply.eight-years');
  assert.deepEqual(item!.params, { firstIssued: '2021-03-01', capDate: '2029-03-01' });
});

test('guidance: a valid certificate exactly 60 days before notAfter: renewal is open', () => {
  const items = guide(registry(), at(NOT_AFTER, -60));
  assert.deepEqual(keys(items), ['guidance.none', 'guidance.renewal-open', 'guidance.lookup', 'guidance.helpline']);
  assert.deepEqual(items[1]!.params, { notAfter: '2029-03-01', daysToExpiry: 60, closes: '2032-03-01' });
  assert.equal(items[1]!.kind, 'renewal-open');
});

test('guidance: a valid certificate the day before the window opens: no renewal hint', () => {
  assert.deepEqual(keys(guide(registry(), at(NOT_AFTER, -61))), ['guidance.none', 'guidance.lookup', 'guidance.helpline']);
  assert.equal(renewalWindow(registry().certificates[0]!, at(NOT_AFTER, -61)).blocked, 'not-yet');
});

test('guidance: a stale card near expiry: rewrite first, and the renewal hint', () => {
  assert.deepEqual(keys(guide(registry(), at(NOT_AFTER, -10), [OLD0, OLD1])), [
    'guidance.rewrite', 'guidance.renewal-open', 'guidance.lookup', 'guidance.helpline',
  ]);
});

test('guidance: a renewed certificate near expiry is told it cannot be renewed again', () => {
  const items = guide(both({ renewedFrom: '1A2B' }), at(NOT_AFTER, -10));
  assert.deepEqual(keys(items), ['guidance.none', 'guidance.expiring.no-renewal', 'guidance.lookup', 'guidance.helpline']);
  assert.deepEqual(items[1]!.params, { notAfter: '2029-03-01', daysToExpiry: 10 });
});

test('guidance: the registry calling a certificate expired before its window opens: renewal not yet open', () => {
  const reg = both({ status: 'expired' });
  const items = guide(reg, NOW);
  assert.equal(items[0]!.key, 'guidance.renew.not-yet');
  assert.equal(items[0]!.window?.open, false);
  assert.equal(decideVerdict(card(), reg, ocsp(null), NOW).action, 'renew');
});

test('renewal: 29 February plus years lands on 28 February', () => {
  assert.equal(addYears(new Date('2028-02-29T00:00:00Z'), 3).toISOString(), '2031-02-28T00:00:00.000Z');
  assert.equal(addYears(new Date('2028-02-29T00:00:00Z'), 4).toISOString(), '2032-02-29T00:00:00.000Z');
});
