/**
 * Where each certificate's status comes from when no registry is configured (cli.md "Without a
 * registry"): an ordered list of status sources, consulted per certificate. Each source is asked only for
 * the serials that no earlier source answered usably (good, or revoked with its reason); an `unknown`
 * answer, or none, falls through to the next source. OCSP is first; the CRL is the second source
 * (plugged in `defaultStatusSources`, the one place that lists them); `notAfter` is applied by the
 * verdict itself (check/verdict.ts decideUncompared), whatever the sources said.
 */
import type { OcspAnswer, OcspReport } from '../registry/types.js';
import type { CrlReport } from '../registry/crl.js';
import { serialsEqual } from '../domain/serial.js';
import type { CardAccess } from './card-access.js';
import { isCaAreaInconsistent, ocspFor, type Network, type StatusSource, type StatusSourceName } from './network.js';

export type { StatusLookup, StatusSource, StatusSourceName } from './network.js';

/** OCSP for the card's serials against the card's issuing CA (today's OCSP module, through ocspFor). */
export function ocspSource(access: CardAccess, net: Network): StatusSource {
  return {
    name: 'ocsp',
    async lookup(serialNumbers, now) {
      const report: OcspReport = await ocspFor(access, net, serialNumbers, now);
      return { answers: report.certificates, report };
    },
  };
}

/**
 * The CA's CRL for the serials OCSP left open (registry/crl.ts): the holder certificate's CDP (a partition)
 * first, then the issuer table's complete CRL for a known CA (registry/where.ts). Its report is what the
 * check's JSON shows under `crl` (URL, thisUpdate, nextUpdate, fromCache, stale …). A CA area that fails its
 * chain is an inconsistent card (thrown, as OCSP does); any other trouble is a report with no answers.
 */
export function crlSource(access: CardAccess, net: Network): StatusSource {
  return {
    name: 'crl',
    async lookup(serialNumbers, now) {
      const [{ checkCrl }, { statusUrls }] = await Promise.all([import('../registry/crl.js'), import('../registry/where.js')]);
      let trust;
      try {
        trust = await access.trust();
      } catch (e) {
        if (isCaAreaInconsistent(e)) throw e;
        const report: CrlReport = { checked: false, url: null, fromCache: false, stale: false, certificates: [], notCheckedReason: 'no-issuer', detail: 'The card\'s CA certificates cannot be read.' };
        return { answers: [], report };
      }
      const slot = access.info.certificates[0]?.slot;
      const urls = await statusUrls({
        trust, wantCrl: true,
        ...(access.holderCertificate && slot !== undefined ? { holderDer: () => access.holderCertificate!(slot) } : {}),
      });
      const options = net.crl === false ? {} : net.crl ?? {};
      const report = await checkCrl({
        urls: urls.crl.map((u) => u.url), serialNumbers, issuerDer: trust.caDer ?? undefined, timeoutMs: net.timeoutMs, now,
        ...(options.cacheDir ? { cacheDir: options.cacheDir } : {}),
        ...(options.onProgress ? { onProgress: options.onProgress } : {}),
        ...(options.downloadTimeoutMs ? { downloadTimeoutMs: options.downloadTimeoutMs } : {}),
      });
      return { answers: report.certificates, report };
    },
  };
}

/** The sources of a check without a registry, in the order they are consulted (`crl: false` leaves the CRL out). */
export function defaultStatusSources(access: CardAccess, net: Network): StatusSource[] {
  return net.crl === false ? [ocspSource(access, net)] : [ocspSource(access, net), crlSource(access, net)];
}

/** One certificate's word: the first usable answer and its source; else the last `unknown` seen, if any. */
export interface Consulted {
  answer: OcspAnswer | undefined;
  source: StatusSourceName | null;
}

export interface ConsultResult {
  /** By the serial as asked. */
  bySerial: Map<string, Consulted>;
  /** Each source that was asked, in order, with what it was asked and its report. */
  reports: Array<{ source: StatusSourceName; serialNumbers: string[]; report: unknown }>;
}

const usable = (a: OcspAnswer) => a.status === 'good' || a.status === 'revoked';

export async function consultSources(sources: StatusSource[], serialNumbers: string[], now: Date): Promise<ConsultResult> {
  const bySerial = new Map<string, Consulted>(serialNumbers.map((s) => [s, { answer: undefined, source: null }]));
  const reports: ConsultResult['reports'] = [];
  for (const source of sources) {
    const open = serialNumbers.filter((s) => bySerial.get(s)!.source === null);
    if (open.length === 0) break;
    const lookup = await source.lookup(open, now);
    reports.push({ source: source.name, serialNumbers: open, report: lookup.report });
    for (const serial of open) {
      const answer = lookup.answers.find((a) => serialsEqual(a.serialNumber, serial));
      if (answer === undefined) continue;
      bySerial.set(serial, usable(answer) ? { answer, source: source.name } : { answer, source: null });
    }
  }
  return { bySerial, reports };
}
