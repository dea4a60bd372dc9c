/**
 * One certificate's status from the registry, OCSP and its notAfter (registry-api.md): the more severe
 * wins (revoked > suspended > expired > valid), past notAfter is expired whatever OCSP says.
 */
import type { OcspAnswer, RegistryCertificate } from '../registry/types.js';
import type { CertificateStatus, SlotComparison } from './types.js';

const SEVERITY: Record<CertificateStatus, number> = { valid: 0, expired: 1, suspended: 2, revoked: 3 };

export function moreSevere(a: CertificateStatus, b: CertificateStatus): CertificateStatus {
  return SEVERITY[a] >= SEVERITY[b] ? a : b;
}

export function ocspToStatus(answer: OcspAnswer): CertificateStatus | 'unknown' {
  if (answer.status === 'good') return 'valid';
  if (answer.status === 'unknown') return 'unknown';
  return answer.reason === 'certificateHold' ? 'suspended' : 'revoked';
}

export interface ResolvedStatus {
  status: CertificateStatus;
  ocspStatus: SlotComparison['ocspStatus'];
  disagreement: boolean;
}

export function resolveStatus(cert: Pick<RegistryCertificate, 'status' | 'notAfter'>, answer: OcspAnswer | null, now: Date): ResolvedStatus {
  const ocspStatus = answer ? ocspToStatus(answer) : null;
  let status = cert.status;
  if (now.getTime() > cert.notAfter.getTime()) status = moreSevere(status, 'expired');
  if (ocspStatus !== null && ocspStatus !== 'unknown') status = moreSevere(status, ocspStatus);
  // Past notAfter OCSP may keep saying good (or forget the serial): that is no disagreement. An "unknown"
  // for a certificate the registry says it issued is one, though it changes no status.
  const expiredByDate = now.getTime() > cert.notAfter.getTime();
  const disagreement =
    ocspStatus !== null &&
    ocspStatus !== cert.status &&
    !(expiredByDate && (ocspStatus === 'valid' || ocspStatus === 'unknown'));
  return { status, ocspStatus, disagreement };
}
