/**
 * The card tabs (issue 16): one per reader holding a card, shown above the main panels when there are two
 * or more. Each tab says its reader (shortened to fit: the head, then the tail that tells readers apart,
 * "Virtual…00 01") and how its card stands as a glyph (✔ A, ⚠ B-1, ✖ C or an error, … reading or
 * writing, · not read yet): a glyph, never a colour alone. The shown tab is marked with the selection glyph,
 * as the side bar marks its reader: both are the one selection.
 */
import { t } from '../../i18n/t.js';
import '../../i18n/ui.js';
import { tabReaders } from '../state/readers.js';
import type { AppState, TabState } from '../state/types.js';
import type { Glyphs, Tone } from '../theme.js';
import type { Line, Segment } from '../text/lines.js';
import { outside } from '../text/outside.js';
import { displayWidth, truncateToWidth } from '../text/width.js';
import type { ViewContext } from './context.js';

/** The glyph of a tab's state (the same glyphs as the verdict line: ✔ ⚠ ✖). */
export function tabGlyph(g: Glyphs, tab: TabState | undefined, spinner?: string): Segment {
  if (tab === undefined) return { text: g.stepTodo, tone: 'muted' };
  const busy: Segment = { text: spinner ?? g.ellipsis, tone: 'accent' };
  if (tab.rewrite.stage === 'running') return busy;
  if (tab.rewrite.stage === 'failed') return { text: g.error, tone: 'error' };
  const { card } = tab;
  switch (card.phase) {
    case 'idle':
      return { text: g.stepTodo, tone: 'muted' };
    case 'reading':
    case 'checking':
      return busy;
    case 'read-failed':
    case 'check-failed':
      return { text: g.error, tone: 'error' };
    case 'checked': {
      const v = card.result.verdict.verdict;
      const tone: Tone = v === 'A' ? 'ok' : v === 'B-1' ? 'warn' : 'error';
      return { text: v === 'A' ? g.ok : v === 'B-1' ? g.warn : g.error, tone };
    }
  }
}

/** The last characters of `text` that fit in `width` columns. */
function tailToWidth(text: string, width: number): string {
  const chars = [...text];
  let out = '';
  for (let i = chars.length - 1; i >= 0; i--) {
    if (displayWidth(chars[i]! + out) > width) break;
    out = chars[i]! + out;
  }
  return out;
}

/** A reader's name in `width` columns: whole when it fits, else its head and its tail (the slot numbers). */
export function shortName(name: string, width: number, ellipsis: string): string {
  if (displayWidth(name) <= width) return name;
  const e = displayWidth(ellipsis);
  if (width <= e) return tailToWidth(name, width);
  const tail = Math.min(5, width - e);
  const head = width - e - tail;
  const start = head > 0 ? truncateToWidth(name, head, '') : '';
  return `${start}${ellipsis}${tailToWidth(name, width - e - displayWidth(start))}`;
}

/** The tab of a reader: the shown one's from the state's own fields, a parked one's from the map. */
export function tabOf(state: AppState, reader: string): TabState | undefined {
  if (reader === state.readers.selected) return { card: state.card, rewrite: state.rewrite, rewritten: state.rewritten };
  return state.tabs[reader];
}

const GAP = 2;
/** The shortest name kept before tabs are left out (with a "+n" saying how many). */
const MIN_NAME = 6;

/** The tab bar in `ctx.width` columns, or null with fewer than two cards (no tabs then). */
export function tabBar(ctx: ViewContext, state: AppState): Line | null {
  const readers = tabReaders(state.readers);
  if (readers.length < 2) return null;
  const g = ctx.theme.glyph;
  const items = readers.map((reader) => {
    const shown = reader === state.readers.selected;
    const mark = shown ? g.selected : g.unselected;
    const glyph = tabGlyph(g, tabOf(state, reader), ctx.spinner);
    const name = outside(reader);
    return { reader, shown, mark, glyph, name, fixed: displayWidth(mark) + 1 + 1 + displayWidth(glyph.text) };
  });
  // As many tabs as fit with names of MIN_NAME columns at least, the shown one always among them.
  const at = Math.max(0, items.findIndex((i) => i.shown));
  let shown = items;
  let more = 0;
  const fits = (list: typeof items, extra: number): number => {
    const moreWidth = extra > 0 ? GAP + displayWidth(t(ctx.lang, 'tabs.more', { n: extra })) : 0;
    const room = ctx.width - moreWidth - GAP * (list.length - 1) - list.reduce((n, i) => n + i.fixed, 0);
    return Math.floor(room / list.length);
  };
  while (shown.length > 1 && fits(shown, items.length - shown.length) < MIN_NAME) {
    // Drop the tab farthest from the shown one.
    const first = items.indexOf(shown[0]!);
    const last = items.indexOf(shown.at(-1)!);
    shown = last - at >= at - first ? shown.slice(0, -1) : shown.slice(1);
    more = items.length - shown.length;
  }
  const width = Math.max(1, fits(shown, more));
  const line: Line = [];
  for (const item of shown) {
    if (line.length > 0) line.push({ text: ' '.repeat(GAP) });
    const tone = item.shown ? ('selected' as const) : undefined;
    line.push({ text: `${item.mark} `, tone }, { text: shortName(item.name, width, g.ellipsis), tone }, { text: ' ' }, item.glyph);
  }
  if (more > 0) line.push({ text: ' '.repeat(GAP) }, { text: t(ctx.lang, 'tabs.more', { n: more }), tone: 'muted' });
  return line;
}
