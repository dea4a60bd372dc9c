/** The guidance panel: what to do about the verdict, one bullet per item; the helpline is pinned last. */
import type { GuidanceItem } from '../../check/types.js';
import { guidanceText } from '../../i18n/screen.js';
import { paragraph, type Line } from '../text/lines.js';
import type { ViewContext } from './context.js';
import type { Block } from './block.js';

function itemLines(ctx: ViewContext, item: GuidanceItem): Line[] {
  return paragraph(guidanceText(ctx.lang, item), ctx.width, item.kind === 'rewrite' ? 'warn' : undefined, { text: ctx.theme.glyph.bullet, tone: 'accent' });
}

export function guidanceLines(ctx: ViewContext, guidance: GuidanceItem[]): Line[] {
  return guidanceBlock(ctx, guidance).lines;
}

/** The helpline goes last and never scrolls away (`tail`). */
export function guidanceBlock(ctx: ViewContext, guidance: GuidanceItem[]): Block {
  const items = guidance.filter((item) => item.kind !== 'none');
  const helpline = items.filter((item) => item.kind === 'helpline');
  const rest = items.filter((item) => item.kind !== 'helpline');
  const tail = helpline.flatMap((item) => itemLines(ctx, item));
  return { lines: [...rest.flatMap((item) => itemLines(ctx, item)), ...tail], tail: tail.length };
}
