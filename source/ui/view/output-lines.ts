/**
 * The Output panel (issue 16): the engine's event log as lines, newest at the bottom, scrolled back
 * `back` lines from the newest (0 follows the log). Its size: a third of the terminal, at least 5 rows;
 * under 20 rows it takes the whole screen above the status bar instead. Every line's text goes through
 * sanitize() here too (the engine already did; this is the gate before the screen).
 */
import { sanitize } from '../../text/sanitize.js';
import { taipeiClock } from '../../text/dates.js';
import type { EventLine } from '../engine.js';
import { t } from '../../i18n/t.js';
import '../../i18n/ui.js';
import type { Line } from '../text/lines.js';
import type { Tone } from '../theme.js';
import type { ViewContext } from './context.js';
import type { PanelModel } from './layout.js';
import { bottomSeq } from '../state/overlays.js';

/** Below this many rows the Output panel takes the whole screen. */
export const OUTPUT_FULL_BELOW = 20;
export const OUTPUT_MIN_ROWS = 5;

export interface OutputLayout {
  full: boolean;
  /** Terminal rows the panel takes, its frame included (0 when full: it has the screen). */
  rows: number;
}

export function outputLayout(rows: number): OutputLayout {
  if (rows < OUTPUT_FULL_BELOW) return { full: true, rows: 0 };
  return { full: false, rows: Math.max(OUTPUT_MIN_ROWS, Math.floor(rows / 3)) };
}

/** Content lines the panel shows (its frame or heading takes `chrome`). */
export function outputHeight(layout: OutputLayout, rows: number, statusLines: number, chrome: number): number {
  const total = layout.full ? rows - 1 - statusLines : layout.rows;
  return Math.max(1, total - chrome);
}

/** Times as Taiwan reads them, whatever TZ says (the project's rule for dates shown to a person). */
export function timeOf(at: number): string {
  return taipeiClock(at);
}

const TONES: Record<EventLine['level'], Tone> = { info: 'plain', ok: 'ok', warn: 'warn', error: 'error' };

export function eventLine(line: EventLine): Line {
  return [
    { text: `${timeOf(line.at)} `, tone: 'muted' },
    { text: `${line.source.padEnd(7)} `, tone: 'accent' },
    { text: sanitize(line.text), tone: TONES[line.level] },
  ];
}

/** The lines on screen: `height` of them ending at the seq `bottom`. */
export function outputLines(ctx: ViewContext, lines: readonly EventLine[], bottom: number, height: number): Line[] {
  if (lines.length === 0) return [[{ text: t(ctx.lang, 'output.empty'), tone: 'muted' }]];
  const end = bottom - lines[0]!.seq + 1;
  return lines.slice(Math.max(0, end - height), end).map(eventLine);
}

/** The panel for the ring's `lines`, scrolled to `anchor` (state/overlays.ts; null follows the newest). */
export function outputPanel(ctx: ViewContext, lines: readonly EventLine[], anchor: number | null, height: number): PanelModel {
  const first = lines[0]?.seq ?? 1;
  const last = lines.at(-1)?.seq ?? 0;
  const bottom = bottomSeq(anchor, first, last, height);
  const parts = [t(ctx.lang, 'output.title'), t(ctx.lang, 'output.count', { n: lines.length })];
  if (first > 1) parts.push(t(ctx.lang, 'output.dropped', { n: first - 1 }));
  if (last - bottom > 0) parts.push(t(ctx.lang, 'output.back', { n: last - bottom }));
  return { id: 'output', title: parts.join(ctx.theme.glyph.sep), lines: outputLines(ctx, lines, bottom, height), shrinkOrder: 6 };
}

/** Exactly `height` lines: the panel keeps its height as lines arrive (Ink drops an empty Text, so pad with a space). */
export function padLines(lines: Line[], height: number): Line[] {
  return [...lines.slice(0, height), ...Array.from({ length: Math.max(0, height - lines.length) }, (): Line => [{ text: ' ' }])];
}
