/**
 * (card, registry, OCSP, now) → the verdict of cli.md: A valid and matching, B-1 valid but the card is stale
 * (rewrite), C revoked / suspended / expired (never rewritten, matching or not). Pure: no I/O.
 */
import type { CardInfo } from '../card/types.js';
import { MoicaError } from '../errors.js';
import type { OcspAnswer, OcspReport, RegistryCard, RegistryCertificate } from '../registry/types.js';
import { renewalWindow } from './renewal.js';
import { serialsEqual } from '../domain/serial.js';
import { moreSevere, ocspToStatus, resolveCertificate } from './status.js';
import type { Action, CertificateStatus, SlotComparison, Verdict } from './types.js';

export interface VerdictOptions {
  /**
   * The rewrite's fresh check: a card left inconsistent by an interrupted rewrite is judged as stale in
   * the inconsistent slots (so the rewrite can be re-run), instead of being refused.
   */
  inconsistentAsStale?: boolean;
}

export function decideVerdict(card: CardInfo, registry: RegistryCard, ocsp: OcspReport, now: Date, options: VerdictOptions = {}): Verdict {
  if (!card.consistent && !options.inconsistentAsStale) {
    throw new MoicaError('card-inconsistent', 'The card is inconsistent: a certificate differs from its directory entry (an interrupted rewrite).', {
      cardNumber: card.number,
    });
  }
  const issued = issuedBySlot(registry, card);
  const slots = [...issued.values()].map((cert) => compareSlot(card, cert, ocsp, now, options));
  const status = slots.map((s) => s.status).reduce(moreSevere, 'valid');
  const match = slots.every((s) => s.match);
  const disagreement = slots.some((s) => s.disagreement);
  const verdict = status !== 'valid' ? 'C' : match ? 'A' : 'B-1';
  const action = actionFor(status, match, [...issued.values()], slots, now);
  const key = verdict === 'A' ? 'verdict.A' : verdict === 'B-1' ? 'verdict.B-1' : `verdict.C.${status}.${match ? 'match' : 'mismatch'}`;
  return { verdict, status, match, basis: 'registry', statusSource: 'registry', action, slots, ocsp, disagreement, message: { key, params: {} } };
}

/** One card certificate's usable answer from the status sources (OCSP, then the CRL), if any gave one. */
export interface SourcedAnswer {
  slot: 0 | 1;
  answer: OcspAnswer | undefined;
  source: 'ocsp' | 'crl' | null;
}

/** A certificate renewal adds 3 years to a 5-year one: a certificate valid for less than 4 years is a renewal. */
const RENEWAL_MAX_MS = 4 * 365 * 86_400_000;

/**
 * The card's own certificates in the registry's shape (for the renewal windows and the guidance) when
 * there is no registry. Without a registry `renewedFrom` is unknown: a certificate shorter than 4 years
 * is taken for a renewal (MOICA issues 5 years, a renewal 3), so renewal is not offered a second time.
 */
export function cardAsIssued(card: CardInfo, statuses: Partial<Record<0 | 1, CertificateStatus>> = {}): RegistryCard {
  return {
    cardNumber: card.number,
    certificates: card.certificates.map((held) => ({
      slot: held.slot,
      usage: held.usage,
      serialNumber: held.serialNumber,
      status: statuses[held.slot] ?? 'valid',
      notBefore: held.notBefore ?? new Date(0),
      notAfter: held.notAfter ?? new Date(0),
      renewedFrom: held.notBefore && held.notAfter && held.notAfter.getTime() - held.notBefore.getTime() < RENEWAL_MAX_MS ? 'unknown' : null,
    })),
  };
}

/**
 * No registry (cli.md "Without a registry"): each card certificate's status from the first status source
 * that answered for it, then notAfter. C when any certificate is revoked, suspended or expired (no
 * comparison needed); B-1 (basis superseded) when one was revoked as superseded while in date and the
 * others are good or superseded too; else A "valid, not compared". A certificate in date with no
 * status from any source, and nothing that makes the card C: `status-unavailable` (exit 4).
 */
