/**
 * One status per certificate, and one for the card, from what the registry says, what OCSP says and
 * the clock (registry-api.md "Status from OCSP"). Pure: no I/O, `now` is given.
 *
 * - OCSP good → valid; revoked with certificateHold → suspended; any other revoked → revoked.
 * - Past notAfter a certificate is at least expired, whatever OCSP says.
 * - The more severe wins: revoked > suspended > expired > valid.
 * - Disagreement: OCSP's word differs from the registry's. OCSP `unknown` for a certificate the registry
 *   lists (and that is not past notAfter) counts as one: the CA does not know what the registry claims
 *   it issued. A registry `expired` against OCSP good/unknown past notAfter is not one: responders keep
 *   answering so for expired certificates.
 */
import { serialsEqual } from '../domain/serial.js';
import type { OcspAnswer, OcspReport, RegistryCard, RegistryStatus } from '../registry/types.js';

export const SEVERITY: Record<RegistryStatus, number> = { valid: 0, expired: 1, suspended: 2, revoked: 3 };

export function moreSevere(a: RegistryStatus, b: RegistryStatus): RegistryStatus {
  return SEVERITY[b] > SEVERITY[a] ? b : a;
}

export function ocspToStatus(answer: OcspAnswer): RegistryStatus | 'unknown' {
  if (answer.status === 'good') return 'valid';
  if (answer.status === 'unknown') return 'unknown';
  return answer.reason === 'certificateHold' ? 'suspended' : 'revoked';
}

export interface ResolvedCertificate {
  slot: 0 | 1;
  serialNumber: string;
  registryStatus: RegistryStatus;
  /** OCSP's word as a status; null when OCSP gave no verified answer for it. */
  ocspStatus: RegistryStatus | 'unknown' | null;
  /** Past notAfter at `now`. */
  pastNotAfter: boolean;
  status: RegistryStatus;
  disagreement: boolean;
}

export interface ResolvedStatus {
  certificates: ResolvedCertificate[];
  /** The most severe of the certificates; null when the registry lists none. */
  status: RegistryStatus | null;
  disagreement: boolean;
  /** Carried from the OCSP report: whether every certificate was checked, and if not why. */
  ocsp: Pick<OcspReport, 'checked' | 'notCheckedReason' | 'detail' | 'warning'>;
}

export function resolveCertificate(
  cert: RegistryCard['certificates'][number],
  answer: OcspAnswer | undefined,
  now: Date,
): ResolvedCertificate {
  const ocspStatus = answer === undefined ? null : ocspToStatus(answer);
  const pastNotAfter = now.getTime() > cert.notAfter.getTime();
  let status = cert.status;
  if (ocspStatus !== null && ocspStatus !== 'unknown') status = moreSevere(status, ocspStatus);
  if (pastNotAfter) status = moreSevere(status, 'expired');
  const expectedAfterExpiry = pastNotAfter && cert.status === 'expired' && (ocspStatus === 'valid' || ocspStatus === 'unknown');
  const disagreement = ocspStatus !== null && ocspStatus !== cert.status && !expectedAfterExpiry;
  return { slot: cert.slot, serialNumber: cert.serialNumber, registryStatus: cert.status, ocspStatus, pastNotAfter, status, disagreement };
}

export function resolveStatus(registry: RegistryCard, ocsp: OcspReport, now: Date): ResolvedStatus {
  const certificates = registry.certificates.map((cert) =>
    resolveCertificate(cert, ocsp.certificates.find((a) => serialsEqual(a.serialNumber, cert.serialNumber)), now));
  const status = certificates.reduce<RegistryStatus | null>((worst, c) => (worst === null ? c.status : moreSevere(worst, c.status)), null);
  const { checked, notCheckedReason, detail, warning } = ocsp;
  return {
    certificates,
    status,
    disagreement: certificates.some((c) => c.disagreement),
    ocsp: { checked, ...(notCheckedReason ? { notCheckedReason } : {}), ...(detail ? { detail } : {}), ...(warning ? { warning } : {}) },
  };
}
