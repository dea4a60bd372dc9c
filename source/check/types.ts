import type { RegistryStatus } from '../registry/types.js';

export type CertificateStatus = RegistryStatus; // valid | revoked | suspended | expired
export type VerdictCode = 'A' | 'B-1' | 'C';
export type Action = 'none' | 'rewrite' | 'renew' | 'reinstate' | 'reapply';
