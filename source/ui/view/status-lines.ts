/** The status bar: key hints from the keymap, then the state of PC/SC, the registry and OCSP in words. */
import { t } from '../../i18n/t.js';
import '../../i18n/ui.js';
import { hintsFor, type Binding, type UiCommand, type KeyContext } from '../keymap.js';
import { displayWidth } from '../text/width.js';
import { lineText, type Line, type Segment } from '../text/lines.js';
import type { AppState } from '../state/types.js';
import type { ViewContext } from './context.js';
import { ocspWord, registryWord } from './errors.js';
import { scenarioName } from './reader-lines.js';

/** The bar's order: what the user does next first (order of use); help and leaving always kept, last. */
const ORDER: UiCommand[] = [
  'pin-digit', 'pin-submit', 'pin-backspace', 'pin-confirm', 'pin-confirm-back', 'page-down', 'rewrite', 'check', 'tab-next', 'report', 'select-prev', 'redetect', 'scenario',
  'scroll-up', 'lang', 'help', 'close', 'report-close', 'pin-cancel', 'quit',
];
const ALWAYS = new Set<UiCommand>(['help', 'close', 'report-close', 'pin-cancel', 'quit']);

/**
 * The key hints, in order of use, packed into the width: when they do not all fit, the least used go
 * (never help, close/cancel or quit), so the bar is never cut mid-word and `q` stays visible.
 */
export function hintLine(ctx: ViewContext, keys: KeyContext): Line {
  const { lang, theme } = ctx;
  if (keys.mode === 'rewrite-running') {
    const warning: Line = [{ text: `${theme.glyph.warn} ${t(lang, 'bar.rewriting')}`, tone: 'warn' }];
    // With card tabs, the one key that works while writing (the other cards can be looked at), when it fits.
    const tab = hintsFor(keys).find((b) => b.command === 'tab-next');
    if (tab === undefined) return warning;
    const more: Line = [{ text: '  ' }, { text: tab.label(theme.glyph), tone: 'accent' }, { text: ` ${t(lang, tab.hint)}` }];
    return displayWidth(lineText(warning)) + displayWidth(lineText(more)) <= ctx.width ? [...warning, ...more] : warning;
  }
  const rank = (b: Binding): number => (ORDER.indexOf(b.command) + 1 || ORDER.length + 1);
  const bindings = hintsFor(keys).sort((a, b) => rank(a) - rank(b));
  const text = (b: Binding): string => `${b.label(theme.glyph)} ${t(lang, b.hint)}`;
  let used = bindings.filter((b) => ALWAYS.has(b.command)).reduce((n, b) => n + displayWidth(text(b)) + 2, 0);
  const kept = new Set<Binding>();
  for (const b of bindings) {
    if (ALWAYS.has(b.command)) kept.add(b);
    else if (used + displayWidth(text(b)) + 2 <= ctx.width + 2) {
      kept.add(b);
      used += displayWidth(text(b)) + 2;
    }
  }
  const line: Line = [];
  for (const binding of bindings.filter((b) => kept.has(b))) {
    if (line.length > 0) line.push({ text: '  ' });
    line.push({ text: binding.label(theme.glyph), tone: 'accent' }, { text: ` ${t(lang, binding.hint)}` });
  }
  return line;
}

export function serviceLine(ctx: ViewContext, state: AppState, demo: boolean): Line {
  const { lang, theme } = ctx;
  const g = theme.glyph;
  const parts: Segment[] = [];
  const { ocsp, registry } = state.service;
  if (ocsp !== null) {
    if (ocsp.checked) parts.push({ text: t(lang, 'bar.ocspOk', { glyph: g.ok }), tone: 'ok' });
    else {
      const reason = ocspWord(lang, ocsp.notCheckedReason);
      parts.push(ocsp.warning
        ? { text: `${g.error} ${t(lang, 'bar.ocspWarn', { reason })}`, tone: 'error' }
        : { text: `${g.warn} ${t(lang, 'bar.ocspNot', { reason })}`, tone: 'warn' });
    }
  }
  if (registry.state === 'ok') parts.push({ text: t(lang, 'bar.registryOk', { glyph: g.ok }), tone: 'ok' });
  else if (registry.state === 'none') parts.push({ text: t(lang, 'bar.registryNone'), tone: 'muted' });
  else if (registry.state === 'error') parts.push({ text: `${g.error} ${registryWord(lang, registry.code)}`, tone: 'error' });
  else parts.push({ text: t(lang, 'bar.registryUnknown'), tone: 'muted' });
  parts.push(state.readers.serviceUp
    ? { text: t(lang, 'bar.pcscUp', { glyph: g.ok }), tone: 'ok' }
    : { text: `${g.error} ${t(lang, 'bar.pcscDown')}`, tone: 'error' });
  if (demo && state.scenario !== null) parts.push({ text: t(lang, 'bar.demo', { scenario: scenarioName(lang, state.scenario) }), tone: 'accent' });
  // What the user just asked for, said at once.
  if (state.activity === 'redetect') parts.unshift({ text: `${ctx.spinner ?? g.stepNow} ${t(lang, 'bar.redetecting')}`, tone: 'accent' });
  const line: Line = [];
  for (const part of parts) {
    if (line.length > 0) line.push({ text: g.sep, tone: 'muted' });
    line.push(part);
  }
  return line;
}
