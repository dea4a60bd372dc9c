/**
 * Lays the whole screen out, as data (the Screen component only renders it; the App reads the scroll
 * bounds from it). Nothing that matters is cut: a screen too small for everything re-flows first, in this
 * order, and only then scrolls one panel (the focus: the help, the rewrite, or the result and guidance):
 *
 *   1. side bar beside framed panels (≥ 70 columns), when everything fits;
 *   2. stacked (side bar hidden: the readers become a line), no side borders;
 *   3. the readers line dropped (the status bar still says PC/SC);
 *   4. the card panel down to the card number (and a torn slot's warning);
 *   5. the result and the guidance merged into one panel (or, with the rewrite open, the result down to
 *      its verdict line);
 *   6. the focus panel scrolls (PgUp/PgDn/space), with a line that says how much is above and below.
 *
 * Lines a block pins (its `head` and `tail`: the verdict line, the helpline, the PIN prompt) never scroll
 * away, and no line is ever wider than the terminal (every text is wrapped by display width, not cut).
 */
import type { ScenarioName } from '../../options.js';
import type { CrlDownload } from '../engine.js';
import { t } from '../../i18n/t.js';
import '../../i18n/ui.js';
import type { KeyContext } from '../keymap.js';
import type { AppState } from '../state/types.js';
import type { Theme } from '../theme.js';
import type { Line } from '../text/lines.js';
import { cardLines, compactCardLines } from './card-lines.js';
import type { Block } from './block.js';
import type { ViewContext } from './context.js';
import { guidanceBlock } from './guidance-lines.js';
import { helpLines } from './help-lines.js';
import { FRAMED_CHROME, NARROW_BELOW, STACKED_CHROME, sidebarWidth, type PanelModel } from './layout.js';
import { readerLines, scenarioLines } from './reader-lines.js';
import { resultBlock } from './result-lines.js';
import { rewriteBlock } from './rewrite-lines.js';
import { hintLine, serviceLine } from './status-lines.js';
import { scenarioName } from './reader-lines.js';
import { tabReaders } from '../state/readers.js';
import { tabBar } from './tab-lines.js';

export interface LaidPanel {
  id: string;
  title: string;
  lines: Line[];
}

export interface ScreenLayout {
  /** Side bar + framed panels; false: stacked, no side borders. */
  wide: boolean;
  sideWidth: number;
  mainWidth: number;
  side: LaidPanel | null;
  /** The card tabs (two or more readers holding a card), one line atop the main column; null: no tabs. */
  tabs: Line | null;
  panels: LaidPanel[];
  status: Line[];
  /** The keys' context the status bar's hints were chosen for: the input's, with canScroll decided here. */
  keys: KeyContext;
  /**
   * The focus panel's scroll: the offset (from the start, or from the end for an end-anchored block), the
   * largest one, and a page. max 0: nothing to scroll.
   */
  scroll: { offset: number; max: number; page: number; anchor: 'start' | 'end' };
}

export interface LayoutInput {
  state: AppState;
  theme: Theme;
  columns: number;
  rows: number;
  now: Date;
  /** Its canScroll is decided by the layout (the focus panel scrolls, and `pageKeys`). */
  keys: Omit<KeyContext, 'canScroll'>;
  /** false: the page keys are never hinted (a full-screen Output panel hides the screens: nothing to page). */
  pageKeys?: boolean;
  scenarios: readonly ScenarioName[];
  demoPin?: string;
  /** The spinner's frame while something runs. */
  spinner?: string;
  /** The CRL download the shown check waits on. */
  crl?: CrlDownload;
  /** The command palette (view/palette.ts): replaces the main column's panels while open. */
  overlay?: (ctx: ViewContext, room: number) => PanelModel;
  /** Rows the Output panel takes below the screens (view/output-lines.ts); the screens fit in the rest. */
  bottomRows?: number;
}

export const STATUS_LINES = 2;

interface Model {
  id: string;
  title: string;
  block: Block;
}

const cost = (models: Model[], chrome: number): number => models.reduce((n, m) => n + Math.max(1, m.block.lines.length) + chrome, 0);

