/**
 * What to do next about an error, in the holder's words (issue 14 item 8): every error panel says it,
 * and keeps it until the user acts. The sentence of the error itself is the shared one (i18n/check.ts);
 * this is the TUI's next step, which knows its keys (c, d, r).
 */
import type { Lang } from '../../options.js';
import type { ErrorCode } from '../../errors.js';
import { t } from '../../i18n/t.js';
import type { UiKey } from '../../i18n/ui.js';
import '../../i18n/ui.js';
import type { UiError } from '../state/types.js';
import { outside } from '../text/outside.js';

const NEXT: Partial<Record<ErrorCode, UiKey>> = {
  'registry-timeout': 'next.registry-timeout',
  'registry-unreachable': 'next.registry-unreachable',
  'registry-http': 'next.registry-later',
  'registry-invalid': 'next.registry-later',
  'card-not-found': 'next.helpline',
  'not-moica': 'next.not-moica',
  'card-removed': 'next.card-removed',
  'card-error': 'next.card-again',
  'card-timeout': 'next.card-again',
  'card-answer-invalid': 'next.card-again',
  'card-inconsistent': 'next.card-again',
  'pcsc-unavailable': 'next.pcsc',
  'no-reader': 'next.no-reader',
  'no-card': 'next.no-card',
  'pkcs11-unavailable': 'next.pkcs11',
  'pkcs11-error': 'next.helpline',
  'internal': 'next.helpline',
};

/** After a check or read failed. */
export function errorNextStep(lang: Lang, error: UiError): string | null {
  const key = NEXT[error.code];
  return key === undefined ? null : t(lang, key);
}

/**
 * After a rewrite failed: a card pulled (or any failure) once the backup is on disk can be finished with
 * r once the card is back; the backup's path is said in full. A failed backup wrote nothing.
 */
export function rewriteNextStep(lang: Lang, error: UiError): string[] {
  const backup = typeof error.detail.backup === 'string' ? outside(error.detail.backup) : null;
  const out: string[] = [];
  if (error.code === 'card-busy' && error.detail.inAnotherTab === true) out.push(t(lang, 'next.card-busy-tab'));
  else if (error.code === 'backup-failed') out.push(t(lang, 'next.backup-failed'));
  else if (error.code === 'card-removed') out.push(t(lang, backup === null ? 'next.rewrite-removed-early' : 'next.rewrite-removed'));
  else if (error.code === 'rewrite-refused') out.push(t(lang, 'next.helpline'));
  else if (error.code !== 'pin-blocked') out.push(t(lang, backup === null ? 'next.rewrite-retry' : 'next.rewrite-resume'));
  if (backup !== null) out.push(t(lang, 'rewrite.backupAt', { path: backup }));
  return out;
}

/**
 * The sentence of a failed rewrite: the shared one, except the same card being written in another tab of
 * this TUI (the engine says so: detail.inAnotherTab), which "another program" would misname.
 */
export function rewriteErrorSentence(lang: Lang, error: UiError, shared: (error: UiError) => string): string {
  if (error.code !== 'card-busy' || error.detail.inAnotherTab !== true) return shared(error);
  const holder = error.detail.holder as { reader?: unknown } | undefined;
  return t(lang, 'rewrite.busyInTab', { reader: typeof holder?.reader === 'string' ? outside(holder.reader) : '?' });
}

/** The status bar says what is wrong in words, never a code like `registry-timeout`. */
export function registryWord(lang: Lang, code: ErrorCode | undefined): string {
  switch (code) {
    case 'registry-timeout':
      return t(lang, 'bar.registry.timeout');
    case 'registry-unreachable':
      return t(lang, 'bar.registry.unreachable');
    case 'registry-http':
      return t(lang, 'bar.registry.http');
    default:
      return t(lang, 'bar.registry.invalid');
  }
}

const OCSP_REASONS = ['disabled', 'unreachable', 'timeout', 'bad-signature', 'nonce-mismatch', 'stale', 'invalid', 'no-responder', 'no-issuer', 'unverifiable'] as const;

export function ocspWord(lang: Lang, reason: string | undefined): string {
  const known = OCSP_REASONS.find((r) => r === reason);
  return t(lang, known === undefined ? 'ocsp.reason.other' : `ocsp.reason.${known}`);
}
