/**
 * The program's codes, each once: every error code, by area (one block per area, so parallel work does
 * not collide), and the verdicts' codes (cli.md: A valid, nothing to do; B-1 a rewrite needed; C revoked,
 * suspended or expired; B-2, the end of a rewrite, is a screen, not a verdict a check gives). A module of
 * its own, importing nothing, so that the exit table (exit.ts), the error class (errors.ts) and check/
 * all take them without importing each other.
 */
export type VerdictCode = 'A' | 'B-1' | 'C';

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
