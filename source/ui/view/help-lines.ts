/** The help view: every key from the keymap, then the issuer's FAQ, condensed. */
import { FAQ, ui } from '../i18n.js';
import { KEYMAP } from '../keymap.js';
import { paragraph, type Line } from '../text/lines.js';
import type { ViewContext } from './context.js';

export function helpLines(ctx: ViewContext, demo: boolean): Line[] {
  const { lang, theme, width } = ctx;
  const lines: Line[] = [[{ text: ui(lang, 'help.keys'), tone: 'title' }]];
  const seen = new Set<string>();
  for (const binding of KEYMAP) {
    if (binding.hidden || (binding.command === 'scenario' && !demo)) continue;
    const label = binding.label(theme.glyph);
    const id = `${label} ${binding.hint}`;
    if (seen.has(id)) continue;
    seen.add(id);
    lines.push([{ text: `  ${label.padEnd(7)}`, tone: 'accent' }, { text: ui(lang, binding.hint) }]);
  }
  lines.push([{ text: '' }], [{ text: ui(lang, 'help.faq'), tone: 'title' }]);
  for (const entry of FAQ) {
    lines.push(...paragraph(ui(lang, `faq.${entry}.q`), width, 'accent', { text: 'Q', tone: 'accent' }));
    lines.push(...paragraph(ui(lang, `faq.${entry}.a`), width, undefined, { text: 'A', tone: 'muted' }));
  }
  return lines;
}
