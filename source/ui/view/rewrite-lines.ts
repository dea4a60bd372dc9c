/**
 * The rewrite panel: the write path (before any PIN), the do-not-remove warning (before and during the
 * write), the masked PIN prompt, progress by step with bytes written, and the outcome.
 */
import type { RewriteStep } from '../../check/types.js';
import { ui } from '../i18n.js';
import { errorText, pinPromptText, rewriteDoneText, rewriteWarningText, stepText } from '../messages.js';
import { paragraph, type Line, type Segment } from '../text/lines.js';
import type { RewriteState } from '../state/types.js';
import type { ViewContext } from './context.js';

const STEPS: RewriteStep[] = ['fresh-check', 'download', 'prove', 'verify-pin', 'key-proof', 'backup', 'write', 'commit', 'read-back', 'record'];

export function rewriteLines(ctx: ViewContext, state: RewriteState): Line[] {
  const { lang, theme, width } = ctx;
  const g = theme.glyph;
  const warning = (): Line[] => paragraph(rewriteWarningText(lang), width, 'warn', { text: g.warn, tone: 'warn' });
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
        const detail = state.triesLeft === undefined ? {} : { triesLeft: state.triesLeft };
        lines.push(...paragraph(errorText(lang, { code: 'pin-wrong', message: '', detail }), width, 'error', { text: g.error, tone: 'error' }));
      }
      lines.push([
        { text: `${pinPromptText(lang)}: ` },
        { text: g.mask.repeat(state.digits), tone: 'accent' },
        { text: '_', tone: 'muted' },
      ]);
      if (state.notice === 'need-digits') lines.push([{ text: `${g.warn} ${ui(lang, 'rewrite.needDigits')}`, tone: 'warn' }]);
      return lines;
    }
    case 'running': {
      const lines: Line[] = [...warning()];
      // One glyph per step (done, now, to do), then the current step in words: long step names stay on one line.
      const current = state.progress?.step;
      const seen = new Set(state.steps);
      const index = current === undefined ? -1 : STEPS.indexOf(current);
      const track = STEPS.map((step): Segment => {
        const now = step === current;
        const done = !now && (seen.has(step) || (index >= 0 && STEPS.indexOf(step) < index));
        return { text: now ? g.stepNow : done ? g.stepDone : g.stepTodo, tone: now ? 'accent' : done ? 'ok' : 'muted' };
      });
      lines.push([
        ...track,
        { text: ` ${ui(lang, 'rewrite.stepOf', { n: Math.max(1, index + 1), total: STEPS.length })}`, tone: 'muted' },
      ]);
      if (current !== undefined && current !== 'done') lines.push(...paragraph(stepText(lang, current), width, 'accent', { text: g.stepNow, tone: 'accent' }));
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