/** The focus panel cut to `room` lines at `offset`, its pinned lines kept, one line saying what is hidden. */
export function windowBlock(ctx: ViewContext, block: Block, room: number, offset: number): { lines: Line[]; offset: number; max: number; page: number; anchor: 'start' | 'end' } {
  const { lines } = block;
  if (lines.length <= room) return { lines, offset: 0, max: 0, page: 1, anchor: block.anchor ?? 'start' };
  let head = block.head ?? 0;
  let tail = block.tail ?? 0;
  // Too small for the pinned lines and a line of body: the tail's first lines, then the head, scroll.
  while (tail > 0 && room - head - tail < 2) tail--;
  if (room - head - tail < 2) head = 0;
  const body = lines.slice(head, lines.length - tail);
  const visible = Math.max(1, room - head - tail - 1);
  const max = Math.max(0, body.length - visible);
  // The offset counts from the top; an end-anchored block starts at the bottom and scrolls up.
  const at = block.anchor === 'end' ? max - Math.min(Math.max(0, offset), max) : Math.min(Math.max(0, offset), max);
  const above = at;
  const below = body.length - visible - at;
  const g = ctx.theme.glyph;
  const indicator: Line =
    below > 0 && above > 0
      ? [{ text: `${g.more} ${t(ctx.lang, 'scroll.both', { below, above, up: g.moreAbove })}`, tone: 'accent' }]
      : below > 0
        ? [{ text: `${g.more} ${t(ctx.lang, 'scroll.below', { n: below })}`, tone: 'accent' }]
        : [{ text: `${g.moreAbove} ${t(ctx.lang, 'scroll.above', { n: above })}`, tone: 'accent' }];
  return {
    lines: [...lines.slice(0, head), ...body.slice(at, at + visible), indicator, ...lines.slice(lines.length - tail)],
    offset: block.anchor === 'end' ? max - at : at,
    max,
    page: Math.max(1, visible - 1),
    anchor: block.anchor ?? 'start',
  };
}

/**
 * The screen laid out once: the panels first, then the status bar, whose hints include the page keys when
 * the focus panel the layout chose scrolls (the panels do not depend on the hints: the bar has STATUS_LINES).
 */
export function layoutScreen(input: LayoutInput): ScreenLayout {
  const body = layoutPanels(input);
  const keys: KeyContext = { ...input.keys, canScroll: body.scroll.max > 0 && (input.pageKeys ?? true) };
  const { state, theme, columns, now, spinner } = input;
  const ctx: ViewContext = { lang: state.lang, theme, width: columns, now, ...(spinner === undefined ? {} : { spinner }) };
  // The tab bar sits atop the main column, indented as the panels' text is.
  const bar = hasTabs(state) ? tabBar({ ...ctx, width: (body.wide ? body.mainWidth : columns) - 1 }, state) : null;
  return { ...body, tabs: bar === null ? null : [{ text: ' ' }, ...bar], status: [hintLine(ctx, keys), serviceLine(ctx, state, keys.demo)], keys };
}

/** Two or more readers hold a card: the main column starts with their tabs (one line). */
function hasTabs(state: AppState): boolean {
  return tabReaders(state.readers).length >= 2;
}

