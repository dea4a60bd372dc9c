/**
 * A scenario: one virtual card, what the CA issued for it and in what state. Building one gives the
 * card, the registry's data (registry-api.md, the serve-registry format) and what an OCSP responder needs.
 */
import { createHash } from 'node:crypto';
import type { KeyId } from '../card/types.js';
import type { RegistryData, RegistryStatus } from '../registry/types.js';
import { MoicaError } from '../errors.js';
import { VirtualCard } from './card.js';
import type { CardFaults } from './faults.js';
import { buildCardImage, type CardContent, type VirtualCardState } from './image.js';
import { pooledKeyMaterial, type KeyMaterial } from './key-pool.js';
import { buildOcspFixture, type OcspEntrySpec, type OcspFixture } from './ocsp-fixture.js';
import { createTestPki, type CertificateCache, type IssuedCertificate, type TestPki } from './pki.js';
import type { Tagging } from './pkcs15.js';
import { normalizeSerial } from './serial.js';

export interface CertificateSpec {
  serialNumber: string;
  /** A date, or days relative to the scenario's `now`. */
  notBefore: Date | number;
  notAfter: Date | number;
  /** The registry's word; default 'valid', or 'expired' once past notAfter. */
  status?: RegistryStatus;
  /** What OCSP says, when it should not follow `status` (e.g. to make them disagree). */
  ocsp?: OcspEntrySpec;
  renewedFrom?: string | null;
}

export interface ScenarioSpec {
  name: string;
  /** Letters and digits, 12-16 characters (domain/card-number.ts), e.g. the manual's GP0000000615421. */
  cardNumber: string;
  /** EF 0903's padding byte after a number shorter than 16 (default a space). */
  cardNumberPad?: number;
  /** The ATR the card answers (hex); default its own VIRTUAL_ATR. Any other ATR makes it a "real" card to the host. */
  atr?: string;
  generation?: 1 | 2;
  /** 6-8 digits; default 123456. */
  pin?: string;
  tries?: number;
  holderName?: string;
  /** Slot 0 (SIGN) and slot 1 (KEYX) as the card holds them. */
  onCard: [CertificateSpec, CertificateSpec];
  /** What the registry has issued now (a renewal never written, for B-1); default: the card's. */
  issued?: [CertificateSpec, CertificateSpec];
  ocspUrl?: string;
  /** The holders' CRL Distribution Points (default: the test PKI's, a dead loopback port). */
  crlUrls?: string[];
  /**
   * A corrupted CA area: the issuing CA's or the root's certificate on the card with one bit of its
   * signature flipped (the card is then inconsistent: its chain does not verify).
   */
  caAreaFault?: 'issuing-signature' | 'root-signature';
  tagging?: Tagging;
  /** Misbehaviour of the card's read path from the start (see CardFaults). */
  faults?: Partial<Pick<CardFaults, 'sw6987' | 'getResponse' | 'wrongLength' | 'overLong'>>;
  /** Key pool indices of the card's SIGN and KEYX keys (default 2, 3). */
  keyIndices?: [number, number];
  /** Key pool indices the issued certificates certify; default: the card's (a renewal keeps the keys). */
  issuedKeyIndices?: [number, number];
}

export interface BuiltScenario {
  spec: ScenarioSpec;
  now: Date;
  pin: string;
  card: VirtualCard;
  registryData: RegistryData;
  pki: TestPki;
  ocsp: OcspFixture;
  /** Every certificate issued in the scenario, by serial (upper-case hex, no leading zeros). */
  certificates: Record<string, IssuedCertificate>;
  /** The certificates on the card and the ones the registry lists, slot 0 then slot 1. */
  onCard: [IssuedCertificate, IssuedCertificate];
  issued: [IssuedCertificate, IssuedCertificate];
  holderKeys: Record<KeyId, KeyMaterial>;
}

const DAY = 86_400_000;
const SLOTS = [
  { slot: 0, keyId: 'SIGN', usage: 'signature' },
  { slot: 1, keyId: 'KEYX', usage: 'encryption' },
] as const;

export function resolveDate(value: Date | number, now: Date): Date {
  return typeof value === 'number' ? new Date(now.getTime() + value * DAY) : value;
}

export function registryStatusOf(spec: CertificateSpec, now: Date): RegistryStatus {
  return spec.status ?? (resolveDate(spec.notAfter, now) <= now ? 'expired' : 'valid');
}

/**
 * The card image for `content`: from the cache when one built from the very same inputs is there (the
 * key is a hash over every input: numbers, PIN, tries, tagging, each certificate's DER and each key's
 * PKCS#8), else built and put in it. The PIN's salt is the one of the first build: the digest then
 * still is of this PIN, so the card answers VERIFY exactly as a fresh image would.
 */
function cachedCardImage(cache: CertificateCache | undefined, content: CardContent): VirtualCardState {
  if (cache?.getImage === undefined || cache.setImage === undefined) return buildCardImage(content);
  const hash = createHash('sha256');
  const { rootCa, issuingCa, holders, ...rest } = content;
  hash.update(JSON.stringify({ kind: 'card-image', ...rest }));
  for (const der of [rootCa, issuingCa]) hash.update('\0').update(der);
  for (const h of holders) hash.update(`\0${h.keyId}\0`).update(h.der).update('\0').update(h.key.pkcs8);
  const key = hash.digest('hex');
  const hit = cache.getImage(key);
  if (hit !== undefined) return hit;
  const image = buildCardImage(content);
  cache.setImage(key, image);
  return image;
}

