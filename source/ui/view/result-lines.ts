/**
 * The result panel: glyph + status word + colour (colour is never the only signal), then the verdict's
 * sentence, as the issuer's 檢查結果 line.
 */
import type { Verdict } from '../../check/types.js';
import { ui, type UiKey } from '../i18n.js';
import { errorText, rewriteDoneText, verdictText } from '../messages.js';
import { paragraph, type Line } from '../text/lines.js';
import type { Tone } from '../theme.js';
import type { AppState } from '../state/types.js';
import { isPinBlocked } from '../state/app.js';
import { PIN_BLOCKED } from '../state/rewrite.js';
import type { ViewContext } from './context.js';

export function verdictBadge(verdict: Verdict): { glyph: 'ok' | 'warn' | 'error'; tone: Tone; word: UiKey } {
  if (verdict.verdict === 'A') return { glyph: 'ok', tone: 'ok', word: 'status.valid' };
  if (verdict.verdict === 'B-1') return { glyph: 'warn', tone: 'warn', word: 'status.rewrite' };
  return { glyph: 'error', tone: 'error', word: `status.${verdict.status === 'valid' ? 'expired' : verdict.status}` };
}

export function resultLines(ctx: ViewContext, state: AppState): Line[] {
  const { lang, theme, width } = ctx;
  const lines: Line[] = [];
  if (state.rewrite.stage === 'done') {
    lines.push(...paragraph(rewriteDoneText(lang), width, 'ok', { text: theme.glyph.ok, tone: 'ok' }));
  }
  const card = state.card;
  switch (card.phase) {
    case 'idle':
      if (lines.length === 0) lines.push([{ text: ui(lang, 'result.none'), tone: 'muted' }]);
      break;
    case 'reading':
    case 'checking':
      lines.push([{ text: ui(lang, card.phase === 'reading' ? 'card.reading' : 'result.checking'), tone: 'muted' }]);
      break;
    case 'read-failed':
    case 'check-failed':
      lines.push(...paragraph(errorText(lang, card.error), width, 'error', { text: `${theme.glyph.error} ${ui(lang, 'status.error')}`, tone: 'error' }));
      break;
    case 'checked': {
      const verdict = card.result.verdict;
      const badge = verdictBadge(verdict);
      lines.push([
        { text: `${theme.glyph[badge.glyph]} ${ui(lang, badge.word)}`, tone: badge.tone },
        { text: `${theme.glyph.sep}${ui(lang, 'result.verdict', { code: verdict.verdict })}`, tone: 'muted' },
      ]);
      lines.push(...paragraph(verdictText(lang, verdict), width));
      if (verdict.ocsp.warning) {
        lines.push(...paragraph(ui(lang, 'result.ocspWarning', { detail: verdict.ocsp.detail ?? verdict.ocsp.notCheckedReason ?? '' }), width, 'error', { text: theme.glyph.error, tone: 'error' }));
      }
      if (verdict.disagreement) {
        lines.push(...paragraph(ui(lang, 'result.disagreement'), width, 'warn', { text: theme.glyph.warn, tone: 'warn' }));
      }
      // A blocked PIN: the rewrite is no longer offered; the unlock route stays on screen (the rewrite
      // panel says it too while it is open).
      if (isPinBlocked(state) && state.rewrite.stage !== 'failed') {
        lines.push(...paragraph(errorText(lang, PIN_BLOCKED), width, 'error', { text: theme.glyph.error, tone: 'error' }));
      }
      break;
    }
  }
  return lines;
}
