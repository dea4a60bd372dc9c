/** A read card as cli.md prints it (`read --json` → `card`), and as plain text. */
import type { CardInfo, ReaderState } from '../card/types.js';
import { cardNumberForm, cardNumberNote } from '../domain/card-number.js';
import { atrName, looksLikeMoica } from '../card/moica.js';
import { taipeiDate } from '../text/dates.js';

export function cardJson(info: CardInfo): Record<string, unknown> {
  return {
    number: info.number,
    /** "unusual": within the rule (letters and digits, 12-16) but not two letters and 14 digits: read all the same. */
    numberForm: cardNumberForm(info.number),
    generation: info.generation,
    atr: info.atr,
    virtual: info.virtual,
    consistent: info.consistent,
    certificates: info.certificates.map((c) => ({
      slot: c.slot,
      usage: c.usage,
      serialNumber: c.serialNumber,
      subject: c.subject,
      issuer: c.issuer,
      notBefore: c.notBefore,
      notAfter: c.notAfter,
      consistent: c.consistent,
    })),
  };
}

export function readerJson(r: ReaderState): Record<string, unknown> {
  return {
    name: r.name,
    cardPresent: r.cardPresent,
    atr: r.atr ?? null,
    // By the ATR alone: true for a known MOICA ATR; null when it is not known (the listing does not probe,
    // and the probe, not the ATR, decides: `read` tries any card). Never false on the ATR's word.
    moica: r.atr === undefined || !looksLikeMoica(r.atr) ? null : true,
    atrName: r.atr === undefined ? null : atrName(r.atr) ?? null,
  };
}

const LABELS = {
  en: { reader: 'Reader', number: 'Card number', generation: 'Generation', slot: 'Certificate', serial: 'serial', valid: 'valid', inconsistent: 'INCONSISTENT (interrupted rewrite?)', signature: 'signature', encryption: 'encryption', noCard: 'no card', moica: 'MOICA card', other: 'ATR not on the list of MOICA cards: `read` tries it' },
  'zh-TW': { reader: '讀卡機', number: '卡號', generation: '世代', slot: '憑證序號', serial: '序號', valid: '效期', inconsistent: '不一致（憑證重寫中斷？）', signature: '簽章', encryption: '加密', noCard: '無卡片', moica: '自然人憑證', other: 'ATR 不在自然人憑證清單中：`read` 會實際讀取判斷' },
} as const;

/** A date unknown (the body of a torn write does not parse) shows as a dash. */
const day = (d: Date | null) => (d === null ? '—' : taipeiDate(d)); // Asia/Taipei, whatever TZ says

export function cardText(reader: string, info: CardInfo, lang: 'en' | 'zh-TW'): string {
  const L = LABELS[lang];
  const note = cardNumberNote(info.number, lang);
  const lines = [`${L.reader}: ${reader}`, `${L.number}: ${info.number}${note ? ` (${note})` : ''}`, `${L.generation}: ${info.generation}`];
  for (const c of info.certificates) {
    lines.push(`${L.slot} ${c.slot} (${L[c.usage]}): ${L.serial} ${c.serialNumber}, ${L.valid} ${day(c.notBefore)} – ${day(c.notAfter)}${c.consistent ? '' : `  ${L.inconsistent}`}`);
  }
  return `${lines.join('\n')}\n`;
}

export function readersText(readers: readonly ReaderState[], lang: 'en' | 'zh-TW'): string {
  const L = LABELS[lang];
  const known = (atr: string) => { const name = atrName(atr); return name ? `${L.moica}, ${name}` : L.moica; };
  return readers.map((r) => `${r.name}: ${r.atr === undefined ? L.noCard : `${r.atr} (${looksLikeMoica(r.atr) ? known(r.atr) : L.other})`}\n`).join('');
}
