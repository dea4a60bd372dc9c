/**
 * Certificate serial numbers as the virtual card and its PKI handle them: hex strings, compared as numbers.
 * The emulator's own copy on purpose (an independent oracle, see index.ts): the project's rule is domain/serial.ts.
 */
import { MoicaError } from '../errors.js';

function digits(serialNumber: string): string {
  const hex = serialNumber.trim();
  if (!/^[0-9a-fA-F]+$/.test(hex)) {
    throw new MoicaError('usage', `not a hexadecimal serial number: ${JSON.stringify(serialNumber)}`);
  }
  return hex.toUpperCase().replace(/^0+(?=.)/, '');
}

/** Upper-case hex without leading zeros: how the registry and the issuer print serials. */
export function normalizeSerial(serialNumber: string): string {
  return digits(serialNumber);
}

/** Even-length hex of the number (an odd-length serial such as 3B7161C40F46488916A gets a leading 0). */
export function serialToHexOctets(serialNumber: string): string {
  const hex = digits(serialNumber);
  return hex.length % 2 === 1 ? `0${hex}` : hex;
}

/** The content octets of the DER INTEGER: positive, so a leading 00 when the top bit is set. */
export function serialToIntegerOctets(serialNumber: string): Uint8Array {
  const octets = Buffer.from(serialToHexOctets(serialNumber), 'hex');
  return (octets[0] ?? 0) & 0x80 ? Uint8Array.from([0, ...octets]) : new Uint8Array(octets);
}
