/**
 * Which token is the card. On the issuer's module the token serial is the card number and the label is
 * "HiCOS PKI Smart Card"; other modules (SoftHSM2 in tests) cannot set the serial, so a label that is a card
 * number counts too.
 */
import { MoicaError } from '../../errors.js';
import { CARD_NUMBER, CARD_NUMBER_RULE, cardNumberForm, isCardNumber, stripCardNumberPadding } from '../../domain/card-number.js';
import { pkcs11Failure } from './failure.js';
import type { Handle, Pkcs11Module } from './module.js';

export interface TokenSummary {
  slot: Handle;
  /** Trailing blanks removed (PKCS#11 pads these fields). */
  label: string;
  serial: string;
  manufacturer: string;
  model: string;
  flags: number;
}

/** The one card-number rule (domain/card-number.ts); 16 characters is also the most a token serial field holds. */
export { CARD_NUMBER, isCardNumber };

export function listTokens(m: Pkcs11Module): TokenSummary[] {
  try {
    return m.api.C_GetSlotList(true).map((slot) => {
      const info = m.api.C_GetTokenInfo(slot);
      return {
        // PKCS#11 pads with spaces; a module may also leave NULs: the card-number rule strips both.
        slot, label: stripCardNumberPadding(info.label), serial: stripCardNumberPadding(info.serialNumber),
        manufacturer: info.manufacturerID.trimEnd(), model: info.model.trimEnd(), flags: info.flags,
      };
    // A slot with a blank token (SoftHSM keeps one free) is not a card.
    }).filter((t) => (t.flags & m.lib.CKF_TOKEN_INITIALIZED) !== 0);
  } catch (e) {
    throw pkcs11Failure(m.lib, e, 'token listing');
  }
}

export interface TokenWanted {
  /** --pkcs11-token: a serial or a label, matched exactly (after trimming the padding). */
  token?: string;
  /** The card number read over PC/SC: the token must be that card. */
  cardNumber?: string;
}

function names(tokens: TokenSummary[]): string[] {
  return tokens.map((t) => `${t.label} (serial ${t.serial})`);
}

export function selectToken(tokens: TokenSummary[], wanted: TokenWanted): TokenSummary {
  const is = (t: TokenSummary, key: string | undefined) => key === undefined || t.serial === key || t.label === key;
  // Both given: the named token must also be the card in the reader, or a write could go to another card.
  const matches = tokens.filter((t) => is(t, wanted.token) && is(t, wanted.cardNumber));
  const first = matches[0];
  if (matches.length === 1 && first) return first;
  const detail = { tokens: names(tokens) };
  if (matches.length === 0) {
    const what = [wanted.token !== undefined ? `with serial or label "${wanted.token}"` : '',
      wanted.cardNumber !== undefined ? `for card ${wanted.cardNumber}` : ''].filter(Boolean).join(' ') || 'at all';
    throw new MoicaError('no-card', `The PKCS#11 module shows no token ${what}.`
      + (tokens.length ? ` Tokens present: ${names(tokens).join('; ')}.` : ' Is the card in the reader?'), detail);
  }
  if (wanted.token !== undefined) {
    throw new MoicaError('usage', `--pkcs11-token "${wanted.token}" matches ${matches.length} tokens; give a token serial: `
      + `${names(matches).join('; ')}.`, detail);
  }
  throw new MoicaError('reader-ambiguous', `${matches.length} PKCS#11 tokens could be the card; choose one with `
    + `--pkcs11-token: ${names(matches).join('; ')}.`, detail);
}

/**
 * The card number a token stands for, or undefined: its serial on the issuer's module, else its label
 * (SoftHSM2 in tests cannot set a serial). A usual-form number wins over an unusual one in the other field.
 */
export function tokenCardNumberOf(t: Pick<TokenSummary, 'serial' | 'label'>): string | undefined {
  const candidates = [t.serial, t.label].filter(isCardNumber);
  return candidates.find((c) => cardNumberForm(c) === 'usual') ?? candidates[0];
}

export function tokenCardNumber(t: TokenSummary): string {
  const number = tokenCardNumberOf(t);
  if (number !== undefined) return number;
  throw new MoicaError('not-moica', `PKCS#11 token "${t.label}" (serial ${t.serial}) is not a MOICA card: neither its `
    + `serial nor its label is a card number (${CARD_NUMBER_RULE.en}).`, { tokens: names([t]) });
}