export function decideUncompared(card: CardInfo, answers: SourcedAnswer[], ocsp: OcspReport, now: Date): Verdict {
  if (!card.consistent) {
    throw new MoicaError('card-inconsistent', 'The card is inconsistent: a certificate differs from its directory entry (an interrupted rewrite).', {
      cardNumber: card.number,
    });
  }
  if (card.certificates.length === 0) throw new MoicaError('card-answer-invalid', 'The card holds no certificate to check.');
  const slots: SlotComparison[] = [];
  const unanswered: string[] = [];
  for (const held of card.certificates) {
    const sourced = answers.find((a) => a.slot === held.slot);
    const answer = sourced?.answer;
    const pastNotAfter = held.notAfter !== null && now.getTime() > held.notAfter.getTime();
    const ocspStatus = answer === undefined ? null : ocspToStatus(answer);
    const superseded = !pastNotAfter && answer?.status === 'revoked' && answer.reason === 'superseded';
    let status: CertificateStatus | null = ocspStatus === null || ocspStatus === 'unknown' ? null : superseded ? 'valid' : ocspStatus;
    if (pastNotAfter) status = moreSevere(status ?? 'valid', 'expired');
    if (status === null) unanswered.push(held.serialNumber);
    slots.push({
      slot: held.slot, cardSerial: held.serialNumber, registrySerial: null, match: null,
      status: status ?? 'valid', registryStatus: null, ocspStatus, disagreement: false,
      source: status === null || (ocspStatus === null || ocspStatus === 'unknown') ? null : sourced!.source, superseded,
    });
  }
  const known = slots.filter((s) => !unanswered.includes(s.cardSerial!));
  const status = known.map((s) => s.status).reduce(moreSevere, 'valid');
  if (status === 'valid' && unanswered.length > 0) {
    throw new MoicaError('status-unavailable',
      `No status service answered for certificate ${unanswered.join(', ')}: the card's status is not known. ${ocsp.detail ?? ''}`.trim(),
      { serialNumbers: unanswered, ocspReason: ocsp.notCheckedReason ?? null });
  }
  const superseded = status === 'valid' && slots.some((s) => s.superseded);
  const statusSource = slots.find((s) => s.source)?.source ?? null;
  const issued = cardAsIssued(card, Object.fromEntries(slots.map((s) => [s.slot, s.status])));
  const verdict = status !== 'valid' ? 'C' : superseded ? 'B-1' : 'A';
  const action = status === 'valid' ? (superseded ? 'rewrite' : 'none') : actionFor(status, true, issued.certificates, slots, now);
  const key = verdict === 'A' ? 'verdict.A.not-compared' : verdict === 'B-1' ? 'verdict.B-1.superseded' : `verdict.C.${status}.not-compared`;
  return {
    verdict, status, match: null, basis: superseded ? 'superseded' : 'not-compared', statusSource, action, slots, ocsp,
    disagreement: false, message: { key, params: {} },
  };
}

/** The registry's certificates by slot; every slot the card holds must be listed, none twice. */
function issuedBySlot(registry: RegistryCard, card: CardInfo): Map<0 | 1, RegistryCertificate> {
  const issued = new Map<0 | 1, RegistryCertificate>();
  for (const cert of registry.certificates) {
    if (issued.has(cert.slot)) throw new MoicaError('registry-invalid', `The registry lists slot ${cert.slot} twice.`);
    issued.set(cert.slot, cert);
  }
  if (issued.size === 0) throw new MoicaError('registry-invalid', 'The registry lists no certificate for this card.');
  for (const held of card.certificates) {
    if (!issued.has(held.slot)) {
      throw new MoicaError('registry-invalid', `The registry lists no certificate for slot ${held.slot}, which the card holds.`);
    }
  }
  return new Map([...issued.entries()].sort(([a], [b]) => a - b));
}

function compareSlot(card: CardInfo, cert: RegistryCertificate, ocsp: OcspReport, now: Date, options: VerdictOptions): SlotComparison {
  const held = card.certificates.find((c) => c.slot === cert.slot);
  // The report lists verified answers only (also when some serials went unanswered): each one counts.
  const answer = ocsp.certificates.find((a) => serialsEqual(a.serialNumber, cert.serialNumber));
  const resolved = resolveCertificate(cert, answer, now);
  const stale = options.inconsistentAsStale === true && held !== undefined && !held.consistent;
  return {
    slot: cert.slot,
    cardSerial: held?.serialNumber ?? null,
    registrySerial: cert.serialNumber,
    match: held !== undefined && !stale && serialsEqual(held.serialNumber, cert.serialNumber),
    status: resolved.status,
    registryStatus: cert.status,
    ocspStatus: resolved.ocspStatus,
    disagreement: resolved.disagreement,
  };
}

function actionFor(status: CertificateStatus, match: boolean, issued: RegistryCertificate[], slots: SlotComparison[], now: Date): Action {
  switch (status) {
    case 'valid':
      return match ? 'none' : 'rewrite';
    case 'suspended':
      return 'reinstate';
    case 'revoked':
      return 'reapply';
    case 'expired': {
      const expired = issued.filter((cert) => slots.find((s) => s.slot === cert.slot)?.status === 'expired');
      // A window not open yet (the registry called it expired early) will open: still a renewal.
      const renewable = (cert: RegistryCertificate) => {
        const w = renewalWindow(cert, now);
        return w.open || w.blocked === 'not-yet';
      };
      return expired.every(renewable) ? 'renew' : 'reapply';
    }
  }
}
