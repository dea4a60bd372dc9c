/**
 * The PKCS#11 backend's entry point: open the module, find the card's token, read it as a card, hand out
 * its CardWriter, and C_Finalize on close.
 */
import type { CardInfo } from '../types.js';
import { openModule, type OpenModuleOptions, type Pkcs11Module } from './module.js';
import { readToken } from './read.js';
import { listTokens, selectToken, tokenCardNumberOf, type TokenSummary, type TokenWanted } from './token.js';
import { Pkcs11Writer, type WriterOptions } from '../writers/pkcs11.js';

export { certificateMatchesKey } from './key-match.js';
export { CARD_NUMBER, isCardNumber } from './token.js';
export type { WriteStep, WriterOptions } from '../writers/pkcs11.js';
export { Pkcs11Writer } from '../writers/pkcs11.js';

export interface Pkcs11CardOptions extends TokenWanted, OpenModuleOptions {
  /** --pkcs11-module / MOICA_PKCS11_MODULE */
  modulePath: string;
}

export interface Pkcs11Card {
  readonly token: Omit<TokenSummary, 'slot'>;
  /** The token as a card; never changes the token. */
  read(): Promise<CardInfo>;
  writer(options?: WriterOptions): Pkcs11Writer;
  /** Ends open writers' sessions and C_Finalizes the module. */
  close(): Promise<void>;
}

export async function openPkcs11Card(options: Pkcs11CardOptions): Promise<Pkcs11Card> {
  const m: Pkcs11Module = await openModule(options.modulePath, options);
  try {
    const token = selectToken(listTokens(m), options);
    const writers: Pkcs11Writer[] = [];
    const { slot: _slot, ...visible } = token;
    return {
      token: visible,
      read: async () => readToken(m, token),
      writer(writerOptions) {
        const w = new Pkcs11Writer(m, token, writerOptions);
        writers.push(w);
        return w;
      },
      async close() {
        for (const w of writers.splice(0)) await w.end();
        m.close();
      },
    };
  } catch (e) {
    m.close();
    throw e;
  }
}

export interface TokenListing {
  label: string;
  serial: string;
  manufacturer: string;
  model: string;
  /** The card number it stands for, or null when neither serial nor label is one. */
  cardNumber: string | null;
}

/** For `doctor` and `readers`: does the module load, and which tokens does it show? */
export async function listPkcs11Tokens(modulePath: string, options: OpenModuleOptions = {}): Promise<TokenListing[]> {
  const m = await openModule(modulePath, options);
  try {
    return listTokens(m).map(({ label, serial, manufacturer, model }) => ({
      label, serial, manufacturer, model,
      cardNumber: tokenCardNumberOf({ serial, label }) ?? null,
    }));
  } finally {
    m.close();
  }
}
