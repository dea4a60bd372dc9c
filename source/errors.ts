/**
 * Errors are values with a code. The CLI maps codes to exit codes through ERROR_EXIT (cli.md), and the
 * UI maps them to messages: nobody matches on message strings.
 *
 * Messages must never contain a PIN or PIN bytes.
 */
export const ERROR_EXIT: Record<ErrorCode, number> = {
  // usage
  'usage': 2,
  'no-tty': 2,
  // PC/SC: exit 3
  'pcsc-unavailable': 3, // pcscd not running / no pcsc-lite
  'pcsc-binding-missing': 3, // the native `pcsclite` module could not load (libpcsclite-dev missing at install)
  'no-reader': 3,
  'reader-ambiguous': 3,
  'no-card': 3,
  // registry: exit 4
  'registry-unreachable': 4,
  'registry-timeout': 4,
  'registry-http': 4,
  'registry-invalid': 4,
  'card-not-found': 4,
  // card: exit 5
  'not-moica': 5,
  'card-inconsistent': 5,
  'card-removed': 5,
  'card-error': 5, // transmit failure, unexpected status word
  'card-timeout': 5,
  'card-answer-invalid': 5, // malformed data (CDF, certificate DER, key record)
  'rewrite-not-allowed': 5, // verdict is not B-1
  'rewrite-refused': 5, // a registry certificate failed a proof (serial, issuer, key): nothing written
  'rewrite-failed': 5, // read-back differs, write error
  'backup-failed': 5,
  'pkcs11-unavailable': 5,
  'pkcs11-error': 5,
  // PIN: exit 6 (a malformed PIN is never sent to the card: a usage error, exit 2)
  'pin-malformed': 2,
  'pin-wrong': 6,
  'pin-blocked': 6,
  // New codes go in the block of their area below (one block per work stream keeps parallel changes apart).
  // status services (OCSP / CRL / issuer trust, no-registry flow)
  'status-unavailable': 4, // no registry, and no status source (OCSP, CRL) answered for an in-date certificate
  'crl-unreachable': 4, // the CRL's server cannot be reached (and no cached copy)
  'crl-timeout': 4, // the CRL download stalled or took longer than allowed
  'crl-invalid': 4, // truncated, malformed, oversized, a delta CRL, dated in the future
  'crl-bad-signature': 4, // not signed by the card's CA key (may be forged)
  'certificate-file-unreadable': 2, // rewrite --certificate FILE: the file cannot be read
  'certificate-file-invalid': 2, // not one certificate (DER/PEM), no slot from its key usage, two for one slot
  'certificate-download-failed': 4, // rewrite --serial: the issuer's download failed or sent no certificate
  // card access and write safety (transactions, locks, PIN gating)
  'pin-last-try-unconfirmed': 6, // one PIN try left and nobody confirmed spending it: nothing was sent
  'card-busy': 5, // another program holds the card (PC/SC exclusive) or another moica-check writes it (lock file)
  // command line, signals, reports
  // TUI
  // real cards, readers, the issuer's components (doctor, PKCS#11 modules)
  'pkcs11-cannot-write': 5, // the module refuses to create/destroy certificate objects: nothing lost, use the issuer's page
  // cancelled
  'cancelled': 130,
  // anything else that escaped typing: treated as a card/transmit failure class, never a stack trace
  'internal': 1,
};

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
    return ERROR_EXIT[this.code];
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
