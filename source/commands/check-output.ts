/** The `check --json` document of cli.md, and its plain-text twin. */
import type { Lang } from '../options.js';
import type { CardInfo } from '../card/types.js';
import { cardJson, cardText } from './card-report.js';
import { t, text } from '../i18n/t.js';
import type { CheckOutcome } from '../engine/check.js';

export function registryJson(outcome: Pick<CheckOutcome, 'registry'>): Record<string, unknown> | null {
  return outcome.registry === null ? null : { certificates: outcome.registry.certificates };
}

export function ocspJson(outcome: Pick<CheckOutcome, 'ocsp' | 'verdict'>): Record<string, unknown> {
  const { ocsp } = outcome;
  return {
    checked: ocsp.checked,
    // nonce: false is the RFC 5019 form (pre-produced, accepted when fresh); signer ca | delegated | pinned.
    certificates: ocsp.certificates.map((a) => ({
      serialNumber: a.serialNumber, status: a.status, reason: a.reason,
      ...(a.nonce === undefined ? {} : { nonce: a.nonce }), ...(a.signer === undefined ? {} : { signer: a.signer }),
    })),
    disagreement: outcome.verdict.disagreement,
    ...(ocsp.checked ? {} : { reason: ocsp.notCheckedReason ?? null, detail: ocsp.detail ?? null, warning: ocsp.warning ?? false }),
  };
}

/** `crl` beside `ocsp` when a CRL was consulted (its report: URL, thisUpdate, nextUpdate, cached). */
function crlJson(outcome: Pick<CheckOutcome, 'sources'>): Record<string, unknown> {
  const crl = outcome.sources?.find((s) => s.source === 'crl');
  return crl === undefined ? {} : { crl: crl.report };
}

export function checkJson(reader: string, card: CardInfo, outcome: CheckOutcome, lang: Lang): Record<string, unknown> {
  const { verdict } = outcome;
  return {
    reader,
    card: cardJson(card),
    registry: registryJson(outcome),
    ocsp: ocspJson(outcome),
    ...crlJson(outcome),
    statusSource: verdict.statusSource,
    status: verdict.status,
    match: verdict.match,
    verdict: verdict.verdict,
    verdictBasis: verdict.basis,
    action: verdict.action,
    message: text(lang, verdict.message.key, verdict.message.params),
    guidance: outcome.guidance.map((g) => ({
      kind: g.kind,
      text: text(lang, g.key, g.params),
      ...(g.window ? { window: g.window } : {}),
    })),
  };
}

export function checkText(reader: string, card: CardInfo, outcome: CheckOutcome, lang: Lang): string {
  const { verdict, ocsp } = outcome;
  const lines = [cardText(reader, card, lang).trimEnd(), '', `[${verdict.verdict}] ${text(lang, verdict.message.key, verdict.message.params)}`];
  const reason = ocsp.notCheckedReason ?? 'invalid';
  // Without a registry no "registry's word" stands: the reason is said alone (the next source answers).
  const notChecked = outcome.registry === null && reason !== 'unknown'
    ? t(lang, 'ocsp.no-registry.not-checked', { reason })
    : t(lang, `ocsp.not-checked.${reason}`, {});
  const ocspLine = ocsp.checked ? t(lang, 'ocsp.checked', {}) : `${notChecked}${ocsp.detail ? ` (${ocsp.detail})` : ''}`;
  lines.push(ocspLine);
  if (verdict.disagreement) lines.push(t(lang, 'ocsp.disagreement', {}));
  if (outcome.registry === null) {
    lines.push(t(lang, 'check.no-registry', { source: text(lang, `check.source.${verdict.statusSource ?? 'none'}`) }));
    for (const slot of verdict.slots.filter((s) => s.superseded)) {
      lines.push(t(lang, 'check.superseded', { serialNumber: slot.cardSerial ?? '?', source: slot.source === 'crl' ? 'CRL' : 'OCSP' }));
    }
  }
  for (const g of outcome.guidance) lines.push(`- ${text(lang, g.key, g.params)}`);
  return `${lines.join('\n')}\n`;
}
