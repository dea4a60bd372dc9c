/**
 * The layout's measures: never more than rows - 1 lines (a full-height frame makes Ink 6 clear the screen
 * on every render), never wider than the columns. Wide terminals may get a reader side bar beside the main
 * column; narrow ones (< 70 columns) stack everything without side borders (screen-layout.ts decides).
 */

export const NARROW_BELOW = 70;
/** Lines a panel costs besides its content: framed = titled top edge + bottom border; stacked = a heading. */
export const FRAMED_CHROME = 2;
export const STACKED_CHROME = 1;

/** A titled panel of lines (the palette overlay hands one to the layout). */
export interface PanelModel {
  id: string;
  title: string;
  lines: import('../text/lines.js').Line[];
  /** Lower numbers give up lines first when the screen is short. */
  shrinkOrder: number;
}

export function sidebarWidth(columns: number): number {
  return Math.max(22, Math.min(34, Math.round(columns * 0.3)));
}
