/** The registry's answer (registry-api.md) and the OCSP result, as the check layer consumes them. */

export type RegistryStatus = 'valid' | 'revoked' | 'suspended' | 'expired';

export interface RegistryCertificate {
  slot: 0 | 1;
  usage: 'signature' | 'encryption';
  /** Upper-case hex without leading zeros (normalised by the client). */
  serialNumber: string;
  status: RegistryStatus;
  notBefore: Date;
  notAfter: Date;
  renewedFrom: string | null;
}

export interface RegistryCard {
  cardNumber: string;
  certificates: RegistryCertificate[];
}

export type OcspCertStatus = 'good' | 'revoked' | 'unknown';

export interface OcspAnswer {
  serialNumber: string;
  status: OcspCertStatus;
  /** CRLReason name for revoked (e.g. 'keyCompromise', 'certificateHold'), else null. */
  reason: string | null;
  revokedAt?: Date;
  thisUpdate?: Date;
  nextUpdate?: Date;
}

export interface OcspReport {
  /** True when every listed serial got a verified answer. */
  checked: boolean;
  certificates: OcspAnswer[];
  /** Why OCSP was not checked (disabled, unreachable, bad signature, nonce mismatch, stale …). */
  notCheckedReason?: 'disabled' | 'unreachable' | 'timeout' | 'bad-signature' | 'nonce-mismatch' | 'stale' | 'invalid' | 'no-responder' | 'no-issuer';
  /** Human detail for the reason; a bad signature is a warning (possible forgery). */
  detail?: string;
  warning?: boolean;
}

/**
 * The reference server's data (the `serve-registry --data FILE` format, and what the demo builds in
 * memory). Dates are ISO strings in the file. Certificates are base64 DER, keyed by upper-case hex serial.
 */
export interface RegistryData {
  cards: Record<string, {
    certificates: Array<{
      slot: 0 | 1;
      usage: 'signature' | 'encryption';
      serialNumber: string;
      status: RegistryStatus;
      notBefore: string;
      notAfter: string;
      renewedFrom: string | null;
    }>;
  }>;
  /** serial (upper-case hex) → base64 DER of the issued certificate. */
  certificates: Record<string, string>;
}
