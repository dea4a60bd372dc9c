/**
 * A blocked PIN and the issuer's unlock route. The PIN format check itself (6-8 ASCII digits) is the
 * domain's (domain/pin.ts), re-exported here for the callers that take both from the card.
 */
import { MoicaError } from '../errors.js';

export { checkPinFormat } from '../domain/pin.js';

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
