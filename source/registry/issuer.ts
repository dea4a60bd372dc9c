/**
 * Trust by key, never by name (issuer-services.md §1-2): every MOICA generation shares the DN
 * `C=TW, O=行政院, OU=內政部憑證管理中心`, so a CA is told apart by its key identifier (its SKI, which the
 * holder certificates carry as AKI) and held against the pinned SHA-256 fingerprint of its DER.
 *
 * The card holds its own root and CA certificates (EF 08F2): they are read from the card (no bytes are
 * shipped), each checked against this table, and the chain verified (holder → CA, CA → root, the root's
 * self-signature). A CA or root that fails its signature, or that claims a pinned key id with another
 * fingerprint, makes the card inconsistent. A CA this table does not know (the virtual card's test PKI) is
 * reported as `unknown`, not refused.
 */
import { createHash } from 'node:crypto';
import * as asn1js from 'asn1js';
import * as pkijs from 'pkijs';
import { MoicaError } from '../errors.js';
import { MOICA_OCSP_URL } from './ocsp-url.js';
import { verifiesBy } from './names.js';
import { parseCertificate } from './ocsp-asn1.js';

export type Generation = 'G1' | 'G2' | 'G3';

export interface KnownCa {
  name: string;
  generation: Generation;
  /** Upper-case hex of the SKI. */
  keyId: string;
  /** Lower-case hex SHA-256 of the DER; null where none is published (G1, expired 2023). */
  sha256: string | null;
  ocspUrl: string;
  /** The complete CRL (the holder certificate's CDP may name a smaller partition). */
  crlUrl: string | null;
  root: string;
}

export interface KnownRoot {
  name: string;
  sha256: string;
  keyId: string | null;
}

/** issuer-services.md §1-2, keyed by the CA's key identifier. */
export const ISSUERS: Readonly<Record<string, KnownCa>> = {
  B620C8CFBE518AA454B978D304D10AB2CC7E2F46: {
    name: 'MOICA', generation: 'G1', keyId: 'B620C8CFBE518AA454B978D304D10AB2CC7E2F46', sha256: null,
    ocspUrl: MOICA_OCSP_URL, crlUrl: null, root: 'GRCA',
  },
  FA9B3467090A9822F762488B8226A645C5C322A4: {
    name: 'MOICA-G2', generation: 'G2', keyId: 'FA9B3467090A9822F762488B8226A645C5C322A4',
    sha256: 'c4c462de463f856804dc898338d2cecb55fba74155851599d8fb7d70218fd1be',
    ocspUrl: MOICA_OCSP_URL, crlUrl: 'https://moica.nat.gov.tw/repository/MOICA/CRL2/complete.crl', root: 'GRCA-G2',
  },
  '4720A3B1264BCD6D48ACF2640886972C7454115F': {
    name: 'MOICA-G3', generation: 'G3', keyId: '4720A3B1264BCD6D48ACF2640886972C7454115F',
    sha256: 'ed793fd0d50a2a398049d598982cf01e75f873b532066caec238f800a06ca9da',
    ocspUrl: MOICA_OCSP_URL, crlUrl: 'https://crl-moica.moi.gov.tw/crl/MOICA-G3-complete.crl', root: 'GRCA-G3',
  },
};

export const ROOTS: readonly KnownRoot[] = [
  { name: 'GRCA-G2', sha256: '70b922bfda0e3f4a342e4ee22d579ae598d071cc5ec9c30f123680340388aea5', keyId: null },
  { name: 'GRCA-G3', sha256: '57df6f20e04c588e85f35be8832f5d4e78958336ae3b18fb7c9bae0dfead4044', keyId: '3A908EE741471973DC9CBDA37ED83D3E83091F03' },
];

const SKI_OID = '2.5.29.14';
const AKI_OID = '2.5.29.35';

export function sha256Hex(der: Uint8Array): string {
  return createHash('sha256').update(der).digest('hex');
}

const hex = (bytes: ArrayBuffer | Uint8Array) => Buffer.from(bytes instanceof Uint8Array ? bytes : new Uint8Array(bytes)).toString('hex').toUpperCase();

