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

/**
 * The issuer's unlock route, in the error itself: a blocked PIN is unlocked online with the 用戶代碼
 * (user code) on the MOICA site, or in person at a household registration office (戶政事務所).
 */
export const PIN_UNLOCK_ROUTE = {
  'zh-TW': '請以「用戶代碼」至內政部憑證管理中心網站線上解鎖，或攜帶身分證及IC卡至任一戶政事務所辦理解鎖。',
  en: 'Unlock it online at the MOICA website with your user code (用戶代碼), or in person at any household registration office (戶政事務所) with your ID card and this card.',
} as const;

/** A blocked PIN: nothing more is sent to the card, and the error says how to unlock it. */
export function pinBlockedError(detail: Record<string, unknown> = {}): MoicaError {
  return new MoicaError('pin-blocked', `The card's PIN is blocked. ${PIN_UNLOCK_ROUTE.en}`,
    { ...detail, triesLeft: 0, unlock: PIN_UNLOCK_ROUTE });
}
