/**
 * Which OCSP responder: the one rule, for the check and the rewrite (engine/session.ts), doctor and
 * registry/where.ts. `--no-ocsp` turns OCSP off; `--ocsp URL` wins, always (options.ts has refused one that
 * is not an http(s) URL: a usage error; checkOcsp, called with one, reports `no-responder`). Without either, the issuer's published responder
 * only stands in until the card is read: the card's CA chooses then (registry/where.ts: the issuer table's
 * responder for its key id, else the holder certificate's AIA, else this one). A responder of the caller's
 * own (`own`: the demo's reference server) is asked as it is, never replaced by the card's choice.
 * No imports: issuer.ts, session.ts and doctor read it without loading the OCSP code.
 */

/** The issuer's published responder (registry-api.md), also what MOICA holder certificates carry in AIA. */
export const MOICA_OCSP_URL = 'http://moica.nat.gov.tw/cgi-bin/OCSP/ocsp_server.exe';

export interface OcspTarget {
  /** The responder to ask; false: OCSP turned off. */
  url: string | false;
  /** True when `url` is only the default: the card's CA chooses at check time (registry/where.ts). */
  fromCard: boolean;
}

/** `option`: undefined (no flag), false (--no-ocsp) or the --ocsp URL. */
export function ocspTarget(option: string | false | undefined, own?: string): OcspTarget {
  if (option === false) return { url: false, fromCard: false };
  if (option !== undefined) return { url: option, fromCard: false };
  if (own !== undefined) return { url: own, fromCard: false };
  return { url: MOICA_OCSP_URL, fromCard: true };
}
