/**
 * Errors are values with a code. Each code's exit code is in source/exit.ts (ERROR_EXIT, beside the
 * verdicts' exit codes: the one exit table of cli.md), and the UI maps codes to messages: nobody matches
 * on message strings.
 *
 * Messages must never contain a PIN or PIN bytes.
 */
import { exitCodeOf } from './exit.js';

export type ErrorCode =
  | 'usage' | 'no-tty'
  | 'pcsc-unavailable' | 'pcsc-binding-missing' | 'no-reader' | 'reader-ambiguous' | 'no-card'
  | 'registry-unreachable' | 'registry-timeout' | 'registry-http' | 'registry-invalid' | 'card-not-found'
  | 'not-moica' | 'card-inconsistent' | 'card-removed' | 'card-error' | 'card-timeout' | 'card-answer-invalid'
  | 'rewrite-not-allowed' | 'rewrite-refused' | 'rewrite-failed' | 'backup-failed'
  | 'pkcs11-unavailable' | 'pkcs11-error'
  | 'pin-malformed' | 'pin-wrong' | 'pin-blocked'
  // status services (OCSP / CRL / issuer trust, no-registry flow)
  | 'status-unavailable'
  | 'crl-unreachable' | 'crl-timeout' | 'crl-invalid' | 'crl-bad-signature'
  | 'certificate-file-unreadable' | 'certificate-file-invalid' | 'certificate-download-failed'
  // card access and write safety (transactions, locks, PIN gating)
  | 'pin-last-try-unconfirmed' | 'card-busy'
  // command line, signals, reports
  | 'report-unwritable'
  // TUI
  // real cards, readers, the issuer's components (doctor, PKCS#11 modules)
  | 'pkcs11-cannot-write'
  | 'cancelled' | 'internal';

export class MoicaError extends Error {
  override readonly name = 'MoicaError';
  constructor(
    readonly code: ErrorCode,
    message: string,
    /** Extra, JSON-safe facts (e.g. triesLeft, sw, atr). Never a PIN. */
    readonly detail: Record<string, unknown> = {},
    options?: { cause?: unknown },
  ) {
    super(message, options);
  }
  get exitCode(): number {
    return exitCodeOf(this.code);
  }
  toJSON(): { code: ErrorCode; message: string } & Record<string, unknown> {
    return { code: this.code, message: this.message, ...this.detail };
  }
}

export function isMoicaError(e: unknown, code?: ErrorCode): e is MoicaError {
  return e instanceof MoicaError && (code === undefined || e.code === code);
}

/** Anything thrown becomes a MoicaError; unknown errors become `internal` with their message only. */
export function toMoicaError(e: unknown): MoicaError {
  if (e instanceof MoicaError) return e;
  const message = e instanceof Error ? e.message : String(e);
  return new MoicaError('internal', message, {}, { cause: e });
}