/** The SKI and AKI (keyIdentifier) of a certificate, upper-case hex; undefined where absent. */
export function keyIdsOf(cert: pkijs.Certificate): { ski?: string; aki?: string } {
  const ext = (oid: string) => cert.extensions?.find((e) => e.extnID === oid)?.parsedValue as unknown;
  const ski = ext(SKI_OID);
  const aki = ext(AKI_OID) as pkijs.AuthorityKeyIdentifier | undefined;
  return {
    ...(ski instanceof asn1js.OctetString ? { ski: hex(ski.valueBlock.valueHexView) } : {}),
    ...(aki?.keyIdentifier ? { aki: hex(aki.keyIdentifier.valueBlock.valueHexView) } : {}),
  };
}

/** The AKI of a holder certificate's DER (the key id of the CA that issued it). */
export function authorityKeyIdOf(der: Uint8Array): string | undefined {
  try {
    return keyIdsOf(pkijs.Certificate.fromBER(new Uint8Array(der))).aki;
  } catch {
    return undefined;
  }
}

export function knownIssuer(keyId: string | undefined, issuers: Readonly<Record<string, KnownCa>> = ISSUERS): KnownCa | undefined {
  return keyId === undefined ? undefined : issuers[keyId.toUpperCase()];
}

/** The tables a judgement uses: the issuer's by default; tests pin their own CA to exercise the known path. */
export interface TrustTables {
  issuers?: Readonly<Record<string, KnownCa>>;
  roots?: readonly KnownRoot[];
}

export interface CardTrust {
  /** `known`: the issuing CA is in the table and its fingerprint pinned (or, for G1, its key id); else `unknown`. */
  issuer: 'known' | 'unknown';
  generation: Generation | null;
  name: string | null;
  /** The issuing CA's key identifier (SKI), upper-case hex. */
  keyId: string | null;
  caSha256: string | null;
  /** The issuing CA certificate as the card holds it (the OCSP issuer, the CRL signer). */
  caDer: Uint8Array | null;
  root: { name: string | null; sha256: string; keyId: string | null } | null;
  /** `verified`: CA → root on the card and the root's self-signature; `ca-only`: no root on the card for this CA. */
  chain: 'verified' | 'ca-only';
  /** Holder certificates whose signature was checked against the CA (only those whose DER was given). */
  holdersVerified: number;
  ocspUrl: string | null;
  crlUrl: string | null;
}

interface Parsed {
  der: Uint8Array;
  cert: pkijs.Certificate;
  ski?: string;
  aki?: string;
  sha256: string;
  selfSigned: boolean;
}

function inconsistent(message: string, detail: Record<string, unknown>): MoicaError {
  return new MoicaError('card-inconsistent', message, { area: 'ca-certificates', ...detail });
}


/** A pinned key id with another fingerprint: someone put another key behind a known name. */
function checkPin(p: Parsed, issuers: Readonly<Record<string, KnownCa>>, roots: readonly KnownRoot[]): void {
  const ca = knownIssuer(p.ski, issuers);
  if (ca?.sha256 != null && ca.sha256 !== p.sha256) {
    throw inconsistent(`The card's CA certificate claims the key id of ${ca.name} (${ca.keyId}) but its SHA-256 fingerprint is not ${ca.name}'s.`,
      { keyId: ca.keyId, sha256: p.sha256, expected: ca.sha256 });
  }
  const root = roots.find((r) => r.keyId !== null && r.keyId === p.ski);
  if (root !== undefined && root.sha256 !== p.sha256) {
    throw inconsistent(`The card's root certificate claims the key id of ${root.name} (${root.keyId}) but its SHA-256 fingerprint is not ${root.name}'s.`,
      { keyId: root.keyId, sha256: p.sha256, expected: root.sha256 });
  }
}

/**
 * The card's CA certificates (all that 08F2 holds with `authority` TRUE) judged by key. `holderAki` names the
 * CA of the holder certificates (their AKI); without it a card with one issuing CA needs none, and a card
 * with several gives `ambiguous` (the caller reads a holder certificate for its AKI: APDUs only on that path).
 * `holderDers`: full holder certificates, when the caller has them, verified against the CA.
 * Throws `card-inconsistent` for a CA area that does not parse, verify or match its pin.
 */
