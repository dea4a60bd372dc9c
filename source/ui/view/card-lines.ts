/** The card panel: 卡號, 憑證序號 0/1 with usage, validity and days left (as on the issuer's page). */
import { cardNumberTag } from '../../card/card-number.js';
import type { CardInfo } from '../../card/types.js';
import { ui } from '../i18n.js';
import type { Line } from '../text/lines.js';
import type { CardState } from '../state/types.js';
import { errorText } from '../messages.js';
import { daysBetween, isoDate, type ViewContext } from './context.js';

export function cardLines(ctx: ViewContext, state: CardState, readerCount: number, selected: string | null): Line[] {
  const { lang } = ctx;
  const g = ctx.theme.glyph;
  switch (state.phase) {
    case 'idle':
      if (readerCount === 0) return [[{ text: ui(lang, 'card.noReader'), tone: 'muted' }]];
      if (selected === null) return [[{ text: ui(lang, 'card.select'), tone: 'muted' }]];
      return [[{ text: `${g.cardOut} ${ui(lang, 'card.noCard')}`, tone: 'muted' }]];
    case 'reading':
      return [[{ text: ui(lang, 'card.reading'), tone: 'muted' }]];
    case 'read-failed':
      return [[{ text: `${g.error} ${errorText(lang, state.error)}`, tone: 'error' }]];
    default:
      return describeCard(ctx, state.card);
  }
}

function describeCard(ctx: ViewContext, card: CardInfo): Line[] {
  const { lang } = ctx;
  const lines: Line[] = [[{ text: `${ui(lang, 'card.number')}  `, tone: 'muted' }, { text: card.number, tone: 'title' }]];
  // A number of an unusual form (e.g. the manual's GP0000000615421) is read like any other, and marked.
  const tag = cardNumberTag(card.number, lang);
  if (tag !== undefined) lines[0]!.push({ text: `  ${tag}`, tone: 'muted' });
  for (const cert of [...card.certificates].sort((a, b) => a.slot - b.slot)) {
    lines.push([
      { text: `${ui(lang, 'card.serial', { slot: cert.slot })}  `, tone: 'muted' },
      { text: cert.serialNumber, tone: 'title' },
      { text: `  ${ui(lang, `card.usage.${cert.usage}`)}` },
    ]);
    // Dates are unknown (null) only for a body a torn write left unparseable: shown as dashes.
    const date = (d: Date | null) => (d === null ? '—' : isoDate(d));
    const days = cert.notAfter === null ? null : daysBetween(ctx.now, cert.notAfter);
    const validity = { text: ui(lang, 'card.validity', { from: date(cert.notBefore), to: date(cert.notAfter) }), tone: 'muted' as const };
    if (days === null) lines.push([{ text: '  ' }, validity]);
    else {
      const left = days >= 0 ? ui(lang, 'card.daysLeft', { days }) : ui(lang, 'card.expiredAgo', { days: -days });
      lines.push([{ text: '  ' }, validity, { text: `${ctx.theme.glyph.sep}${left}`, tone: days < 0 ? 'error' : days <= 60 ? 'warn' : 'muted' }]);
    }
    if (!cert.consistent) lines.push([{ text: `  ${ctx.theme.glyph.warn} ${ui(lang, 'card.inconsistent')}`, tone: 'warn' }]);
  }
  return lines;
}
