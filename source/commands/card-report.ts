/** A read card as cli.md prints it (`read --json` → `card`), and as plain text. */
import type { CardInfo, ReaderState } from '../card/types.js';
import { cardNumberForm, cardNumberNote } from '../domain/card-number.js';
import { atrName, looksLikeMoica } from '../card/moica.js';
import { taipeiDate } from '../text/dates.js';
import { t, type Lang } from '../i18n/t.js';
import type { ReportKey } from '../i18n/report.js';
import '../i18n/report.js';

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

/** A date unknown (the body of a torn write does not parse) shows as a dash. */
const day = (d: Date | null) => (d === null ? '—' : taipeiDate(d)); // Asia/Taipei, whatever TZ says

/** The labels of this report, in `lang` (i18n/report.ts). */
type Label = { [K in ReportKey]: K extends `report.${infer L}` ? L : never }[ReportKey];
const labels = (lang: Lang) => (key: Label) => t(lang, `report.${key}`);

export function cardText(reader: string, info: CardInfo, lang: Lang): string {
  const L = labels(lang);
  const note = cardNumberNote(info.number, lang);
  const lines = [`${L('reader')}: ${reader}`, `${L('number')}: ${info.number}${note ? ` (${note})` : ''}`, `${L('generation')}: ${info.generation}`];
  for (const c of info.certificates) {
    lines.push(`${L('slot')} ${c.slot} (${L(c.usage)}): ${L('serial')} ${c.serialNumber}, ${L('valid')} ${day(c.notBefore)} – ${day(c.notAfter)}${c.consistent ? '' : `  ${L('inconsistent')}`}`);
  }
  return `${lines.join('\n')}\n`;
}

export function readersText(readers: readonly ReaderState[], lang: Lang): string {
  const L = labels(lang);
  const known = (atr: string) => { const name = atrName(atr); return name ? `${L('moica')}, ${name}` : L('moica'); };
  return readers.map((r) => `${r.name}: ${r.atr === undefined ? L('noCard') : `${r.atr} (${looksLikeMoica(r.atr) ? known(r.atr) : L('other')})`}\n`).join('');
}
