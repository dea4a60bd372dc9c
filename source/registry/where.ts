/**
 * Where to ask about a card's certificates (issue 11 item 4). `--ocsp URL` wins; `--no-ocsp` turns OCSP
 * off. A CA the issuer table knows (by key id, issuer.ts) is asked at the table's URLs: no holder
 * certificate needs reading. An unknown CA, or when asked (`fromCertificate`), is asked where the holder
 * certificate says: its AIA (OCSP) and its CRL Distribution Points. The holder certificate is read in full
 * only on that path (`holderDer` is called lazily: it costs APDUs).
 *
 * CRLs: a partitioned CRL named in the holder's CDP comes before the CA's complete CRL from the table
 * (a MOICA partition is a fraction of the ≈ 20 MB complete one).
 */
import * as pkijs from 'pkijs';
import type { CardTrust } from './issuer.js';
import { ocspTarget } from './ocsp-url.js';

const AIA_OID = '1.3.6.1.5.5.7.1.1';
const CDP_OID = '2.5.29.31';
const OCSP_METHOD = '1.3.6.1.5.5.7.48.1';
const URI = 6;

function parse(der: Uint8Array): pkijs.Certificate | undefined {
  try {
    return pkijs.Certificate.fromBER(new Uint8Array(der));
  } catch {
    return undefined;
  }
}

const httpUrl = (u: unknown): u is string => {
  if (typeof u !== 'string') return false;
  try {
    const { protocol } = new URL(u);
    return protocol === 'http:' || protocol === 'https:';
  } catch {
    return false;
  }
};

/** The OCSP URLs of a certificate's Authority Information Access (http/https only). */
export function aiaOcspUrls(der: Uint8Array): string[] {
  const aia = parse(der)?.extensions?.find((e) => e.extnID === AIA_OID)?.parsedValue as pkijs.InfoAccess | undefined;
  return (aia?.accessDescriptions ?? [])
    .filter((d) => d.accessMethod === OCSP_METHOD && d.accessLocation.type === URI)
    .map((d) => d.accessLocation.value as unknown)
    .filter(httpUrl);
}

/** The full-name URIs of a certificate's CRL Distribution Points (http/https only). */
export function cdpUrls(der: Uint8Array): string[] {
  const cdp = parse(der)?.extensions?.find((e) => e.extnID === CDP_OID)?.parsedValue as pkijs.CRLDistributionPoints | undefined;
  const out: string[] = [];
  for (const point of cdp?.distributionPoints ?? []) {
    const names = Array.isArray(point.distributionPoint) ? point.distributionPoint : [];
    for (const name of names) if (name.type === URI && httpUrl(name.value)) out.push(name.value);
  }
  return out;
}

export type UrlSource = 'option' | 'issuer-table' | 'certificate' | 'default';

export interface StatusUrls {
  /** false: OCSP turned off; undefined: no responder known. */
  ocsp: { url: string; source: UrlSource } | false | undefined;
  /** In the order to try: the holder's CDP (a partition) first, then the table's complete CRL. */
  crl: Array<{ url: string; source: UrlSource }>;
  /** Whether the holder certificate was read for these (APDUs spent). */
  holderRead: boolean;
}

export interface WhereInput {
  trust: CardTrust | null;
  /** --ocsp URL, or false for --no-ocsp. */
  ocspOption?: string | false;
  /** Read the holder certificate even for a known CA (its AIA / CDP wins then). */
  fromCertificate?: boolean;
  /** Include CRLs: reading the CDP is worth a holder read for a known CA only when CRLs are wanted. */
  wantCrl?: boolean;
  /** The full DER of a holder certificate, read from the card on demand. */
  holderDer?: () => Promise<Uint8Array | undefined>;
  /** Responder used when nothing else names one (e.g. the issuer's published one). */
  fallbackOcsp?: string;
}

export async function statusUrls(input: WhereInput): Promise<StatusUrls> {
  const known = input.trust?.issuer === 'known' ? input.trust : null;
  const needHolder = input.holderDer !== undefined &&
    (known === null || input.fromCertificate === true || (input.wantCrl === true && known !== null));
  let holder: Uint8Array | undefined;
  if (needHolder) holder = await input.holderDer!().catch(() => undefined);
  const aia = holder ? aiaOcspUrls(holder) : [];
  const cdp = holder ? cdpUrls(holder) : [];

  const configured = ocspTarget(input.ocspOption);
  let ocsp: StatusUrls['ocsp'];
  if (!configured.fromCard) ocsp = configured.url === false ? false : { url: configured.url, source: 'option' };
  else if (input.fromCertificate && aia[0]) ocsp = { url: aia[0], source: 'certificate' };
  else if (known?.ocspUrl) ocsp = { url: known.ocspUrl, source: 'issuer-table' };
  else if (aia[0]) ocsp = { url: aia[0], source: 'certificate' };
  else if (input.fallbackOcsp) ocsp = { url: input.fallbackOcsp, source: 'default' };

  const crl: StatusUrls['crl'] = [];
  const add = (url: string, source: UrlSource) => { if (!crl.some((c) => c.url === url)) crl.push({ url, source }); };
  for (const url of cdp) add(url, 'certificate');
  if (known?.crlUrl) add(known.crlUrl, 'issuer-table');
  return { ocsp, crl, holderRead: holder !== undefined };
}
