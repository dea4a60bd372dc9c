/** The guidance panel: what to do about the verdict, one bullet per item. */
import type { GuidanceItem } from '../../check/types.js';
import { guidanceText } from '../messages.js';
import { paragraph, type Line } from '../text/lines.js';
import type { ViewContext } from './context.js';

export function guidanceLines(ctx: ViewContext, guidance: GuidanceItem[]): Line[] {
  return guidance
    .filter((item) => item.kind !== 'none')
    .flatMap((item) => paragraph(guidanceText(ctx.lang, item), ctx.width, item.kind === 'rewrite' ? 'warn' : undefined, { text: ctx.theme.glyph.bullet, tone: 'accent' }));
}
