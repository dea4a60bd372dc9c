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

/**
 * Whose key signed a verified OCSP answer: the CA itself, a delegated responder (id-kp-OCSPSigning,
 * issued by the CA) whose certificate the answer carried, or one the user passed in (pinned).
 */
export type OcspSignerKind = 'ca' | 'delegated' | 'pinned';

export interface OcspAnswer {
  serialNumber: string;
  status: OcspCertStatus;
  /** CRLReason name for revoked (e.g. 'keyCompromise', 'certificateHold'), else null. */
  reason: string | null;
  revokedAt?: Date;
  thisUpdate?: Date;
  nextUpdate?: Date;
  /** True when the answer echoed our nonce; false for the RFC 5019 form (pre-produced, no nonce). */
  nonce?: boolean;
  signer?: OcspSignerKind;
  /** The hash of the answer's CertID (a SHA-1 request may get a SHA-256 CertID back). */
  certIdHash?: 'sha1' | 'sha256';
}

export interface OcspReport {
  /** True when every listed serial got a verified answer. */
  checked: boolean;
  certificates: OcspAnswer[];
  /** Why OCSP was not checked (disabled, unreachable, bad signature, nonce mismatch, stale …). */
  /**
   * `bad-signature`: a signature that fails (may be forged: a warning); `unverifiable`: the signer's
   * certificate cannot be found (neither the CA, nor carried in the answer, nor pinned).
   */
  notCheckedReason?: 'disabled' | 'unreachable' | 'timeout' | 'bad-signature' | 'nonce-mismatch' | 'stale' | 'invalid' | 'no-responder' | 'no-issuer' | 'unverifiable' | 'unknown';
  /** Human detail for the reason; a bad signature is a warning (possible forgery). */
  detail?: string;
  warning?: boolean;
  /** Over the verified answers: true when every one echoed our nonce, false when any came without one. */
  nonce?: boolean;
  /** Over the verified answers: who signed them (the first answer's signer when they differ). */
  signer?: OcspSignerKind;
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
