/** One line of `doctor`: what was checked, how it went, what to do next, and the facts behind it. */
import type { ErrorCode } from '../errors.js';
import type { DoctorTextKey } from '../i18n/doctor.js';

export type CheckId = 'pcsc' | 'readers' | 'usb' | 'card' | 'issuer' | 'registry' | 'ocsp' | 'crl' | 'clock' | 'pkcs11' | 'hipki';
/**
 * ok ✔, warn ⚠ (works, with a caveat, or not essential), fail ✖, skip – (not applicable / not reached),
 * info ℹ (a fact about the configuration with its meaning: neither "all good" nor a failure, e.g. no registry).
 */
export type CheckStatus = 'ok' | 'warn' | 'fail' | 'skip' | 'info';

export interface TextRef {
  key: DoctorTextKey;
  params?: Record<string, string | number>;
}

export interface DoctorLine {
  check: CheckId;
  status: CheckStatus;
  summary: TextRef;
  next?: TextRef;
  /** The typed error behind a failure, when there is one. */
  code?: ErrorCode;
  /**
   * The exit code a failure of this line gives `doctor` (3 PC/SC, 4 registry, 5 card/PKCS#11); undefined for
   * lines that are not essential (OCSP and the clock: OCSP trouble never withholds a verdict).
   */
  exitClass?: number;
  /** JSON-safe facts for --json (version, readers, ATR, round-trip ms …). */
  details: Record<string, unknown>;
}

export interface DoctorReport {
  lines: DoctorLine[];
  exitCode: number;
}
