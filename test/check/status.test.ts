import { test } from 'node:test';
import assert from 'node:assert/strict';
import { moreSevere, resolveCertificate, resolveStatus } from '../../source/check/status.js';
import type { OcspAnswer, OcspReport, RegistryCertificate, RegistryStatus } from '../../source/registry/types.js';

const NOW = new Date('2026-06-01T00:00:00Z');
const cert = (status: RegistryStatus, notAfter = '2029-03-01T00:00:00Z', slot: 0 | 1 = 0, serialNumber = 'AB'): RegistryCertificate => ({
  slot, usage: slot === 0 ? 'signature' : 'encryption', serialNumber, status,
  notBefore: new Date('2024-03-01T00:00:00Z'), notAfter: new Date(notAfter), renewedFrom: null,
});
const good: OcspAnswer = { serialNumber: 'AB', status: 'good', reason: null };
const revoked = (reason: string): OcspAnswer => ({ serialNumber: 'AB', status: 'revoked', reason });
const unknown: OcspAnswer = { serialNumber: 'AB', status: 'unknown', reason: null };
const PAST = '2026-01-01T00:00:00Z';

test('severity order: revoked > suspended > expired > valid', () => {
  assert.equal(moreSevere('valid', 'expired'), 'expired');
  assert.equal(moreSevere('expired', 'suspended'), 'suspended');
  assert.equal(moreSevere('revoked', 'suspended'), 'revoked');
  assert.equal(moreSevere('valid', 'valid'), 'valid');
});

// [registry, notAfter, OCSP answer, → status, ocspStatus, disagreement]
const table: Array<[RegistryStatus, string | undefined, OcspAnswer | undefined, RegistryStatus, RegistryStatus | 'unknown' | null, boolean]> = [
  ['valid', undefined, good, 'valid', 'valid', false],
  ['valid', undefined, revoked('keyCompromise'), 'revoked', 'revoked', true],
  ['valid', undefined, revoked('certificateHold'), 'suspended', 'suspended', true],
  ['suspended', undefined, revoked('certificateHold'), 'suspended', 'suspended', false],
  ['revoked', undefined, good, 'revoked', 'valid', true],
  ['suspended', undefined, revoked('superseded'), 'revoked', 'revoked', true],
  ['valid', undefined, unknown, 'valid', 'unknown', true],
  ['valid', undefined, undefined, 'valid', null, false],
  ['revoked', undefined, undefined, 'revoked', null, false],
  // past notAfter: expired whatever OCSP says, unless OCSP says something more severe
  ['valid', PAST, good, 'expired', 'valid', false],
  ['expired', PAST, good, 'expired', 'valid', false],
  ['expired', PAST, unknown, 'expired', 'unknown', false],
  ['valid', PAST, undefined, 'expired', null, false],
  ['expired', PAST, revoked('keyCompromise'), 'revoked', 'revoked', true],
  ['expired', undefined, good, 'expired', 'valid', true],
];

for (const [registryStatus, notAfter, answer, status, ocspStatus, disagreement] of table) {
  test(`registry ${registryStatus}${notAfter ? ' past notAfter' : ''}, OCSP ${answer ? `${answer.status}${answer.reason ? `/${answer.reason}` : ''}` : 'not checked'} → ${status}${disagreement ? ', disagreement' : ''}`, () => {
    const r = resolveCertificate(cert(registryStatus, notAfter), answer, NOW);
    assert.equal(r.status, status);
    assert.equal(r.ocspStatus, ocspStatus);
    assert.equal(r.disagreement, disagreement);
    assert.equal(r.registryStatus, registryStatus);
    assert.equal(r.pastNotAfter, notAfter === PAST);
  });
}

test('the card\'s status is its worst certificate; answers matched by serial as numbers', () => {
  const report: OcspReport = { checked: true, certificates: [{ serialNumber: 'cd', status: 'revoked', reason: 'certificateHold' }, { ...good, serialNumber: '00ab' }] };
  const r = resolveStatus({ cardNumber: 'TP03130708163649', certificates: [cert('valid', undefined, 0, 'AB'), cert('valid', undefined, 1, 'CD')] }, report, NOW);
  assert.equal(r.status, 'suspended');
  assert.equal(r.disagreement, true);
  assert.deepEqual(r.certificates.map((c) => c.ocspStatus), ['valid', 'suspended']);
  assert.deepEqual(r.ocsp, { checked: true });
});

test('"OCSP not checked" is carried through, with its reason and warning', () => {
  const report: OcspReport = { checked: false, certificates: [], notCheckedReason: 'bad-signature', detail: 'forged?', warning: true };
  const r = resolveStatus({ cardNumber: 'TP03130708163649', certificates: [cert('valid')] }, report, NOW);
  assert.equal(r.status, 'valid');
  assert.equal(r.certificates[0]!.ocspStatus, null);
  assert.equal(r.disagreement, false);
  assert.deepEqual(r.ocsp, { checked: false, notCheckedReason: 'bad-signature', detail: 'forged?', warning: true });
});

test('no certificates in the registry: no status', () => {
  assert.equal(resolveStatus({ cardNumber: 'TP03130708163649', certificates: [] }, { checked: true, certificates: [] }, NOW).status, null);
});
