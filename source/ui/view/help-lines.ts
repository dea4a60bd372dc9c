/**
 * The help view (issue 14 item 14): first what the verdicts mean (A / B-1 / B-2 / C), then the keys grouped
 * by where they work (main screen, PIN prompt, rewrite, help, palette), each binding with every key that
 * runs it (c and Enter, ↑↓ and k/j, PgDn and space …), all read from the keymap; then the issuer's FAQ.
 */
import { t } from '../../i18n/t.js';
import { FAQ, type UiKey } from '../../i18n/ui.js';
import { KEYMAP, type Binding, type KeyContext, type KeySpec, type Mode } from '../keymap.js';
import type { Glyphs } from '../theme.js';
import { paragraph, type Line } from '../text/lines.js';
import { displayWidth, padToWidth } from '../text/width.js';
import type { ViewContext } from './context.js';

const GROUPS: Array<{ title: UiKey; modes: Mode[] }> = [
  { title: 'help.group.main', modes: ['main'] },
  { title: 'help.group.pin', modes: ['pin', 'pin-confirm'] },
  { title: 'help.group.rewrite', modes: ['rewrite-path', 'rewrite-running', 'rewrite-result', 'certificates' as Mode] },
  { title: 'help.group.help', modes: ['help'] },
  { title: 'help.group.palette', modes: ['palette'] },
];

const LEGEND: Array<[string, UiKey]> = [['A', 'help.legend.A'], ['B-1', 'help.legend.B-1'], ['B-2', 'help.legend.B-2'], ['C', 'help.legend.C']];

function keyName(spec: KeySpec, g: Glyphs, lang: ViewContext['lang']): string | null {
  if (spec.digits) return '0-9';
  if (spec.printable) return null;
  if (spec.ctrl) return `Ctrl-${(spec.input ?? '').toUpperCase()}`;
  switch (spec.name) {
    case 'upArrow':
      return g.upDown === '↑↓' ? '↑' : 'Up';
    case 'downArrow':
      return g.upDown === '↑↓' ? '↓' : 'Dn';
    case 'return':
      return 'Enter';
    case 'escape':
      return 'Esc';
    case 'pageUp':
      return 'PgUp';
    case 'pageDown':
      return 'PgDn';
    case 'backspace':
    case 'delete':
      return g.ok === '✔' ? '⌫' : 'Bksp';
    case 'f1':
      return 'F1';
    case 'tab':
      return spec.shift === true ? 'Shift-Tab' : 'Tab';
    default:
      return spec.input === ' ' ? t(lang, 'help.space') : (spec.input ?? null);
  }
}

/** Every key of the bindings that share a label and a hint, the label first ("↑↓ k j", "c Enter"). */
function keysOf(bindings: Binding[], g: Glyphs, lang: ViewContext['lang']): string {
  const label = bindings[0]!.label(g);
  const names: string[] = [];
  for (const b of bindings) {
    for (const spec of b.keys) {
      const name = keyName(spec, g, lang);
      if (name !== null && !label.includes(name) && !names.includes(name)) names.push(name);
    }
  }
  return [label, ...names].join(' ');
}

export function helpLines(ctx: ViewContext, demo: boolean): Line[] {
  const { lang, theme, width } = ctx;
  const g = theme.glyph;
  const lines: Line[] = [[{ text: t(lang, 'help.legend'), tone: 'title' }]];
  for (const [code, key] of LEGEND) {
    lines.push(...paragraph(t(lang, key), width, undefined, { text: padToWidth(code, 3), tone: 'accent' }));
  }
  for (const group of GROUPS) {
    const ctxs: KeyContext[] = group.modes.map((mode) => ({ mode, under: 'main', canCheck: true, canRewrite: true, demo, canScroll: true, output: 'panel', tabs: 2 }));
    const groups = new Map<string, Binding[]>();
    for (const binding of KEYMAP) {
      if (binding.hidden || (binding.command === 'scenario' && !demo)) continue;
      if (!ctxs.some((c) => binding.when(c))) continue;
      const id = `${binding.label(g)} ${binding.hint}`;
      groups.set(id, [...(groups.get(id) ?? []), binding]);
    }
    if (groups.size === 0) continue;
    lines.push([{ text: '' }], [{ text: t(lang, group.title), tone: 'title' }]);
    const rows = [...groups.values()].map((bs) => ({ keys: keysOf(bs, g, lang), what: t(lang, bs[0]!.hint) }));
    const col = Math.min(16, Math.max(...rows.map((r) => displayWidth(r.keys))) + 2);
    for (const row of rows) {
      if (displayWidth(row.keys) + 2 > col) lines.push([{ text: `  ${row.keys}`, tone: 'accent' }], [{ text: `  ${' '.repeat(col)}${row.what}` }]);
      else lines.push([{ text: `  ${padToWidth(row.keys, col)}`, tone: 'accent' }, { text: row.what }]);
    }
  }
  lines.push([{ text: '' }], [{ text: t(lang, 'help.faq'), tone: 'title' }]);
  for (const entry of FAQ) {
    lines.push(...paragraph(t(lang, `faq.${entry}.q`), width, 'accent', { text: 'Q', tone: 'accent' }));
    lines.push(...paragraph(t(lang, `faq.${entry}.a`), width, undefined, { text: 'A', tone: 'muted' }));
  }
  return lines;
}
