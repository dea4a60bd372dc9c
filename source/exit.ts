/**
 * The one exit table (cli.md): every exit code the program ends with comes from here, whoever decides it
 * (cli.tsx, the commands, the TUI). An error's code by its ErrorCode, a verdict's by its VerdictCode;
 * exitCodeOf takes either.
 */
import type { ErrorCode, VerdictCode } from './codes.js';

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
  'report-unwritable': 2, // the helpdesk report (TUI key e) cannot be written where it was to go
  // TUI
  // real cards, readers, the issuer's components (doctor, PKCS#11 modules)
  'pkcs11-cannot-write': 5, // the module refuses to create/destroy certificate objects: nothing lost, use the issuer's page
  // cancelled
  'cancelled': 130,
  // anything else that escaped typing: treated as a card/transmit failure class, never a stack trace
  'internal': 1,
};

/** cli.md: A 0, B-1 10, C 20 (a completed rewrite, B-2, is 0). */
export const VERDICT_EXIT: Record<VerdictCode, number> = { A: 0, 'B-1': 10, C: 20 };

const isVerdict = (code: ErrorCode | VerdictCode): code is VerdictCode => Object.hasOwn(VERDICT_EXIT, code);

/** The exit code of an error code or of a verdict. */
export function exitCodeOf(code: ErrorCode | VerdictCode): number {
  return isVerdict(code) ? VERDICT_EXIT[code] : ERROR_EXIT[code];
}
