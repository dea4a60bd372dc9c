import type { RegistryStatus, OcspReport } from '../registry/types.js';

export type CertificateStatus = RegistryStatus; // valid | revoked | suspended | expired
export type VerdictCode = 'A' | 'B-1' | 'C';
export type Action = 'none' | 'rewrite' | 'renew' | 'reinstate' | 'reapply';

/** One slot compared: what the card holds against what the registry says was issued. */
export interface SlotComparison {
  slot: 0 | 1;
  cardSerial: string | null;
  registrySerial: string | null;
  match: boolean;
  /** Resolved status of the registry's certificate (registry + OCSP + notAfter, the more severe wins). */
  status: CertificateStatus;
  registryStatus: CertificateStatus;
  /** OCSP's word mapped to a status, or null when OCSP was not checked for it. */
  ocspStatus: CertificateStatus | 'unknown' | null;
  disagreement: boolean;
}

export interface Verdict {
  verdict: VerdictCode;
  /** Overall status: the most severe of the slots. */
  status: CertificateStatus;
  match: boolean;
  action: Action;
  slots: SlotComparison[];
  ocsp: OcspReport;
  /** True when OCSP and the registry disagree on any certificate. */
  disagreement: boolean;
  /** Message key (check/messages.ts) and its params: the verdict's sentence. */
  message: { key: string; params: Record<string, string | number> };
}

/** One piece of advice, rendered by the TUI and printed in JSON. */
export interface GuidanceItem {
  kind: 'reinstate' | 'renew' | 'reapply' | 'lookup' | 'helpline' | 'renewal-open' | 'rewrite' | 'none';
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
