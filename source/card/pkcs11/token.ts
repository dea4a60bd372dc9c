/**
 * Which token is the card. On the issuer's module the token serial is the card number and the label is
 * "HiCOS PKI Smart Card"; other modules (SoftHSM2 in tests) cannot set the serial, so a label that is a card
 * number counts too.
 */
import { MoicaError } from '../../errors.js';
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

/**
 * A MOICA card number: two upper-case letters and 13 or 14 digits (e.g. TP03130708163649). The cards
 * described in moica-card.md carry 14; one digit fewer is tolerated so that a shorter numbering is not
 * taken for "not a card". 16 characters is also the most a PKCS#11 token serial field holds.
 */
export const CARD_NUMBER = /^[A-Z]{2}[0-9]{13,14}$/;

export function isCardNumber(s: string): boolean {
  return CARD_NUMBER.test(s);
}

export function listTokens(m: Pkcs11Module): TokenSummary[] {
  try {
    return m.api.C_GetSlotList(true).map((slot) => {
      const info = m.api.C_GetTokenInfo(slot);
      return {
        slot, label: info.label.trimEnd(), serial: info.serialNumber.trimEnd(),
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

/** The card number a token stands for: its serial on the issuer's module, else its label. */
export function tokenCardNumber(t: TokenSummary): string {
  if (isCardNumber(t.serial)) return t.serial;
  if (isCardNumber(t.label)) return t.label;
  throw new MoicaError('not-moica', `PKCS#11 token "${t.label}" (serial ${t.serial}) is not a MOICA card: neither its `
    + 'serial nor its label is a card number (two letters and 13-14 digits).', { tokens: names([t]) });
}
