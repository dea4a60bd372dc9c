/**
 * Builds a fresh card image (the serialisable VirtualCardState) from what a card holds: the card
 * number, the CA and holder certificates, the holder key pairs and the PIN.
 */
import { createHash, createPublicKey, randomBytes } from 'node:crypto';
import { MoicaError } from '../errors.js';
import { CARD_NUMBER_RULE, isCardNumber } from '../domain/card-number.js';
import type { KeyId } from '../card/types.js';
import type { KeyMaterial } from './key-pool.js';
import {
  AREA, CDF_SIZE, CERTIFICATE_AREA, CERTIFICATES_SIZE, FID, KEY_REFERENCE, PIN_BLOCK, PUKDF_SIZE,
  RECORD_BODY, VERSION_STRING, hex4,
} from './layout.js';
import { directoryFile, encodeCdfEntry, encodePukdfEntry, type Tagging } from './pkcs15.js';
import { certificateFields } from './x509-fields.js';

export interface VirtualCardState {
  format: 'moica-virtual-card/1';
  generation: 1 | 2;
  /**
   * The ATR (hex) when it is not the virtual card's own (tests: a card that answers like a real MOICA card,
   * which the host must read and check but never write over plaintext APDUs). Absent: VIRTUAL_ATR.
   */
  atr?: string;
  pin: { salt: string; hash: string; tries: number; triesLeft: number };
  /** Transparent EFs by path below the root, e.g. "5030/08F2" → hex. */
  binaries: Record<string, string>;
  /** Record EFs by path, each record number (decimal) → 128 bytes hex. */
  records: Record<string, Record<string, string>>;
  /** The holder's private keys, for the RSA private operation. */
  keys: Array<{ keyId: KeyId; keyReference: number; pkcs8: string }>;
}

export interface CardContent {
  generation: 1 | 2;
  cardNumber: string;
  /** The byte EF 0903 is padded with to 16 bytes when the number is shorter (default 0x20, a space). */
  cardNumberPad?: number;
  pin: string;
  tries: number;
  rootCa: Uint8Array;
  issuingCa: Uint8Array;
  holders: Array<{ keyId: KeyId; der: Uint8Array; key: KeyMaterial }>;
  tagging: Tagging;
}

/** The issuer's PIN rule, the emulator's own copy on purpose (the oracle; the project's is domain/pin.ts). */
const PIN = /^[0-9]{6,8}$/;

export function pinBlock(pin: string): Uint8Array {
  const block = new Uint8Array(PIN_BLOCK).fill(0xff);
  block.set(Buffer.from(pin, 'ascii'));
  return block;
}

export function pinDigest(salt: Uint8Array, block: Uint8Array): string {
  return createHash('sha256').update(salt).update(block).digest('hex');
}

/** The path as written in the CDF/PuKDF: 3F00 … on gen1, 7FFF … (the applet) on gen2. */
export function filePath(generation: 1 | 2, ...fids: number[]): Uint8Array {
  const root = generation === 1 ? FID.MF : FID.APPLET;
  return Uint8Array.from([root, ...fids].flatMap((fid) => [fid >> 8, fid & 0xff]));
}

/** Key records: exponent, zeros, then the modulus as 32-bit words in reverse order over two records. */
export function keyRecords(spki: Uint8Array, keyReference: number): Record<string, string> {
  const jwk = rsaPublicNumbers(spki);
  const modulus = jwk.modulus;
  if (modulus.length !== 2 * RECORD_BODY) throw new MoicaError('usage', 'key records need a 2048-bit modulus');
  const reversed = new Uint8Array(modulus.length);
  for (let word = 0; word < modulus.length / 4; word++) {
    reversed.set(modulus.subarray(word * 4, word * 4 + 4), modulus.length - (word + 1) * 4);
  }
  const exponent = new Uint8Array(RECORD_BODY);
  exponent.set(jwk.exponent, 4 - jwk.exponent.length);
  const hex = (bytes: Uint8Array): string => Buffer.from(bytes).toString('hex');
  return {
    [keyReference]: hex(exponent),
    [keyReference + 1]: hex(new Uint8Array(RECORD_BODY)),
    [keyReference + 2]: hex(reversed.subarray(0, RECORD_BODY)),
    [keyReference + 3]: hex(reversed.subarray(RECORD_BODY)),
  };
}

function rsaPublicNumbers(spki: Uint8Array): { modulus: Uint8Array; exponent: Uint8Array } {
  // node:crypto exports the JWK form of an SPKI without any hand-written ASN.1
  const jwk = createPublicKey({ key: Buffer.from(spki), format: 'der', type: 'spki' }).export({ format: 'jwk' });
  return {
    modulus: new Uint8Array(Buffer.from(jwk.n ?? '', 'base64url')),
    exponent: new Uint8Array(Buffer.from(jwk.e ?? '', 'base64url')),
  };
}

