/**
 * The one card-number rule (issuer-services.md §3, moica-card.md §1), used by the card reader (EF 0903),
 * the registry (its JSON, its URL path, the reference server) and the PKCS#11 token match:
 *
 *   letters A-Z and digits, 12-16 characters, after trailing padding (NUL, space, 0xFF) is stripped.
 *
 * The usual form is two letters and 14 digits (TP03130708163649); the issuer's own manual shows
 * GP0000000615421 (two letters, 13 digits). Any other form within the rule is read, checked and rewritten
 * like the usual one, and shown with a note (cardNumberNote): never refused for its length.
 *
 * Upper-case letters only: what cards hold. (A PKCS#11 token serial from SoftHSM2 is lower-case hex, so
 * it is not mistaken for a card number.)
 */

export const CARD_NUMBER_MIN = 12;
export const CARD_NUMBER_MAX = 16;
export const CARD_NUMBER = /^[A-Z0-9]{12,16}$/;
const USUAL = /^[A-Z]{2}[0-9]{14}$/;
/** NUL, space and 0xFF (as latin1) at the end of the 16-byte EF or a PKCS#11 field. */
const PADDING = /[\0 \xff]+$/;

export type CardNumberForm = 'usual' | 'unusual';

export function isCardNumber(value: string): boolean {
  return CARD_NUMBER.test(value);
}

/** Trailing padding removed; nothing else changed. */
export function stripCardNumberPadding(raw: string): string {
  return raw.replace(PADDING, '');
}

/** The card number in raw bytes (EF 0903) or a padded string, or undefined when it is none. */
export function parseCardNumber(raw: Uint8Array | string): string | undefined {
  const text = typeof raw === 'string' ? raw : Buffer.from(raw).toString('latin1');
  const number = stripCardNumberPadding(text);
  return isCardNumber(number) ? number : undefined;
}

export function cardNumberForm(number: string): CardNumberForm {
  return USUAL.test(number) ? 'usual' : 'unusual';
}

/** The shape of a number in words: "2 letters and 13 digits", or its length for a mixed one. */
function shape(number: string, lang: 'en' | 'zh-TW'): string {
  const m = /^([A-Z]*)([0-9]*)$/.exec(number);
  if (m) {
    const letters = m[1]!.length;
    const digits = m[2]!.length;
    return lang === 'en' ? `${letters} letters and ${digits} digits` : `${letters} 個英文字母加 ${digits} 位數字`;
  }
  return lang === 'en' ? `${number.length} letters and digits` : `${number.length} 個英數字元`;
}

/** A note for a number of an unusual form (undefined for the usual form): shown, never a refusal. */
export function cardNumberNote(number: string, lang: 'en' | 'zh-TW'): string | undefined {
  if (cardNumberForm(number) === 'usual') return undefined;
  return lang === 'en'
    ? `an unusual card number form (${shape(number, 'en')}; most cards have 2 letters and 14 digits): shown as the card holds it`
    : `卡號格式較少見（${shape(number, 'zh-TW')}；多數卡片為 2 個英文字母加 14 位數字），依卡片內容顯示`;
}

/** The same, as a short tag beside the number where a line has no room (the TUI's card panel). */
export function cardNumberTag(number: string, lang: 'en' | 'zh-TW'): string | undefined {
  if (cardNumberForm(number) === 'usual') return undefined;
  return lang === 'en' ? '(unusual form)' : '（少見格式）';
}

export const CARD_NUMBER_RULE = {
  en: 'a card number is letters and digits, 12-16 characters',
  'zh-TW': '卡號為 12 至 16 個英文字母或數字',
} as const;
