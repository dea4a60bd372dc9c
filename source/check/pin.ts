/** The PIN is checked here, before any card sees it: 6-8 ASCII digits (the issuer's rule). */
import { MoicaError } from '../errors.js';

export function checkPinFormat(pin: Uint8Array): void {
  const ok = pin.length >= 6 && pin.length <= 8 && pin.every((b) => b >= 0x30 && b <= 0x39);
  // The message says what is wrong with the format, never what was typed.
  if (!ok) throw new MoicaError('pin-malformed', 'The PIN must be 6 to 8 digits; it was not sent to the card.');
}
