/**
 * The rewrite panel: the write path (before any PIN), the do-not-remove warning (before and during the
 * write), the masked PIN prompt, progress by step with bytes written, and the outcome.
 */
import type { RewriteStep } from '../../check/types.js';
import { ui } from '../i18n.js';
import { errorText, pinPromptText, rewriteDoneText, rewriteWarningText, stepText } from '../messages.js';
import { paragraph, type Line, type Segment } from '../text/lines.js';
import type { RewriteState } from '../state/types.js';
import { PIN_BLOCKED } from '../state/rewrite.js';
import type { ViewContext } from './context.js';

const NOTICE = { 'need-digits': 'rewrite.needDigits', 'too-long': 'rewrite.tooLong', 'not-digit': 'rewrite.notDigit' } as const;

const STEPS: RewriteStep[] = ['fresh-check', 'download', 'prove', 'verify-pin', 'key-proof', 'backup', 'write', 'commit', 'read-back', 'record'];

export interface RewriteExtras {
  /** The demo card's PIN, said on the demo's prompt. */
  demoPin?: string;
}

export function rewriteLines(ctx: ViewContext, state: RewriteState, extras: RewriteExtras = {}): Line[] {
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
      if (extras.demoPin !== undefined) lines.push(...paragraph(ui(lang, 'rewrite.demoPin', { pin: extras.demoPin }), width, 'accent', { text: g.info, tone: 'accent' }));
      if (state.wrong) {
        const detail = state.triesLeft === undefined ? {} : { triesLeft: state.triesLeft };
        lines.push(...paragraph(errorText(lang, { code: 'pin-wrong', message: '', detail }), width, 'error', { text: g.error, tone: 'error' }));
      } else if (state.triesLeft !== undefined && state.triesLeft > 1) {
        lines.push(...paragraph(ui(lang, 'rewrite.triesLeft', { n: state.triesLeft }), width, 'muted'));
      }
      // The last try is said with emphasis before any digit, and again in the confirmation.
      if (state.triesLeft === 1) lines.push(...paragraph(ui(lang, 'rewrite.lastTry'), width, 'error', { text: `${g.warn}${g.warn}`, tone: 'error' }));
      lines.push([
        { text: `${pinPromptText(lang)}: ` },
        { text: g.mask.repeat(state.digits), tone: 'accent' },
        { text: g.refused.repeat(state.extra), tone: 'error' },
        { text: '_', tone: 'muted' },
      ]);
      if (state.confirming) lines.push(...paragraph(ui(lang, 'rewrite.lastTryConfirm'), width, 'error', { text: g.warn, tone: 'error' }));
      else if (state.notice !== undefined) lines.push(...paragraph(ui(lang, NOTICE[state.notice], { mark: g.refused }), width, 'warn', { text: g.warn, tone: 'warn' }));
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
      // A blocked PIN: what it means and the unlock route (the rewrite is no longer offered).
      if (state.error.code === 'pin-blocked') return paragraph(errorText(lang, PIN_BLOCKED), width, 'error', { text: g.error, tone: 'error' });
      return paragraph(errorText(lang, state.error), width, 'error', { text: `${g.error} ${ui(lang, 'rewrite.failed')}`, tone: 'error' });
  }
}
