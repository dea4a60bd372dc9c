/**
 * The renewal (展期) window of a certificate, from the issuer's FAQ: from 60 days before notAfter to 3 years
 * after it, one renewal only, and 8 years from the first issue at most.
 *
 * Rule for the first issue: the registry only tells us the current certificate's dates, so the first issue
 * is the current certificate's notBefore. For a renewed certificate (renewedFrom set) that is an estimate
 * (the original started earlier), but a renewed certificate gets no second renewal anyway, so the estimate
 * only shapes what is shown, never whether renewal is offered.
 */
import type { RegistryCertificate } from '../registry/types.js';

export const DAY_MS = 86_400_000;
export const OPENS_BEFORE_DAYS = 60;
export const CLOSES_AFTER_YEARS = 3;
export const MAX_YEARS = 8;

export type RenewalBlock = 'renewed-once' | 'eight-years' | 'closed' | 'not-yet';

export interface RenewalWindow {
  opens: Date;
  closes: Date;
  open: boolean;
  /** Whole days from now to `closes` while open; null otherwise. */
  daysLeft: number | null;
  /** Why renewal is not possible now; undefined when open. */
  blocked?: RenewalBlock;
  firstIssued: Date;
  /** First issue + 8 years: the certificate line ends there whatever happens. */
  capDate: Date;
}

/** Calendar years in UTC; 29 February lands on 28 February (closing a day early rather than late). */
export function addYears(date: Date, years: number): Date {
  const d = new Date(date.getTime());
  const month = d.getUTCMonth();
  d.setUTCFullYear(d.getUTCFullYear() + years);
  if (d.getUTCMonth() !== month) d.setUTCDate(0);
  return d;
}

export function renewalWindow(cert: Pick<RegistryCertificate, 'notBefore' | 'notAfter' | 'renewedFrom'>, now: Date): RenewalWindow {
  const firstIssued = cert.notBefore;
  const capDate = addYears(firstIssued, MAX_YEARS);
  const opens = new Date(cert.notAfter.getTime() - OPENS_BEFORE_DAYS * DAY_MS);
  const threeYears = addYears(cert.notAfter, CLOSES_AFTER_YEARS);
  // A standard certificate (5 years) closes at both limits at once: call that the 3-year limit.
  const capped = capDate.getTime() < threeYears.getTime();
  const closes = capped ? capDate : threeYears;
  const t = now.getTime();
  let blocked: RenewalBlock | undefined;
  if (cert.renewedFrom !== null) blocked = 'renewed-once';
  else if (t > closes.getTime() || closes.getTime() < opens.getTime()) blocked = capped ? 'eight-years' : 'closed';
  else if (t < opens.getTime()) blocked = 'not-yet';
  const open = blocked === undefined;
  const daysLeft = open ? Math.floor((closes.getTime() - t) / DAY_MS) : null;
  return { opens, closes, open, daysLeft, ...(blocked ? { blocked } : {}), firstIssued, capDate };
}

/** YYYY-MM-DD as a Taiwanese reader sees it: source/text/dates.ts, the one place dates are formatted. */
export { taipeiDate as taiwanDate } from '../text/dates.js';
