/** The card panel: 卡號, 憑證序號 0/1 with usage, validity and days left (as on the issuer's page). */
import { cardNumberTag } from '../../domain/card-number.js';
import type { CardInfo } from '../../card/types.js';
import { t, errorText } from '../../i18n/t.js';
import { ON_SCREEN } from '../../i18n/screen.js';
import type { Line } from '../text/lines.js';
import { paragraph } from '../text/lines.js';
import type { CardState } from '../state/types.js';
import { outside } from '../text/outside.js';
import { daysBetween, isoDate, type ViewContext } from './context.js';

function noCardLines(ctx: ViewContext, state: CardState, readerCount: number, selected: string | null): Line[] | null {
  const { lang } = ctx;
  const g = ctx.theme.glyph;
  switch (state.phase) {
    case 'idle':
      if (readerCount === 0) return [[{ text: t(lang, 'card.noReader'), tone: 'muted' }]];
      if (selected === null) return [[{ text: t(lang, 'card.select'), tone: 'muted' }]];
      return [[{ text: `${g.cardOut} ${t(lang, 'card.noCard')}`, tone: 'muted' }]];
    case 'reading':
      return [[{ text: `${ctx.spinner ?? g.stepNow} ${t(lang, 'card.reading')}`, tone: 'muted' }]];
    case 'read-failed':
      return paragraph(errorText(lang, state.error, ON_SCREEN), ctx.width, 'error', { text: g.error, tone: 'error' });
    default:
      return null;
  }
}

export function cardLines(ctx: ViewContext, state: CardState, readerCount: number, selected: string | null): Line[] {
  return noCardLines(ctx, state, readerCount, selected) ?? describeCard(ctx, (state as { card: CardInfo }).card);
}

/** The card number alone (and what is torn), for a screen too small for the whole panel. */
export function compactCardLines(ctx: ViewContext, state: CardState, readerCount: number, selected: string | null): Line[] {
  const none = noCardLines(ctx, state, readerCount, selected);
  if (none !== null) return none.slice(0, 1);
  const card = (state as { card: CardInfo }).card;
  const lines = [numberLine(ctx, card)];
  if (!card.consistent) lines.push([{ text: `${ctx.theme.glyph.warn} ${t(ctx.lang, 'card.interrupted')}`, tone: 'warn' }]);
  return lines;
}

function numberLine(ctx: ViewContext, card: CardInfo): Line {
  const line: Line = [{ text: `${t(ctx.lang, 'card.number')}  `, tone: 'muted' }, { text: outside(card.number), tone: 'title' }];
  // A number of an unusual form (e.g. the manual's GP0000000615421) is read like any other, and marked.
  const tag = cardNumberTag(card.number, ctx.lang);
  if (tag !== undefined) line.push({ text: `  ${tag}`, tone: 'muted' });
  return line;
}

function describeCard(ctx: ViewContext, card: CardInfo): Line[] {
  const { lang } = ctx;
  const g = ctx.theme.glyph;
  const lines: Line[] = [numberLine(ctx, card)];
  // A directory torn by an interrupted rewrite: no slot can be named (the backup restores it).
  if (card.certificates.length === 0 && !card.consistent) {
    lines.push([{ text: `${g.warn} ${t(lang, 'card.directoryTorn')}`, tone: 'warn' }]);
    return lines;
  }
  for (const cert of [...card.certificates].sort((a, b) => a.slot - b.slot)) {
    const label = { text: `${t(lang, 'card.serial', { slot: cert.slot })}  `, tone: 'muted' as const };
    // A slot an interrupted rewrite left torn: its serial and dates are not what is on the card (the body
    // does not match the directory), so none is shown, only what happened and that r finishes it.
    if (!cert.consistent) {
      lines.push([label, { text: `${g.warn} ${t(lang, 'card.slotTorn')}`, tone: 'warn' }]);
      continue;
    }
    lines.push([label, { text: outside(cert.serialNumber), tone: 'title' }, { text: `  ${t(lang, `card.usage.${cert.usage}`)}` }]);
    const date = (d: Date | null) => (d === null ? '—' : isoDate(d));
    const days = cert.notAfter === null ? null : daysBetween(ctx.now, cert.notAfter);
    const validity = { text: t(lang, 'card.validity', { from: date(cert.notBefore), to: date(cert.notAfter) }), tone: 'muted' as const };
    if (days === null) lines.push([{ text: '  ' }, validity]);
    else {
      const left = days >= 0 ? t(lang, 'card.daysLeft', { days }) : t(lang, 'card.expiredAgo', { days: -days });
      lines.push([{ text: '  ' }, validity, { text: `${g.sep}${left}`, tone: days < 0 ? 'error' : days <= 60 ? 'warn' : 'muted' }]);
    }
  }
  return lines;
}
