/**
 * The command palette's model and lines. Its entries ARE the keymap (every binding but the editing keys):
 * the same table feeds the keys, the status-bar hints and the help, so a command cannot be listed here
 * and not work, or work and not be listed. An entry is available when its binding's `when` holds in the
 * mode under the palette; the others are listed after, dimmed, with why.
 *
 * Matching is fuzzy (the query's characters in order, spaces ignored) over the zh-TW AND the English
 * name and description, the command's id and its key, so `lang`, `English` and `語言` all find the
 * language switch whichever language the UI is in.
 */
import type { Lang } from '../../options.js';
import { t } from '../../i18n/t.js';
import { UI_TEXT, type UiKey } from '../../i18n/ui.js';
import { KEYMAP, type Binding, type UiCommand, type KeyContext, type Mode } from '../keymap.js';
import type { Line } from '../text/lines.js';
import { displayWidth, padToWidth, truncateToWidth } from '../text/width.js';
import type { Glyphs } from '../theme.js';
import type { ViewContext } from './context.js';
import type { PanelModel } from './layout.js';

export interface PaletteEntry {
  command: UiCommand;
  binding: Binding;
  /** The key as the help and the bar write it. */
  label: string;
  name: string;
  desc: string;
  available: boolean;
  /** Why it is not available (in the UI's language); undefined when available. */
  why?: string;
}

const LAST: readonly UiCommand[] = ['quit', 'interrupt'];

/** The bindings the palette lists, one per command, in keymap order. */
export function paletteBindings(): Binding[] {
  const seen = new Set<UiCommand>();
  const out: Binding[] = [];
  for (const binding of KEYMAP) {
    if (binding.palette === false || seen.has(binding.command)) continue;
    seen.add(binding.command);
    out.push(binding);
  }
  // Leaving comes last, as in a menu.
  return [...out.filter((b) => !LAST.includes(b.command)), ...LAST.flatMap((c) => out.filter((b) => b.command === c))];
}

function nameKey(binding: Binding): UiKey {
  return binding.name ?? binding.hint;
}

/** The mode the palette's commands are judged by: the one under it. */
function judged(ctx: KeyContext): KeyContext {
  return ctx.mode === 'palette' ? { ...ctx, mode: ctx.under ?? 'main' } : ctx;
}

function genericWhy(mode: Mode): UiKey {
  switch (mode) {
    case 'rewrite-running':
      return 'why.rewriting';
    case 'help':
    case 'rewrite-path':
    case 'rewrite-result':
      return 'why.closeFirst';
    default:
      return 'why.notNow';
  }
}

/** Lower-case, no spaces: what both the query and the candidates are compared as. */
function fold(text: string): string {
  return text.toLowerCase().replace(/\s+/g, '');
}

/**
 * How well `query` matches `text`: null when its characters do not all occur in order. Higher is better:
 * a contiguous run scores more than scattered letters, a match at the start or after a separator more.
 */