/** EF 0903: 16 bytes, the number in ASCII, padded at the end (a 13-digit number as in the issuer's manual). */
export function cardNumberFile(cardNumber: string, pad: number): Uint8Array {
  const file = new Uint8Array(Math.max(16, cardNumber.length)).fill(pad);
  file.set(Buffer.from(cardNumber, 'ascii'));
  return file;
}

export function buildCardImage(content: CardContent): VirtualCardState {
  if (!isCardNumber(content.cardNumber)) {
    throw new MoicaError('usage', `${CARD_NUMBER_RULE.en}: ${content.cardNumber}`);
  }
  if (!PIN.test(content.pin)) throw new MoicaError('usage', 'the virtual card PIN must be 6-8 digits');
  if (!Number.isInteger(content.tries) || content.tries < 1 || content.tries > 15) {
    throw new MoicaError('usage', 'PIN tries must be 1-15');
  }
  const { generation, tagging } = content;
  const certificates = new Uint8Array(CERTIFICATES_SIZE);
  const cdf: Uint8Array[] = [];
  const pukdf: Uint8Array[] = [];
  const records: VirtualCardState['records'] = {};
  const place = (area: number, der: Uint8Array, label: string, id: Uint8Array, authority: boolean): void => {
    if (der.length > CERTIFICATE_AREA) throw new MoicaError('usage', `${label}: certificate larger than its 0x700 area`);
    certificates.set(der, area * CERTIFICATE_AREA);
    const fields = certificateFields(der);
    cdf.push(encodeCdfEntry({
      label, id, authority,
      path: filePath(generation, FID.PKI_DF, FID.CERTIFICATES),
      index: area * CERTIFICATE_AREA,
      length: der.length,
      subject: fields.subject,
      issuer: fields.issuer,
      serialNumber: fields.serialNumber,
    }, tagging));
  };
  place(AREA.ROOT, content.rootCa, 'MOICA test root CA', Buffer.from('ROOTCA'), true);
  place(AREA.ISSUING, content.issuingCa, 'MOICA test CA', Buffer.from('MOICA'), true);
  for (const holder of content.holders) {
    const isSign = holder.keyId === 'SIGN';
    const keyReference = KEY_REFERENCE[holder.keyId];
    const keyFile = isSign ? FID.SIGN_KEY : FID.KEYX_KEY;
    place(isSign ? AREA.SIGN : AREA.KEYX, holder.der, isSign ? 'Signature certificate' : 'Encryption certificate',
      Buffer.from(holder.keyId), false);
    pukdf.push(encodePukdfEntry({
      label: isSign ? 'Signature key' : 'Encryption key',
      id: Buffer.from(holder.keyId),
      path: filePath(generation, FID.PKI_DF, keyFile),
      keyReference,
      modulusBits: 2048,
    }, tagging));
    records[`${hex4(FID.PKI_DF)}/${hex4(keyFile)}`] = keyRecords(holder.key.spki, keyReference);
  }
  const salt = randomBytes(16);
  const hex = (bytes: Uint8Array): string => Buffer.from(bytes).toString('hex');
  const binaries: Record<string, string> = {
    [`${hex4(FID.CARD_DF)}/${hex4(FID.CARD_NUMBER)}`]: hex(cardNumberFile(content.cardNumber, content.cardNumberPad ?? 0x20)),
    [`${hex4(FID.PKI_DF)}/${hex4(FID.CERTIFICATES)}`]: hex(certificates),
    [`${hex4(FID.PKI_DF)}/${hex4(FID.CDF)}`]: hex(directoryFile(cdf, CDF_SIZE)),
    [`${hex4(FID.PKI_DF)}/${hex4(FID.PUKDF)}`]: hex(directoryFile(pukdf, PUKDF_SIZE)),
  };
  if (generation === 1) binaries[`${hex4(FID.CARD_DF)}/${hex4(FID.VERSION)}`] = hex(Buffer.from(VERSION_STRING));
  return {
    format: 'moica-virtual-card/1',
    generation,
    pin: { salt: hex(salt), hash: pinDigest(salt, pinBlock(content.pin)), tries: content.tries, triesLeft: content.tries },
    binaries,
    records,
    keys: content.holders.map((h) => ({
      keyId: h.keyId,
      keyReference: KEY_REFERENCE[h.keyId],
      pkcs8: Buffer.from(h.key.pkcs8).toString('base64'),
    })),
  };
}
