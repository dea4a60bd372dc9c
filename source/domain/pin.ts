/**
 * The PIN rule (the issuer's): 6 to 8 ASCII digits. The one home of it: the TUI's PIN buffer bounds what
 * is typed by it, and checkPinFormat refuses anything else before any card or module sees the PIN (the
 * rewrite machine, then each writer: the virtual card's APDUs, the PKCS#11 login). The virtual card keeps
 * its own copy (virtual/image.ts) as part of the independent oracle.
 */
import { MoicaError } from '../errors.js';

export const PIN_MIN = 6;
export const PIN_MAX = 8;

/** A count of digits the rule allows. */
export function isPinLength(length: number): boolean {
  return length >= PIN_MIN && length <= PIN_MAX;
}

export function checkPinFormat(pin: Uint8Array): void {
  const ok = isPinLength(pin.length) && pin.every((b) => b >= 0x30 && b <= 0x39);
  // The message says what is wrong with the format, never what was typed.
  if (!ok) throw new MoicaError('pin-malformed', 'The PIN must be 6 to 8 digits; it was not sent to the card.');
}
