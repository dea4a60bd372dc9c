/**
 * The one PIN format check (6-8 ASCII digits, the issuer's rule), made before any card or module sees the
 * PIN: by the rewrite machine and again by each writer (the virtual card's APDUs, the PKCS#11 login).
 */
import { MoicaError } from '../errors.js';

export function checkPinFormat(pin: Uint8Array): void {
  const ok = pin.length >= 6 && pin.length <= 8 && pin.every((b) => b >= 0x30 && b <= 0x39);
  // The message says what is wrong with the format, never what was typed.
  if (!ok) throw new MoicaError('pin-malformed', 'The PIN must be 6 to 8 digits; it was not sent to the card.');
}
