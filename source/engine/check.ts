/**
 * The check's network side as one wave: the registry GET, reading the issuing CA from the card, and OCSP
 * for the card's own serials all start together (in the common case — card matches registry — that is
 * every request the check makes). Serials only the registry lists (a stale card) get a second, small wave,
 * started the moment the registry answers.
 */
import type { OcspReport, RegistryCard } from '../registry/types.js';
import { serialsEqual } from '../domain/serial.js';
import { cardAsIssued, decideUncompared, decideVerdict, type VerdictOptions } from '../check/verdict.js';
import { guidanceFor } from '../check/guidance.js';
import type { GuidanceItem, Verdict } from '../check/types.js';
import type { CardAccess } from './card-access.js';
import { consultSources, defaultStatusSources, type ConsultResult } from './status-sources.js';
import { ocspFor, type Network } from './network.js';

// Re-exported where they were first defined: callers and tests import them from check.js too.
export { isCaAreaInconsistent, ocspFor, type CrlOptions, type Network } from './network.js';

export interface CheckOutcome {
  /** Null without a registry. */
  registry: RegistryCard | null;
  ocsp: OcspReport;
  verdict: Verdict;
  guidance: GuidanceItem[];
  /** Without a registry: every status source asked, in order, and its report (the CRL's under `crl`). */
  sources?: ConsultResult['reports'];
}


/**
 * The wave's and the follow-up's reports as one, restricted to the serials the registry lists. Checked only
 * when every listed serial has a verified answer and no report saw a forged-looking answer.
 */
export function mergeOcsp(reports: OcspReport[], serialNumbers: string[]): OcspReport {
  const answers = reports.flatMap((r) => r.certificates);
  const certificates = serialNumbers.flatMap((s) => answers.filter((a) => serialsEqual(a.serialNumber, s)).slice(0, 1));
  const warned = reports.find((r) => r.warning);
  if (certificates.length === serialNumbers.length && warned === undefined) return { checked: true, certificates };
  const why = warned ?? reports.find((r) => !r.checked);
  return {
    checked: false,
    certificates,
    notCheckedReason: why?.notCheckedReason ?? 'invalid',
    detail: why?.detail ?? 'OCSP did not answer for every certificate.',
    ...(why?.warning ? { warning: true } : {}),
  };
}

/**
 * `options.inconsistentAsStale`: a card left inconsistent by an interrupted rewrite is judged stale in its
 * torn slots (B-1 when the registry says valid), so it can be offered the rewrite that finishes it (the TUI).
 * Without it (`check`), an inconsistent card is an error, as cli.md says.
 */
export async function runCheck(access: CardAccess, net: Network, now: Date = new Date(), options: VerdictOptions = {}): Promise<CheckOutcome> {
  if (net.registry === null) return runUncompared(access, net, now);
  const cardSerials = access.info.certificates.map((c) => c.serialNumber);
  const ocspWave = ocspFor(access, net, cardSerials, now);
  // The OCSP wave never fails (it reports); keep it from being an unhandled rejection if the registry fails.
  ocspWave.catch(() => undefined);
  const registry = await net.registry.getCard(access.info.number);
  // Serials only the registry lists (a stale card's renewal) are asked as soon as the registry answers,
  // beside the wave still in flight: on a B-1 card the verdict comes one OCSP round trip sooner than
  // after the wave. (The wave answers only the card's own serials, so nothing it says changes this list.)
  const listed = registry.certificates.map((c) => c.serialNumber);
  const missing = listed.filter((s) => !cardSerials.some((c) => serialsEqual(c, s)));
  const followUp = missing.length > 0 && net.ocspUrl !== false ? ocspFor(access, net, missing, now) : undefined;
  followUp?.catch(() => undefined); // reported with the wave below; unhandled only if the wave throws first
  const wave = await ocspWave;
  const reports = followUp === undefined ? [wave] : [wave, await followUp];
  const ocsp = notConfirmed(net.ocspUrl === false ? wave : mergeOcsp(reports, listed));
  const verdict = decideVerdict(access.info, registry, ocsp, now, options);
  return { registry, ocsp, verdict, guidance: guidanceFor(verdict, registry, now) };
}

/**
 * An OCSP `unknown` is a verified answer that confirms nothing (issue 13): a report whose answers include
 * one is "not checked", reason `unknown`, never "confirmed with OCSP". It blocks nothing by itself.
 */
export function notConfirmed(report: OcspReport): OcspReport {
  const unknown = report.certificates.filter((a) => a.status === 'unknown');
  if (!report.checked || unknown.length === 0) return report;
  return {
    checked: false,
    certificates: report.certificates,
    notCheckedReason: 'unknown',
    detail: `The OCSP responder does not know certificate ${unknown.map((a) => a.serialNumber).join(', ')} (answer "unknown").`,
  };
}

const NO_OCSP: OcspReport = { checked: false, certificates: [], notCheckedReason: 'disabled', detail: 'OCSP was not asked.' };

/**
 * No registry (cli.md "Without a registry"): each card certificate's status from the status sources in
 * order (OCSP, then the CRL), then notAfter; the card is not compared with any record of what was issued.
 */
async function runUncompared(access: CardAccess, net: Network, now: Date): Promise<CheckOutcome> {
  const card = access.info;
  if (!card.consistent) {
    // Before any network: an interrupted rewrite is an error for check (cli.md), as with a registry.
    decideUncompared(card, [], NO_OCSP, now);
  }
  const serials = card.certificates.map((c) => c.serialNumber);
  const sources = (net.statusSources ?? defaultStatusSources)(access, net);
  const consulted = await consultSources(sources, serials, now);
  const ocspReport = consulted.reports.find((r) => r.source === 'ocsp')?.report as OcspReport | undefined;
  const ocsp = notConfirmed(ocspReport ?? NO_OCSP);
  const answers = card.certificates.map((held) => ({ slot: held.slot, ...(consulted.bySerial.get(held.serialNumber) ?? { answer: undefined, source: null }) }));
  const verdict = decideUncompared(card, answers, ocsp, now);
  const issued = cardAsIssued(card, Object.fromEntries(verdict.slots.map((s) => [s.slot, s.status])));
  return { registry: null, ocsp, verdict, guidance: guidanceFor(verdict, issued, now), sources: consulted.reports };
}
