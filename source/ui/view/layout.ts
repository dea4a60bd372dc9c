/**
 * Fits the panels into the terminal: never more than rows - 1 lines (a full-height frame makes Ink 6
 * clear the screen on every render), never wider than the columns. Wide terminals get a reader side bar
 * beside the main column; narrow ones (< 70 columns) stack everything without side borders.
 */
import { ui } from '../i18n.js';
import type { Line } from '../text/lines.js';
import type { ViewContext } from './context.js';

export const NARROW_BELOW = 70;
/** Lines a panel costs besides its content: framed = titled top edge + bottom border; stacked = a heading. */
export const FRAMED_CHROME = 2;
export const STACKED_CHROME = 1;

export interface PanelModel {
  id: string;
  title: string;
  lines: Line[];
  /** Lower numbers give up lines first when the screen is short. */
  shrinkOrder: number;
}

/** How many content lines each panel keeps so that the total fits `budget`. */
export function fitHeights(panels: PanelModel[], budget: number, chrome: number): number[] {
  const heights = panels.map((p) => Math.max(1, p.lines.length));
  let over = heights.reduce((a, b) => a + b + chrome, 0) - budget;
  const order = panels.map((p, i) => ({ i, o: p.shrinkOrder })).sort((a, b) => a.o - b.o);
  for (const { i } of order) {
    if (over <= 0) break;
    const give = Math.min(over, heights[i]! - 1);
    heights[i]! -= give;
    over -= give;
  }
  return heights;
}

/** Keep `height` lines; when some are cut, the last kept one says how many. */
export function clip(ctx: ViewContext, lines: Line[], height: number): Line[] {
  if (lines.length <= height) return lines;
  const kept = lines.slice(0, Math.max(0, height - 1));
  const hidden = lines.length - kept.length;
  return [...kept, [{ text: `${ctx.theme.glyph.ellipsis} ${ui(ctx.lang, 'guidance.more', { n: hidden })}`, tone: 'muted' }]];
}

export function sidebarWidth(columns: number): number {
  return Math.max(22, Math.min(34, Math.round(columns * 0.3)));
}
