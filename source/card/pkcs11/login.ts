/**
 * C_Login with the holder's PIN: checked for shape before the card sees it, sent once, never retried, and
 * mapped to the project's PIN errors with the hints the token flags give.
 */
import { checkPinFormat } from '../../domain/pin.js';
import { pinBlockedError } from '../pin.js';
import { MoicaError } from '../../errors.js';
import { ckrCode, pkcs11Failure } from './failure.js';
import type { Handle, Pkcs11Module } from './module.js';


/** What the token's flags say about the tries left: 1 on the final try, "low" when low, else unknown. */
export function triesLeftFromFlags(m: Pkcs11Module, flags: number): 1 | 'low' | null {
  if (flags & m.lib.CKF_USER_PIN_FINAL_TRY) return 1;
  if (flags & m.lib.CKF_USER_PIN_COUNT_LOW) return 'low';
  return null;
}

function tokenFlags(m: Pkcs11Module, slot: Handle): number | undefined {
  try { return m.api.C_GetTokenInfo(slot).flags; } catch { return undefined; }
}

const blocked = () => pinBlockedError();

/** Tries left from the token flags, never consuming one: LOCKED → 0, FINAL_TRY → 1, else unknown (null). */
export function pinTriesFromToken(m: Pkcs11Module, slot: Handle): number | null {
  let flags: number;
  try {
    flags = m.api.C_GetTokenInfo(slot).flags;
  } catch (e) {
    throw pkcs11Failure(m.lib, e, 'token information');
  }
  if (flags & m.lib.CKF_USER_PIN_LOCKED) return 0;
  if (flags & m.lib.CKF_USER_PIN_FINAL_TRY) return 1;
  return null;
}

/**
 * pkcs11js only takes the PIN as a JS string, which cannot be wiped: it is made at the call and dropped
 * right after. The caller's buffer is zeroed here whatever happens.
 */
export function login(m: Pkcs11Module, slot: Handle, session: Handle, pin: Uint8Array): void {
  try {
    checkPinFormat(pin); // anything else never reaches C_Login
    const before = tokenFlags(m, slot);
    if (before !== undefined && before & m.lib.CKF_USER_PIN_LOCKED) throw blocked();
    try {
      m.api.C_Login(session, m.lib.CKU_USER, String.fromCharCode(...pin));
    } catch (e) {
      const code = ckrCode(m.lib, e);
      // Already logged in (another session of this process): the session can sign and write as it is.
      if (code === m.lib.CKR_USER_ALREADY_LOGGED_IN) return;
      if (code === m.lib.CKR_PIN_LOCKED) throw blocked();
      if (code === m.lib.CKR_PIN_INCORRECT) {
        const after = tokenFlags(m, slot) ?? 0;
        if (after & m.lib.CKF_USER_PIN_LOCKED) throw blocked();
        const triesLeft = triesLeftFromFlags(m, after);
        throw new MoicaError('pin-wrong', triesLeft === null ? 'Wrong PIN.' : `Wrong PIN (tries left: ${triesLeft}).`, { triesLeft });
      }
      if (code === m.lib.CKR_PIN_LEN_RANGE || code === m.lib.CKR_PIN_INVALID) {
        throw new MoicaError('pin-malformed', 'The card refused the PIN\'s length or characters.');
      }
      throw pkcs11Failure(m.lib, e, 'PIN verification');
    }
  } finally {
    pin.fill(0);
  }
}
