/**
 * The rewrite panel: the write path (before any PIN), the do-not-remove warning (before and during the
 * write), the masked PIN prompt, progress by step with bytes written, and the outcome. The prompt (or
 * the outcome's next step) is the block's pinned tail: it never scrolls away on a small screen.
 */
import type { RewriteStep } from '../../check/types.js';
import { t, errorText } from '../../i18n/t.js';
import { ON_SCREEN, pinPromptText, rewriteWarningText, stepText } from '../../i18n/screen.js';
import { paragraph, type Line, type Segment } from '../text/lines.js';
import type { RewriteState } from '../state/types.js';
import { PIN_BLOCKED, TRACK } from '../state/rewrite.js';
import { outside } from '../text/outside.js';
import type { ViewContext } from './context.js';
import { rewriteErrorSentence, rewriteNextStep } from './errors.js';
import type { Block } from './block.js';

const NOTICE = { 'need-digits': 'rewrite.needDigits', 'too-long': 'rewrite.tooLong', 'not-digit': 'rewrite.notDigit' } as const;

export interface RewriteExtras {
  /** The demo card's PIN, said on the demo's prompt. */
  demoPin?: string;
}

export function rewriteLines(ctx: ViewContext, state: RewriteState, extras: RewriteExtras = {}): Line[] {
  return rewriteBlock(ctx, state, extras).lines;
}