export function fuzzyScore(query: string, text: string): number | null {
  const q = [...fold(query)];
  if (q.length === 0) return 0;
  const t = [...text.toLowerCase()];
  const at = fold(text).indexOf(q.join(''));
  let score = 0;
  let ti = 0;
  let run = 0;
  for (const ch of q) {
    while (ti < t.length && t[ti] !== ch) {
      ti++;
      run = 0;
    }
    if (ti >= t.length) return null;
    const prev = ti === 0 ? ' ' : t[ti - 1]!;
    score += 1 + run * 2 + (/[\s\-_(/.:]/.test(prev) ? 3 : 0);
    run++;
    ti++;
  }
  // A contiguous substring beats any scattered match of the same letters.
  if (at >= 0) score += 10 * q.length + (at === 0 ? 5 : 0);
  return score;
}

function scoreOf(binding: Binding, glyph: Glyphs, query: string): number | null {
  // Names, ids and keys match fuzzily; a description only by a contiguous run (scattered letters across a
  // whole sentence would match nearly anything).
  const names = [binding.command, binding.label(glyph)];
  const descs: string[] = [];
  for (const lang of Object.keys(UI_TEXT) as Lang[]) {
    names.push(UI_TEXT[lang][nameKey(binding)]);
    if (binding.desc !== undefined) descs.push(UI_TEXT[lang][binding.desc]);
  }
  let best: number | null = null;
  const take = (s: number | null): void => {
    if (s !== null && (best === null || s > best)) best = s;
  };
  for (const text of names) take(fuzzyScore(query, text));
  for (const text of descs) if (fold(text).includes(fold(query))) take(fuzzyScore(query, text)! - 5);
  return best;
}

/**
 * The entries for `query`, best match first (a dimmed command that matches better stays above: typing
 * "check" shows Check first, with why it cannot run now); equal matches list available ones first, then
 * in keymap order. An empty query lists every command, the available ones first.
 */
export function paletteEntries(ctx: KeyContext, lang: Lang, glyph: Glyphs, query: string): PaletteEntry[] {
  const judge = judged(ctx);
  const scored: Array<{ entry: PaletteEntry; score: number; order: number }> = [];
  for (const [order, binding] of paletteBindings().entries()) {
    const score = scoreOf(binding, glyph, query);
    if (score === null) continue;
    // Any binding of the command counts (a command may have several, each with its own `when`).
    const available = KEYMAP.some((b) => b.command === binding.command && b.when(judge));
    const why = available ? undefined : t(lang, binding.why?.(judge) ?? genericWhy(judge.mode));
    scored.push({
      entry: {
        command: binding.command,
        binding,
        label: binding.label(glyph),
        name: t(lang, nameKey(binding)),
        desc: binding.desc !== undefined ? t(lang, binding.desc) : '',
        available,
        why,
      },
      score,
      order,
    });
  }
  scored.sort((a, b) => b.score - a.score || Number(b.entry.available) - Number(a.entry.available) || a.order - b.order);
  return scored.map((s) => s.entry);
}

/** The chosen entry's index, kept inside the list. */
export function clampIndex(index: number, count: number): number {
  return count === 0 ? 0 : Math.min(Math.max(0, index), count - 1);
}

/**
 * The palette's lines: the filter line, then as many entries as `height` leaves room for, scrolled so the
 * chosen one is visible. The chosen entry is marked with the selection glyph (colours off drop inverse);
 * an unavailable one is muted AND says why in words, so it reads the same without colours.
 */
export function paletteLines(ctx: ViewContext, entries: PaletteEntry[], query: string, index: number, height: number): Line[] {
  const { lang, theme, width } = ctx;
  const g = theme.glyph;
  const cursor = theme.ascii ? '_' : '▏';
  const filter: Line = query === ''
    ? [{ text: `${g.arrow} `, tone: 'accent' }, { text: cursor, tone: 'accent' }, { text: t(lang, 'palette.prompt'), tone: 'muted' }]
    : [{ text: `${g.arrow} `, tone: 'accent' }, { text: query }, { text: cursor, tone: 'accent' }];
  const lines: Line[] = [filter];
  if (entries.length === 0) {
    lines.push([{ text: t(lang, 'palette.none'), tone: 'muted' }]);
    return lines;
  }
  const room = Math.max(1, height - 1);
  const chosen = clampIndex(index, entries.length);
  const first = Math.min(Math.max(0, chosen - room + 1), Math.max(0, entries.length - room));
  const labelWidth = Math.max(...entries.map((e) => displayWidth(e.label))) + 2;
  const nameWidth = Math.min(Math.max(...entries.map((e) => displayWidth(e.name))) + 2, Math.max(10, Math.floor(width * 0.45)));
  for (const [i, entry] of entries.slice(first, first + room).entries()) {
    const selected = first + i === chosen;
    const mark = selected ? g.selected : g.unselected;
    const tone = !entry.available ? 'muted' : selected ? 'selected' : 'plain';
    const line: Line = [
      { text: `${mark} `, tone: selected ? 'selected' : 'plain' },
      { text: padToWidth(entry.label, labelWidth), tone: entry.available ? 'accent' : 'muted' },
      { text: padToWidth(truncateToWidth(entry.name, nameWidth - 1, g.ellipsis), nameWidth), tone },
    ];
    if (entry.why !== undefined) line.push({ text: `(${t(lang, 'palette.unavailable', { why: entry.why })}) `, tone: 'muted' });
    line.push({ text: entry.desc, tone: 'muted' });
    lines.push(line);
  }
  return lines;
}

/** The palette as a panel over the main column (Screen's `overlay`). */
export function palettePanel(query: string, index: number, entries: PaletteEntry[], total: number): (ctx: ViewContext, room: number) => PanelModel {
  return (ctx, room) => ({
    id: 'palette',
    title: `${t(ctx.lang, 'palette.title')}${ctx.theme.glyph.sep}${t(ctx.lang, 'palette.count', { shown: entries.length, total })}`,
    lines: paletteLines(ctx, entries, query, index, room),
    shrinkOrder: 5,
  });
}
