import type { RegistryStatus, OcspReport } from '../registry/types.js';

export type CertificateStatus = RegistryStatus; // valid | revoked | suspended | expired
export type { VerdictCode } from '../codes.js';
import type { VerdictCode } from '../codes.js';
export type Action = 'none' | 'rewrite' | 'renew' | 'reinstate' | 'reapply';
/** Who gave the card's statuses (cli.md "Without a registry"); an expiry read from notAfter changes nothing. */
export type StatusSourceName = 'ocsp' | 'crl' | 'registry';
/**
 * What the verdict rests on: `registry` the card compared with the registry's record; `superseded` no
 * registry, and a certificate revoked as superseded while in date (a renewal replaced it: B-1);
 * `not-compared` no registry, statuses only (A "valid, not compared", or C).
 */
export type VerdictBasis = 'registry' | 'superseded' | 'not-compared';

/** One slot compared: what the card holds against what the registry says was issued. */
export interface SlotComparison {
  slot: 0 | 1;
  cardSerial: string | null;
  registrySerial: string | null;
  /** Null when there is no registry to compare with. */
  match: boolean | null;
  /** Resolved status of the registry's certificate (registry + OCSP + notAfter, the more severe wins). */
  status: CertificateStatus;
  /** Null without a registry. */
  registryStatus: CertificateStatus | null;
  /** OCSP's word mapped to a status, or null when OCSP was not checked for it. */
  ocspStatus: CertificateStatus | 'unknown' | null;
  disagreement: boolean;
  /** Where this slot's status came from; null when only notAfter spoke (no source answered). */
  source?: StatusSourceName | null;
  /** Revoked with reason superseded while in date (a renewal replaced it). */
  superseded?: boolean;
}

export interface Verdict {
  verdict: VerdictCode;
  /** Overall status: the most severe of the slots. */
  status: CertificateStatus;
  /** Null without a registry: the card was not compared with the issuer's record. */
  match: boolean | null;
  basis: VerdictBasis;
  /** The source that answered for the card's certificates (null: only notAfter, nothing answered). */
  statusSource: StatusSourceName | null;
  action: Action;
  slots: SlotComparison[];
  ocsp: OcspReport;
  /** True when OCSP and the registry disagree on any certificate. */
  disagreement: boolean;
  /** Message key (i18n/check.ts, read by i18n/t.ts text()) and its params: the verdict's sentence. */
  message: { key: string; params: Record<string, string | number> };
}

/** One piece of advice, rendered by the TUI and printed in JSON. */
export interface GuidanceItem {
  kind: 'reinstate' | 'renew' | 'reapply' | 'lookup' | 'helpline' | 'renewal-open' | 'rewrite' | 'none'
    | 'compare' | 'new-certificates' | 'renewed-online';
  key: string;
  params: Record<string, string | number>;
  /** For `renew`: the window. */
  window?: { opens: Date; closes: Date; open: boolean; daysLeft: number | null };
}

/** Progress of a rewrite, in order. */
export type RewriteStep =
  | 'fresh-check' | 'download' | 'prove' | 'pin' | 'verify-pin' | 'key-proof' | 'backup'
  | 'write' | 'commit' | 'read-back' | 'record' | 'done';

export interface RewriteProgress {
  step: RewriteStep;
  /** For write: which slot and how far (bytes). */
  slot?: 0 | 1;
  done?: number;
  total?: number;
  /** For pin: the tries left, when the card or module says it (never a guess). */
  triesLeft?: number;
}