export async function assessCardCas(
  cas: ReadonlyArray<{ der: Uint8Array }>,
  options: { holderAki?: string; holderDers?: Uint8Array[] } & TrustTables = {},
): Promise<CardTrust | 'ambiguous'> {
  const issuers = options.issuers ?? ISSUERS;
  const rootTable = options.roots ?? ROOTS;
  const parsed: Parsed[] = [];
  for (const [i, { der }] of cas.entries()) {
    let cert: pkijs.Certificate;
    try {
      cert = parseCertificate(der);
    } catch {
      throw inconsistent(`CA certificate ${i + 1} on the card does not parse.`, { index: i });
    }
    const ids = keyIdsOf(cert);
    // Self-issued by key: no AKI, or an AKI that names its own key (never by comparing names).
    const selfIssued = ids.aki === undefined || ids.aki === ids.ski;
    const p: Parsed = { der, cert, ...ids, sha256: sha256Hex(der), selfSigned: selfIssued };
    checkPin(p, issuers, rootTable);
    if (selfIssued && !(await verifiesBy(cert))) {
      throw inconsistent(`The root certificate on the card (${p.ski ?? p.sha256}) fails its own signature.`, { keyId: p.ski ?? null, sha256: p.sha256 });
    }
    parsed.push(p);
  }
  const roots = parsed.filter((p) => p.selfSigned);
  const issuing = parsed.filter((p) => !p.selfSigned);
  let ca: Parsed | undefined;
  if (options.holderAki !== undefined) {
    const aki = options.holderAki.toUpperCase();
    ca = issuing.find((p) => p.ski === aki) ?? roots.find((p) => p.ski === aki);
  } else if (issuing.length === 1) {
    ca = issuing[0];
  } else if (issuing.length > 1) {
    return 'ambiguous';
  } else if (roots.length === 1) {
    ca = roots[0]; // a card whose holders a root issued directly
  }

  // Every CA → root link on the card verifies (a corrupted CA area is an inconsistent card).
  for (const p of issuing) {
    const root = roots.find((r) => r.ski !== undefined && r.ski === p.aki);
    if (root !== undefined && !(await verifiesBy(p.cert, root.cert))) {
      throw inconsistent(`The CA certificate on the card (${p.ski ?? p.sha256}) is not signed by the root it names.`, { keyId: p.ski ?? null, sha256: p.sha256 });
    }
  }

  let holdersVerified = 0;
  if (ca !== undefined) {
    for (const der of options.holderDers ?? []) {
      let holder: pkijs.Certificate;
      try {
        holder = pkijs.Certificate.fromBER(new Uint8Array(der));
      } catch {
        continue; // a torn holder body is the slot's inconsistency, reported by the card read
      }
      if (keyIdsOf(holder).aki !== undefined && keyIdsOf(holder).aki !== ca.ski) continue;
      if (!(await verifiesBy(holder, ca.cert))) {
        throw inconsistent('A holder certificate on the card is not signed by the card\'s CA.', { keyId: ca.ski ?? null });
      }
      holdersVerified++;
    }
  }

  const known = knownIssuer(ca?.ski ?? options.holderAki, issuers);
  const root = ca === undefined ? undefined : roots.find((r) => r !== ca && r.ski !== undefined && r.ski === ca.aki);
  const knownRoot = root === undefined ? undefined : rootTable.find((r) => r.sha256 === root.sha256);
  // Known only when the CA on the card is the pinned one (G1: by its key id alone, nothing else is published).
  const isKnown = known !== undefined && (ca === undefined ? false : known.sha256 === null || known.sha256 === ca.sha256);
  return {
    issuer: isKnown ? 'known' : 'unknown',
    generation: isKnown ? known.generation : null,
    name: isKnown ? known.name : null,
    keyId: ca?.ski ?? null,
    caSha256: ca?.sha256 ?? null,
    caDer: ca?.der ?? null,
    root: root === undefined ? null : { name: knownRoot?.name ?? null, sha256: root.sha256, keyId: root.ski ?? null },
    chain: root !== undefined ? 'verified' : 'ca-only',
    holdersVerified,
    ocspUrl: isKnown ? known.ocspUrl : null,
    crlUrl: isKnown ? known.crlUrl : null,
  };
}
