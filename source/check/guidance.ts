/**
 * What to do next, per outcome, with dates from the certificates and `now` (cli.md, the issuer's FAQ).
 * Structured items (kind, key, params, window) so the TUI and the JSON render the same advice.
 */
import type { RegistryCard, RegistryCertificate } from '../registry/types.js';
import { DAY_MS, renewalWindow, taiwanDate, type RenewalWindow } from './renewal.js';
import type { CertificateStatus, GuidanceItem, Verdict } from './types.js';

const ORDER: CertificateStatus[] = ['revoked', 'suspended', 'expired'];

/**
 * `registry`: the registry's record, or without one the card's own certificates in its shape
 * (check/verdict.ts cardAsIssued): the dates the renewal advice is computed from.
 */
export function guidanceFor(verdict: Verdict, registry: RegistryCard, now: Date): GuidanceItem[] {
  const items: GuidanceItem[] = [];
  const slotStatus = (cert: RegistryCertificate) => verdict.slots.find((s) => s.slot === cert.slot)?.status ?? cert.status;
  const compared = verdict.basis === 'registry';
  if (verdict.verdict === 'A') items.push(compared ? { kind: 'none', key: 'guidance.none', params: {} } : { kind: 'compare', key: 'guidance.compare', params: {} });
  if (verdict.verdict === 'B-1') {
    items.push(verdict.basis === 'superseded'
      ? { kind: 'new-certificates', key: 'guidance.new-certificates', params: {} }
      : { kind: 'rewrite', key: 'guidance.rewrite', params: {} });
  }
  if (verdict.verdict === 'C') {
    for (const status of ORDER) {
      const certs = registry.certificates.filter((c) => slotStatus(c) === status);
      if (certs.length === 0) continue;
      if (status === 'suspended') items.push({ kind: 'reinstate', key: 'guidance.reinstate', params: {} });
      if (status === 'revoked') items.push({ kind: 'reapply', key: 'guidance.reapply.revoked', params: {} });
      if (status === 'expired') items.push(...certs.map((c) => expiredItem(renewalWindow(c, now))));
    }
    // An expired card whose holder renewed online is the stale card in disguise (cli.md): say so, and how
    // the new certificates get onto the card. With a registry the renewal would have shown as B-1.
    if (!compared && verdict.status === 'expired') items.push({ kind: 'renewed-online', key: 'guidance.renewed-online', params: {} });
  } else {
    items.push(...registry.certificates.flatMap((c) => (slotStatus(c) === 'valid' ? expiringItem(c, now) : [])));
  }
  items.push({ kind: 'lookup', key: 'guidance.lookup', params: {} });
  items.push({ kind: 'helpline', key: 'guidance.helpline', params: {} });
  return dedupe(items);
}

function windowOf(w: RenewalWindow): NonNullable<GuidanceItem['window']> {
  return { opens: w.opens, closes: w.closes, open: w.open, daysLeft: w.daysLeft };
}

function expiredItem(w: RenewalWindow): GuidanceItem {
  const window = windowOf(w);
  const dates = { opens: taiwanDate(w.opens), closes: taiwanDate(w.closes) };
  switch (w.blocked) {
    case undefined:
      return { kind: 'renew', key: 'guidance.renew', params: { ...dates, daysLeft: w.daysLeft ?? 0 }, window };
    case 'not-yet':
      return { kind: 'renew', key: 'guidance.renew.not-yet', params: dates, window };
    case 'renewed-once':
      return { kind: 'reapply', key: 'guidance.reapply.renewed-once', params: {}, window };
    case 'eight-years':
      return {
        kind: 'reapply',
        key: 'guidance.reapply.eight-years',
        params: { firstIssued: taiwanDate(w.firstIssued), capDate: taiwanDate(w.capDate) },
        window,
      };
    case 'closed':
      return { kind: 'reapply', key: 'guidance.reapply.closed', params: { closes: dates.closes }, window };
  }
}

/** A valid certificate inside its last 60 days: renewal is open (or, renewed once already, it is not). */
function expiringItem(cert: RegistryCertificate, now: Date): GuidanceItem[] {
  const w = renewalWindow(cert, now);
  const t = now.getTime();
  if (t < w.opens.getTime() || t > cert.notAfter.getTime()) return [];
  const params = { notAfter: taiwanDate(cert.notAfter), daysToExpiry: Math.floor((cert.notAfter.getTime() - t) / DAY_MS) };
  if (w.open) {
    return [{ kind: 'renewal-open', key: 'guidance.renewal-open', params: { ...params, closes: taiwanDate(w.closes) }, window: windowOf(w) }];
  }
  return [{ kind: 'reapply', key: 'guidance.expiring.no-renewal', params, window: windowOf(w) }];
}

/** Both slots usually share dates and status: say each thing once. */
function dedupe(items: GuidanceItem[]): GuidanceItem[] {
  const seen = new Set<string>();
  return items.filter((item) => {
    const id = JSON.stringify([item.kind, item.key, item.params]);
    if (seen.has(id)) return false;
    seen.add(id);
    return true;
  });
}