export function rewriteBlock(ctx: ViewContext, state: RewriteState, extras: RewriteExtras = {}): Block {
  const { lang, theme, width } = ctx;
  const g = theme.glyph;
  const warning = (): Line[] => paragraph(rewriteWarningText(lang), width, 'warn', { text: g.warn, tone: 'warn' });
  switch (state.stage) {
    case 'idle':
      return { lines: [] };
    case 'path':
      return { lines: [[{ text: `${ctx.spinner ?? g.stepNow} ${t(lang, 'rewrite.pathLoading')}`, tone: 'accent' }]] };
    case 'certificates': {
      // No registry: how to get the new certificates, then the file path being typed.
      const lines: Line[] = [...paragraph(t(lang, 'rewrite.certs.how'), width, undefined, { text: g.info, tone: 'accent' })];
      for (const given of state.given) {
        lines.push([{ text: `${g.ok} `, tone: 'ok' }, { text: t(lang, 'rewrite.certs.given', { slot: given.slot, serial: given.serialNumber }) }]);
      }
      const tail: Line[] = [];
      if (state.error) tail.push(...paragraph(`${errorText(lang, state.error, ON_SCREEN)} ${outside(state.error.message)}`, width, 'error', { text: g.error, tone: 'error' }));
      if (state.given.length > 0) tail.push(...paragraph(t(lang, 'rewrite.certs.more'), width, 'muted'));
      tail.push([{ text: `${t(lang, 'rewrite.certs.prompt')}: ` }, { text: outside(state.text), tone: 'accent' }, { text: state.busy ? ` ${ctx.spinner ?? '…'}` : '_', tone: 'muted' }]);
      return { lines: [...lines, ...tail], tail: tail.length, anchor: 'end' };
    }
    case 'unavailable': {
      const detail = state.path.path === 'unavailable' ? outside(state.path.detail) : '';
      return { lines: paragraph(t(lang, 'rewrite.path.unavailable', { detail }), width, 'error', { text: g.error, tone: 'error' }) };
    }
    case 'pin': {
      const lines: Line[] = [[{ text: t(lang, `rewrite.path.${state.path.path}`), tone: 'accent' }], ...warning()];
      if (extras.demoPin !== undefined) lines.push(...paragraph(t(lang, 'rewrite.demoPin', { pin: extras.demoPin }), width, 'accent', { text: g.info, tone: 'accent' }));
      if (state.wrong) {
        const detail = state.triesLeft === undefined ? {} : { triesLeft: state.triesLeft };
        lines.push(...paragraph(errorText(lang, { code: 'pin-wrong', message: '', detail }, ON_SCREEN), width, 'error', { text: g.error, tone: 'error' }));
      } else if (state.triesLeft !== undefined && state.triesLeft > 1) {
        lines.push(...paragraph(t(lang, 'rewrite.triesLeft', { n: state.triesLeft }), width, 'muted'));
      }
      const tail: Line[] = [];
      // The last try is said with emphasis before any digit, and again in the confirmation.
      if (state.triesLeft === 1) tail.push(...paragraph(t(lang, 'rewrite.lastTry'), width, 'error', { text: `${g.warn}${g.warn}`, tone: 'error' }));
      tail.push([
        // As the issuer's page writes it: 請輸入卡片PIN碼(輸入長度為6~8):
        { text: `${pinPromptText(lang)}: ` },
        { text: g.mask.repeat(state.digits), tone: 'accent' },
        { text: g.refused.repeat(state.extra), tone: 'error' },
        { text: '_', tone: 'muted' },
      ]);
      if (state.confirming) tail.push(...paragraph(t(lang, 'rewrite.lastTryConfirm'), width, 'error', { text: g.warn, tone: 'error' }));
      else if (state.notice !== undefined) tail.push(...paragraph(t(lang, NOTICE[state.notice], { mark: g.refused }), width, 'warn', { text: g.warn, tone: 'warn' }));
      return { lines: [...lines, ...tail], tail: tail.length, anchor: 'end' };
    }
    case 'running': {
      const lines: Line[] = [...warning()];
      // One glyph per position (done, now, to do), then the current step in words: long step names stay on one line.
      const current = state.progress;
      const at = Math.min(state.furthest, TRACK.length);
      const track = TRACK.map((_, i): Segment => {
        const now = i === at;
        const done = i < at;
        return { text: now ? g.stepNow : done ? g.stepDone : g.stepTodo, tone: now ? 'accent' : done ? 'ok' : 'muted' };
      });
      lines.push([...track, { text: ` ${t(lang, 'rewrite.stepOf', { n: Math.min(TRACK.length, at + 1), total: TRACK.length })}`, tone: 'muted' }]);
      if (current !== null && current.step !== 'done') {
        const label = current.step === 'write' || current.step === 'commit' ? t(lang, 'rewrite.writingSlot', { slot: current.slot ?? 0 }) : stepText(lang, stepOf(current.step));
        lines.push(...paragraph(`${ctx.spinner ?? ''}${ctx.spinner ? ' ' : ''}${label}`, width, 'accent', { text: g.stepNow, tone: 'accent' }));
      }
      for (const slot of [0, 1] as const) {
        const bytes = state.bytes[slot];
        if (bytes === undefined) continue;
        const complete = bytes.done >= bytes.total;
        lines.push([
          { text: `  ${t(lang, 'card.serial', { slot })}${lang === 'zh-TW' ? '：' : ': '}${t(lang, 'rewrite.bytes', { done: bytes.done, total: bytes.total })}`, tone: complete ? 'ok' : 'accent' },
          ...(complete ? [{ text: ` ${g.ok}`, tone: 'ok' as const }] : []),
        ]);
      }
      return { lines };
    }
    case 'done': {
      // B-2 itself is said once, in the result panel; here: what is on the card now, and the backup.
      const lines: Line[] = state.result.serialNumbers.map((serial, slot): Line => [
        { text: `${t(lang, 'rewrite.newSerial', { slot })}  `, tone: 'muted' },
        { text: outside(serial), tone: 'title' },
      ]);
      if (state.result.backup) {
        lines.push(...paragraph(t(lang, 'rewrite.backupAt', { path: outside(state.result.backup) }), width, 'muted'));
      }
      return { lines };
    }
    case 'failed': {
      // A blocked PIN: what it means and the unlock route (the rewrite is no longer offered).
      if (state.error.code === 'pin-blocked') return { lines: paragraph(errorText(lang, PIN_BLOCKED, ON_SCREEN), width, 'error', { text: g.error, tone: 'error' }) };
      const sentence = rewriteErrorSentence(lang, state.error, (error) => errorText(lang, error, ON_SCREEN));
      const lines = paragraph(sentence, width, 'error', { text: `${g.error} ${t(lang, 'rewrite.failed')}`, tone: 'error' });
      const next = rewriteNextStep(lang, state.error).flatMap((text) => paragraph(text, width, 'accent', { text: g.arrow, tone: 'accent' }));
      return { lines: [...lines, ...next], tail: next.length };
    }
  }
}

function stepOf(step: RewriteStep): RewriteStep {
  return step === 'pin' ? 'verify-pin' : step;
}
