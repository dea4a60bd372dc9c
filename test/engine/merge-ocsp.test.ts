import { test } from 'node:test';
import assert from 'node:assert/strict';
import { mergeOcsp } from '../../source/engine/check.js';
import type { OcspAnswer, OcspReport } from '../../source/registry/types.js';

const good = (serialNumber: string): OcspAnswer => ({ serialNumber, status: 'good', reason: null });

test('the wave and the follow-up as one report, restricted to the serials the registry lists', () => {
  const wave: OcspReport = { checked: true, certificates: [good('3B7161C40F46488916A'), good('69D8DCA6BECC064523')] };
  const followUp: OcspReport = { checked: true, certificates: [good('5E2A9C0B13D47F6688A1')] };
  const merged = mergeOcsp([wave, followUp], ['5e2a9c0b13d47f6688a1', '069D8DCA6BECC064523']);
  assert.equal(merged.checked, true);
  assert.deepEqual(merged.certificates.map((a) => a.serialNumber), ['5E2A9C0B13D47F6688A1', '69D8DCA6BECC064523'],
    'in the registry\'s order, serials compared as numbers, the card\'s old serial left out');
});

test('a listed serial without an answer: not checked, with the failing report\'s reason', () => {
  const wave: OcspReport = { checked: true, certificates: [good('A1')] };
  const followUp: OcspReport = { checked: false, certificates: [], notCheckedReason: 'timeout', detail: 'no answer in 10000 ms' };
  const merged = mergeOcsp([wave, followUp], ['A1', 'B2']);
  assert.equal(merged.checked, false);
  assert.equal(merged.notCheckedReason, 'timeout');
  assert.equal(merged.detail, 'no answer in 10000 ms');
  assert.deepEqual(merged.certificates.map((a) => a.serialNumber), ['A1'], 'verified answers are kept');
});

test('a forged-looking answer anywhere keeps the warning, even when every serial has an answer', () => {
  const wave: OcspReport = { checked: true, certificates: [good('A1')] };
  const followUp: OcspReport = { checked: false, certificates: [good('B2')], notCheckedReason: 'bad-signature', detail: 'signature does not verify', warning: true };
  const merged = mergeOcsp([wave, followUp], ['A1', 'B2']);
  assert.equal(merged.checked, false);
  assert.equal(merged.notCheckedReason, 'bad-signature');
  assert.equal(merged.warning, true);
});
