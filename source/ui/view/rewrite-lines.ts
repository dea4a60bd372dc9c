/**
 * The rewrite panel: the write path (before any PIN), the do-not-remove warning (before and during the
 * write), the masked PIN prompt, progress by step with bytes written, and the outcome.
 */
import type { RewriteStep } from '../../check/types.js';
import { ui } from '../i18n.js';
import { errorText, rewriteDoneText, stepText } from '../messages.js';
import { paragraph, type Line } from '../text/lines.js';
import { displayWidth } from '../text/width.js';
import type { RewriteState } from '../state/types.js';
import type { ViewContext } from './context.js';

const STEPS: RewriteStep[] = ['fresh-check', 'download', 'prove', 'verify-pin', 'key-proof', 'backup', 'write', 'commit', 'read-back', 'record'];

export function rewriteLines(ctx: ViewContext, state: RewriteState): Line[] {
  const { lang, theme, width } = ctx;
  const g = theme.glyph;
  const warning = (): Line[] => paragraph(ui(lang, 'rewrite.warning'), width, 'warn', { text: g.warn, tone: 'warn' });
  switch (state.stage) {
    case 'idle':
      return [];
    case 'path':
      return [[{ text: ui(lang, 'rewrite.pathLoading'), tone: 'muted' }]];
    case 'unavailable': {
      const detail = state.path.path === 'unavailable' ? state.path.detail : '';
      return paragraph(ui(lang, 'rewrite.path.unavailable', { detail }), width, 'error', { text: g.error, tone: 'error' });
    }
    case 'pin': {
      const lines: Line[] = [[{ text: ui(lang, `rewrite.path.${state.path.path}`), tone: 'accent' }], ...warning()];
      if (state.notice === 'wrong') {
        const n = state.triesLeft ?? '?';
        lines.push([{ text: `${g.error} ${ui(lang, 'rewrite.triesLeft', { n })}`, tone: 'error' }]);
      }
      lines.push([
        { text: `${ui(lang, 'rewrite.pinPrompt')} ` },
        { text: g.mask.repeat(state.digits), tone: 'accent' },
        { text: '_', tone: 'muted' },
      ]);
      if (state.notice === 'need-digits') lines.push([{ text: `${g.warn} ${ui(lang, 'rewrite.needDigits')}`, tone: 'warn' }]);
      return lines;
    }
    case 'running': {
      const lines: Line[] = [...warning()];
      const current = state.progress?.step;
      const seen = new Set(state.steps);
      const row: Line = [];
      for (const step of STEPS) {
        const glyph = step === current ? g.stepNow : seen.has(step) ? g.stepDone : g.stepTodo;
        row.push({ text: `${glyph}${stepText(lang, step)} `, tone: step === current ? 'accent' : seen.has(step) ? 'ok' : 'muted' });
      }
      lines.push(...wrapSegments(row, width));
      const p = state.progress;
      if (p?.step === 'write' && p.total !== undefined) {
        lines.push([{ text: `${ui(lang, 'card.serial', { slot: p.slot ?? 0 })}: ${ui(lang, 'rewrite.bytes', { done: p.done ?? 0, total: p.total })}`, tone: 'accent' }]);
      }
      return lines;
    }
    case 'done':
      return [
        ...paragraph(rewriteDoneText(lang), width, 'ok', { text: g.ok, tone: 'ok' }),
        ...state.result.serialNumbers.map((serial, slot): Line => [{ text: `  ${ui(lang, 'card.serial', { slot })}  ${serial}`, tone: 'muted' }]),
        ...(state.result.backup ? [[{ text: `  ${state.result.backup}`, tone: 'muted' as const }]] : []),
      ];
    case 'failed':
      return paragraph(errorText(lang, state.error), width, 'error', { text: `${g.error} ${ui(lang, 'rewrite.failed')}`, tone: 'error' });
  }
}

/** Lay whole segments on lines of `width`, moving a segment that does not fit to the next line. */
function wrapSegments(segments: Line, width: number): Line[] {
  const lines: Line[] = [];
  let line: Line = [];
  let used = 0;
  for (const s of segments) {
    const w = displayWidth(s.text);
    if (used + w > width && line.length > 0) {
      lines.push(line);
      line = [];
      used = 0;
    }
    line.push(s);
    used += w;
  }
  if (line.length > 0) lines.push(line);
  return lines;
}