/** A copy of a certificate with one bit of its signature value (the last bytes of the DER) flipped. */
function flipSignatureBit(der: Uint8Array): Uint8Array {
  const copy = new Uint8Array(der);
  copy[copy.length - 3]! ^= 0x01;
  return copy;
}

export async function buildScenario(spec: ScenarioSpec, options: { now?: Date; cache?: CertificateCache } = {}): Promise<BuiltScenario> {
  const now = options.now ?? new Date();
  const pin = spec.pin ?? '123456';
  const holderName = spec.holderName ?? '王小明';
  const cardKeyIndices = spec.keyIndices ?? [2, 3];
  const issuedKeyIndices = spec.issuedKeyIndices ?? cardKeyIndices;
  const [pki, signKey, keyxKey, issuedSign, issuedKeyx] = await Promise.all([
    createTestPki({ now, ...(options.cache ? { cache: options.cache } : {}), ...(spec.ocspUrl ? { ocspUrl: spec.ocspUrl } : {}), ...(spec.crlUrls ? { crlUrls: spec.crlUrls } : {}) }),
    pooledKeyMaterial(cardKeyIndices[0]),
    pooledKeyMaterial(cardKeyIndices[1]),
    pooledKeyMaterial(issuedKeyIndices[0]),
    pooledKeyMaterial(issuedKeyIndices[1]),
  ]);

  const issue = async (certSpec: CertificateSpec, slot: 0 | 1, key: KeyMaterial): Promise<IssuedCertificate> => {
    const notBefore = resolveDate(certSpec.notBefore, now);
    const notAfter = resolveDate(certSpec.notAfter, now);
    if (!(notBefore < notAfter)) throw new MoicaError('usage', `${certSpec.serialNumber}: notBefore must precede notAfter`);
    return pki.issueHolder({
      serialNumber: certSpec.serialNumber, holderName, subjectSerialNumber: `00${spec.cardNumber.slice(2)}`,
      usage: SLOTS[slot].usage, notBefore, notAfter, key,
    });
  };
  const onCard: [IssuedCertificate, IssuedCertificate] = [
    await issue(spec.onCard[0], 0, signKey),
    await issue(spec.onCard[1], 1, keyxKey),
  ];
  const issuedSpecs = spec.issued ?? spec.onCard;
  const issued: [IssuedCertificate, IssuedCertificate] = spec.issued
    ? [await issue(spec.issued[0], 0, issuedSign), await issue(spec.issued[1], 1, issuedKeyx)]
    : onCard;

  const image = cachedCardImage(options.cache, {
    generation: spec.generation ?? 1,
    cardNumber: spec.cardNumber,
    ...(spec.cardNumberPad !== undefined ? { cardNumberPad: spec.cardNumberPad } : {}),
    pin,
    tries: spec.tries ?? 3,
    rootCa: spec.caAreaFault === 'root-signature' ? flipSignatureBit(pki.root.certificate.der) : pki.root.certificate.der,
    issuingCa: spec.caAreaFault === 'issuing-signature' ? flipSignatureBit(pki.issuing.certificate.der) : pki.issuing.certificate.der,
    holders: [
      { keyId: 'SIGN', der: onCard[0].der, key: signKey },
      { keyId: 'KEYX', der: onCard[1].der, key: keyxKey },
    ],
    tagging: spec.tagging ?? 'explicit',
  });
  const card = new VirtualCard(spec.atr === undefined ? image : { ...image, atr: spec.atr.replace(/\s/g, '').toUpperCase() });

  Object.assign(card.faults, spec.faults ?? {});

  const certificates: Record<string, IssuedCertificate> = {};
  for (const certificate of [...onCard, ...issued]) certificates[certificate.serialNumber] = certificate;
  const base64 = (der: Uint8Array): string => Buffer.from(der).toString('base64');
  const registryData: RegistryData = {
    cards: {
      [spec.cardNumber]: {
        certificates: SLOTS.map(({ slot, usage }) => ({
          slot,
          usage,
          serialNumber: issued[slot].serialNumber,
          status: registryStatusOf(issuedSpecs[slot], now),
          notBefore: issued[slot].notBefore.toISOString(),
          notAfter: issued[slot].notAfter.toISOString(),
          renewedFrom: issuedSpecs[slot].renewedFrom ? normalizeSerial(issuedSpecs[slot].renewedFrom) : null,
        })),
      },
    },
    certificates: Object.fromEntries(Object.values(certificates).map((c) => [c.serialNumber, base64(c.der)])),
  };

  const ocsp = buildOcspFixture(pki, now, [
    ...onCard.map((c, slot) => ({ certificate: c, spec: spec.onCard[slot as 0 | 1] })),
    ...(spec.issued ? issued.map((c, slot) => ({ certificate: c, spec: issuedSpecs[slot as 0 | 1] })) : []),
  ].map(({ certificate, spec: s }) => ({ certificate, status: registryStatusOf(s, now), ...(s.ocsp ? { override: s.ocsp } : {}) })));

  return {
    spec, now, pin, card, registryData, pki, ocsp, certificates, onCard, issued,
    holderKeys: { SIGN: signKey, KEYX: keyxKey },
  };
}
