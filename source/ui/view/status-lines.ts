/** The status bar: key hints from the keymap, then the state of PC/SC, the registry and OCSP in words. */
import { ui } from '../i18n.js';
import { hintsFor, type KeyContext } from '../keymap.js';
import type { Line, Segment } from '../text/lines.js';
import type { AppState } from '../state/types.js';
import type { ViewContext } from './context.js';

export function hintLine(ctx: ViewContext, keys: KeyContext): Line {
  const { lang, theme } = ctx;
  if (keys.mode === 'rewrite-running') return [{ text: `${theme.glyph.warn} ${ui(lang, 'bar.rewriting')}`, tone: 'warn' }];
  const line: Line = [];
  for (const binding of hintsFor(keys)) {
    if (line.length > 0) line.push({ text: '  ' });
    line.push({ text: binding.label(theme.glyph), tone: 'accent' }, { text: ` ${ui(lang, binding.hint)}` });
  }
  return line;
}

export function serviceLine(ctx: ViewContext, state: AppState, demo: boolean): Line {
  const { lang, theme } = ctx;
  const g = theme.glyph;
  const parts: Segment[] = [];
  const { ocsp, registry } = state.service;
  if (ocsp !== null) {
    if (ocsp.checked) parts.push({ text: ui(lang, 'bar.ocspOk', { glyph: g.ok }), tone: 'ok' });
    else {
      const reason = ocsp.notCheckedReason ?? 'invalid';
      parts.push(ocsp.warning
        ? { text: `${g.error} ${ui(lang, 'bar.ocspWarn', { reason })}`, tone: 'error' }
        : { text: `${g.warn} ${ui(lang, 'bar.ocspNot', { reason })}`, tone: 'warn' });
    }
  }
  if (registry.state === 'ok') parts.push({ text: ui(lang, 'bar.registryOk', { glyph: g.ok }), tone: 'ok' });
  else if (registry.state === 'none') parts.push({ text: ui(lang, 'bar.registryNone'), tone: 'muted' });
  else if (registry.state === 'error') parts.push({ text: `${g.error} ${ui(lang, 'bar.registryError', { code: registry.code ?? '' })}`, tone: 'error' });
  else parts.push({ text: ui(lang, 'bar.registryUnknown'), tone: 'muted' });
  parts.push(state.readers.serviceUp
    ? { text: ui(lang, 'bar.pcscUp', { glyph: g.ok }), tone: 'ok' }
    : { text: `${g.error} ${ui(lang, 'bar.pcscDown')}`, tone: 'error' });
  if (demo && state.scenario !== null) parts.push({ text: ui(lang, 'bar.demo', { scenario: state.scenario }), tone: 'accent' });
  const line: Line = [];
  for (const part of parts) {
    if (line.length > 0) line.push({ text: g.sep, tone: 'muted' });
    line.push(part);
  }
  return line;
}
