/**
 * Certificate serial numbers as the registry and the issuer print them: upper-case hex, no leading
 * zeros. Two spellings of one serial ("00ab", "AB") are the same certificate, so compare as numbers.
 *
 * The one normalisation and comparison for the whole project (registry, check, card, PKCS#11). Two
 * readings, on purpose: text from outside (the registry, a file, the command line) is checked and capped
 * at 64 digits (tryNormaliseSerial, normaliseSerial, serialsEqual); digits read from DER the project parsed
 * itself (the card's CDF and certificates, a token's certificates) are bounded by that DER and not capped
 * (serialFromDigits, serialFromIntegerBytes, derSerialsEqual, compareSerials). The virtual card keeps its
 * own copy (virtual/serial.ts) as part of the independent oracle.
 */
import { MoicaError, type ErrorCode } from '../errors.js';

// RFC 5280 allows 20 octets; some CAs emit 21 (a leading 00). 64 digits is generous and still bounded.
const HEX = /^[0-9a-fA-F]{1,64}$/;

/** Upper-case hex without leading zeros, or null when `hex` is not a serial. */
export function tryNormaliseSerial(hex: string): string | null {
  if (!HEX.test(hex)) return null;
  return BigInt(`0x${hex}`).toString(16).toUpperCase();
}

/** Upper-case hex without leading zeros; anything else is a typed error (default: the registry's fault). */
export function normaliseSerial(hex: string, code: ErrorCode = 'registry-invalid'): string {
  const serial = tryNormaliseSerial(hex);
  if (serial === null) throw new MoicaError(code, `"${hex.slice(0, 80)}" is not a hexadecimal serial number.`);
  return serial;
}

/** Same certificate serial, whatever the case or leading zeros; false when either is not a serial. */
export function serialsEqual(a: string, b: string): boolean {
  if (!HEX.test(a) || !HEX.test(b)) return false;
  return derSerialsEqual(a, b);
}

/** Serials read from DER compared as numbers (not capped); false when either is not hexadecimal. */
export function derSerialsEqual(a: string, b: string): boolean {
  try {
    return BigInt(`0x${a}`) === BigInt(`0x${b}`);
  } catch {
    return false;
  }
}

/** Serials read from DER in numeric order (-1, 0, 1); hexadecimal digits only (anything else throws). */
export function compareSerials(a: string, b: string): number {
  const d = BigInt(`0x${a}`) - BigInt(`0x${b}`);
  return d > 0n ? 1 : d < 0n ? -1 : 0;
}

/** Hex digits read from DER (e.g. a parsed certificate's serial): upper-case, no leading zeros ("0" for zero). */
export function serialFromDigits(hex: string): string {
  return hex.replace(/^0+/, '').toUpperCase() || '0';
}

/** DER INTEGER content octets of a (positive) serial: minimal, with a 00 when the top bit is set. */
export function serialToIntegerBytes(serial: string): Uint8Array {
  let hex = normaliseSerial(serial);
  if (hex.length % 2 === 1) hex = `0${hex}`;
  if (Number.parseInt(hex.slice(0, 2), 16) >= 0x80) hex = `00${hex}`;
  return Uint8Array.from(Buffer.from(hex, 'hex'));
}

/** The serial of DER INTEGER content octets (serials are positive; a negative one is kept as its bytes). */
export function serialFromIntegerBytes(bytes: Uint8Array): string {
  // Not capped like text input: the length is bounded by the DER it came from.
  return serialFromDigits(Buffer.from(bytes).toString('hex'));
}
