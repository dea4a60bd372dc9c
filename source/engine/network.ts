/**
 * The check's network (the port session.ts opens and the check, its status sources and the rewrite use),
 * the contract of a status source, and OCSP for the card's serials against the card's issuing CA. Its own
 * module so that check.ts and status-sources.ts both import it and neither imports the other.
 */
import type { OcspAnswer, OcspReport } from '../registry/types.js';
import type { RegistryClient } from '../registry/client.js';
import type { CardAccess } from './card-access.js';
import { isMoicaError } from '../errors.js';

export interface Network {
  /** Null when no registry is configured: statuses then come from the status sources (cli.md). */
  registry: Pick<RegistryClient, 'getCard' | 'getCertificate' | 'postRewrite' | 'baseUrl'> | null;
  /** Responder URL; false with --no-ocsp. */
  ocspUrl: string | false;
  /**
   * True when `ocspUrl` is only a default (no --ocsp): the responder is then the one the issuer table names
   * for the card's CA (by key id), or, for a CA it does not know, the holder certificate's AIA (registry/where.ts).
   */
  ocspFromCard?: boolean;
  /** Delegated OCSP responder certificates (DER) to trust for the card's CA, for responders that embed none. */
  ocspResponders?: Uint8Array[];
  /** The CRL source (status lane): false turns it off; cacheDir default XDG; onProgress for a download bar. */
  crl?: false | CrlOptions;
  timeoutMs: number;
  /** The status sources of a check without a registry, in order (default: status-sources.ts). */
  statusSources?(access: CardAccess, net: Network): StatusSource[];
}

export interface CrlOptions {
  cacheDir?: string;
  onProgress?: (progress: { url: string; bytes: number; total: number | undefined }) => void;
  /** Whole-download deadline (default max(60 s, 10 × timeoutMs); timeoutMs is the stall limit). */
  downloadTimeoutMs?: number;
}

export type StatusSourceName = 'ocsp' | 'crl';

export interface StatusLookup {
  /** Verified answers for some of the serials asked (the others: no answer from this source). */
  answers: OcspAnswer[];
  /**
   * What the check document shows under the source's name: for OCSP the OcspReport (checked, reason …),
   * for a CRL its URL, thisUpdate, nextUpdate and whether it came from the cache. Never throws: a source
   * that cannot answer says why here and returns no answers.
   */
  report: unknown;
}

export interface StatusSource {
  readonly name: StatusSourceName;
  lookup(serialNumbers: string[], now: Date): Promise<StatusLookup>;
}

/** OCSP for some serials against the card's issuing CA. */
export async function ocspFor(access: CardAccess, net: Network, serialNumbers: string[], now: Date): Promise<OcspReport> {
  const { checkOcsp } = await import('../registry/ocsp.js');
  if (net.ocspUrl === false) return checkOcsp({ serialNumbers, issuerDer: undefined, url: false, timeoutMs: net.timeoutMs, now });
  // A card whose CA certificates cannot be read (e.g. a torn directory) is checked without OCSP ('no-issuer');
  // one whose CA area fails its chain or pin (issuer.ts) is an inconsistent card: never a verdict.
  const issuerDer = await access.issuerDer().catch((e: unknown) => {
    if (isCaAreaInconsistent(e)) throw e;
    return undefined;
  });
  let url: string | undefined = net.ocspUrl;
  if (net.ocspFromCard && issuerDer !== undefined) {
    const [{ statusUrls }, trust] = await Promise.all([import('../registry/where.js'), access.trust()]);
    const slot = access.info.certificates[0]?.slot;
    const found = await statusUrls({
      trust, fallbackOcsp: net.ocspUrl,
      ...(access.holderCertificate && slot !== undefined ? { holderDer: () => access.holderCertificate!(slot) } : {}),
    });
    url = found.ocsp ? found.ocsp.url : undefined;
  }
  return checkOcsp({
    serialNumbers, issuerDer, url, timeoutMs: net.timeoutMs, now,
    ...(net.ocspResponders ? { pinnedResponders: net.ocspResponders } : {}),
  });
}

/** A CA area that fails its chain or pin (registry/issuer.ts): the card is inconsistent, never a verdict. */
export function isCaAreaInconsistent(e: unknown): boolean {
  return isMoicaError(e, 'card-inconsistent') && e.detail.area === 'ca-certificates';
}

