/**
 * (card, registry, OCSP, now) → the verdict of cli.md: A valid and matching, B-1 valid but the card is stale
 * (rewrite), C revoked / suspended / expired (never rewritten, matching or not). Pure: no I/O.
 */
import type { CardInfo } from '../card/types.js';
import { MoicaError } from '../errors.js';
import type { OcspReport, RegistryCard, RegistryCertificate } from '../registry/types.js';
import { renewalWindow } from './renewal.js';
import { serialsEqual } from '../registry/serial.js';
import { moreSevere, resolveCertificate } from '../registry/status.js';
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
  return { verdict, status, match, action, slots, ocsp, disagreement, message: { key, params: {} } };
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