function layoutPanels(input: LayoutInput): Omit<ScreenLayout, 'status' | 'keys' | 'tabs'> {
  const { state, theme, columns, rows, now, keys, scenarios, demoPin, overlay, spinner, crl } = input;
  const lang = state.lang;
  const ctx = (width: number): ViewContext => ({ lang, theme, width, now, ...(spinner === undefined ? {} : { spinner }), ...(crl === undefined ? {} : { crl }) });
  const budget = Math.max(1, rows - 1 - STATUS_LINES - (input.bottomRows ?? 0) - (hasTabs(state) ? 1 : 0));
  const helpOpen = state.help.open;
  const offset = helpOpen ? state.help.scroll : state.scroll;
  const rewriting = state.rewrite.stage !== 'idle';

  // The models at one content width (wrapping depends on it).
  const models = (inner: number, stacked: boolean) => {
    const c = ctx(inner);
    const readers: Model = { id: 'readers', title: t(lang, 'readers.title'), block: { lines: readerLines(c, state, stacked) } };
    // A scenario switch hides the old card: the highlight and the panels never disagree.
    const switching: Line[] = [[{ text: `${spinner ?? theme.glyph.stepNow} ${t(lang, 'app.switching', { scenario: scenarioName(lang, state.scenario) })}`, tone: 'accent' }]];
    const cardBlock = state.switching ? switching : cardLines(c, state.card, state.readers.list.length, state.readers.selected);
    const card: Model = { id: 'card', title: t(lang, 'card.title'), block: { lines: cardBlock } };
    const cardCompact: Model = { ...card, block: { lines: state.switching ? switching : compactCardLines(c, state.card, state.readers.list.length, state.readers.selected) } };
    const resultFull: Block = state.switching ? { lines: [[{ text: t(lang, 'result.none'), tone: 'muted' }]], head: 1 } : resultBlock(c, state);
    const result: Model = { id: 'result', title: t(lang, 'result.title'), block: resultFull };
    const resultCompact: Model = { ...result, block: { lines: resultFull.lines.slice(0, Math.max(1, resultFull.head ?? 1)) } };
    let focus: Model | null = null;
    if (helpOpen) focus = { id: 'help', title: t(lang, 'help.title'), block: { lines: helpLines(c, keys.demo) } };
    else if (rewriting) focus = { id: 'rewrite', title: t(lang, 'rewrite.title'), block: rewriteBlock(c, state.rewrite, demoPin === undefined ? {} : { demoPin }) };
    else if (!state.switching && (state.card.phase === 'checked' || (state.card.phase === 'checking' && state.card.previous !== undefined))) {
      const result = state.card.phase === 'checked' ? state.card.result : state.card.previous!;
      const g = guidanceBlock(c, result.guidance);
      if (g.lines.length > 0) focus = { id: 'guidance', title: t(lang, 'guidance.title'), block: g };
    }
    // Result and guidance as one panel: the verdict line pinned on top, the helpline at the bottom.
    const merged: Model | null =
      focus?.id === 'guidance'
        ? {
            id: 'result',
            title: `${t(lang, 'result.title')}${theme.glyph.sep}${t(lang, 'guidance.title')}`,
            block: { lines: [...resultFull.lines, ...focus.block.lines], head: resultFull.head ?? 1, tail: focus.block.tail ?? 0 },
          }
        : null;
    return { readers, card, cardCompact, result, resultCompact, focus, merged };
  };

  // The palette takes the main column (beside the side bar when there is room), sized by itself.
  if (overlay !== undefined) {
    const wide = columns >= NARROW_BELOW;
    const sideWidth = wide ? sidebarWidth(columns) : 0;
    const mainWidth = columns - sideWidth;
    const chrome = wide ? FRAMED_CHROME : STACKED_CHROME;
    const panel = overlay(ctx(wide ? mainWidth - 4 : columns - 1), Math.max(1, budget - chrome));
    const side: LaidPanel | null = wide ? { id: 'readers', title: t(lang, 'readers.title'), lines: readerLines(ctx(sideWidth - 4), state, false).slice(0, Math.max(1, budget - chrome)) } : null;
    return { wide, sideWidth, mainWidth, side, panels: [{ id: panel.id, title: panel.title, lines: panel.lines.slice(0, Math.max(1, budget - chrome)) }], scroll: { offset: 0, max: 0, page: 1, anchor: 'start' } };
  }

  // 1. Side bar and framed panels, when everything fits as it is.
  if (columns >= NARROW_BELOW) {
    const sideWidth = sidebarWidth(columns);
    const mainWidth = columns - sideWidth;
    const m = models(mainWidth - 4, false);
    const main = helpOpen ? [m.focus!] : [m.card, m.result, ...(m.focus ? [m.focus] : [])];
    const fits = cost(main, FRAMED_CHROME) <= budget;
    if (fits || helpOpen) {
      const sideCtx = ctx(sideWidth - 4);
      const sideLines = [
        ...readerLines(sideCtx, state, false),
        ...(keys.demo ? [[{ text: '' }], ...scenarioLines(sideCtx, scenarios, state.scenario)] : []),
      ];
      const side: LaidPanel = { id: 'readers', title: t(lang, 'readers.title'), lines: windowBlock(sideCtx, { lines: sideLines }, Math.max(1, budget - FRAMED_CHROME), 0).lines };
      let scroll: ScreenLayout['scroll'] = { offset: 0, max: 0, page: 1, anchor: 'start' };
      const panels = main.map((p): LaidPanel => {
        if (!helpOpen) return { id: p.id, title: p.title, lines: p.block.lines };
        const w = windowBlock(ctx(mainWidth - 4), p.block, Math.max(1, budget - FRAMED_CHROME), offset);
        scroll = { offset: w.offset, max: w.max, page: w.page, anchor: w.anchor };
        return { id: p.id, title: p.title, lines: w.lines };
      });
      return { wide: true, sideWidth, mainWidth, side, panels, scroll };
    }
  }

  // 2-5. Stacked, fewer and smaller panels until it fits.
  const m = models(columns - 1, true);
  const levels: Model[][] = helpOpen
    ? [[m.focus!]]
    : [
        [m.readers, m.card, m.result, ...(m.focus ? [m.focus] : [])],
        [m.card, m.result, ...(m.focus ? [m.focus] : [])],
        [m.cardCompact, m.result, ...(m.focus ? [m.focus] : [])],
        m.merged ? [m.cardCompact, m.merged] : rewriting ? [m.cardCompact, m.resultCompact, m.focus!] : [m.cardCompact, m.result],
        // The rewrite open on a tiny screen: the verdict (B-1) is what opened it; the card number stays.
        ...(state.rewrite.stage === 'pin' || state.rewrite.stage === 'path' ? [[m.cardCompact, m.focus!]] : []),
      ];
  const fitting = levels.find((level) => cost(level, STACKED_CHROME) <= budget);
  const base = { wide: false, sideWidth: 0, mainWidth: columns, side: null };
  if (fitting !== undefined && !helpOpen) {
    return { ...base, panels: fitting.map((p) => ({ id: p.id, title: p.title, lines: p.block.lines })), scroll: { offset: 0, max: 0, page: 1, anchor: 'start' as const } };
  }
  // 6. The last level, its focus (the last panel) scrolled in the room the others leave.
  const level = levels.at(-1)!;
  const others = level.slice(0, -1);
  const focus = level.at(-1)!;
  const room = Math.max(1, budget - cost(others, STACKED_CHROME) - STACKED_CHROME);
  const w = windowBlock(ctx(columns - 1), focus.block, room, offset);
  const panels = [...others.map((p) => ({ id: p.id, title: p.title, lines: p.block.lines })), { id: focus.id, title: focus.title, lines: w.lines }];
  return { ...base, panels, scroll: { offset: w.offset, max: w.max, page: w.page, anchor: w.anchor } };
}
