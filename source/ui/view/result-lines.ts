/**
 * The result panel: glyph + status word + colour (colour is never the only signal), then the verdict's
 * sentence, as the issuer's 檢查結果 line. The verdict line is the block's pinned head: never scrolled
 * away, never cut.
 */
import type { CardInfo } from '../../card/types.js';
import type { Verdict } from '../../check/types.js';
import { t, errorText } from '../../i18n/t.js';
import { type UiKey } from '../../i18n/ui.js';
import { ON_SCREEN, rewriteDoneText, verdictText } from '../../i18n/screen.js';
import { paragraph, type Line, type Segment } from '../text/lines.js';
import { displayWidth } from '../text/width.js';
import type { Tone } from '../theme.js';
import type { AppState } from '../state/types.js';
import { isPinBlocked } from '../state/app.js';
import { PIN_BLOCKED } from '../state/rewrite.js';
import { errorNextStep } from './errors.js';
import type { ViewContext } from './context.js';
import type { CrlDownload } from '../engine.js';
import type { Block } from './block.js';
import { outside } from '../text/outside.js';

export function verdictBadge(verdict: Verdict): { glyph: 'ok' | 'warn' | 'error'; tone: Tone; word: UiKey } {
  if (verdict.verdict === 'A') return { glyph: 'ok', tone: 'ok', word: 'status.valid' };
  if (verdict.verdict === 'B-1') return { glyph: 'warn', tone: 'warn', word: 'status.rewrite' };
  return { glyph: 'error', tone: 'error', word: `status.${verdict.status === 'valid' ? 'expired' : verdict.status}` };
}

/** A B-1 over a card an interrupted rewrite left torn: said as such, with the key that finishes it. */
export function isInterrupted(card: CardInfo, verdict: Verdict): boolean {
  return verdict.verdict === 'B-1' && !card.consistent;
}

const BAR = 20;

/** Bytes as a person reads them: exact under 10 kB, then kB, then MB. */
export function byteSize(n: number): string {
  if (n < 10_000) return `${n} B`;
  if (n < 1_000_000) return `${(n / 1000).toFixed(1)} kB`;
  return `${(n / 1_000_000).toFixed(1)} MB`;
}

/**
 * The CRL download the check waits on: a bar with the bytes and the percentage when the length is known,
 * the bytes alone when not; the words say it (never the colour alone); '#' and '.' under --ascii.
 */
export function crlLines(ctx: ViewContext, crl: CrlDownload): Line[] {
  const { lang, theme } = ctx;
  const what = t(lang, 'result.crlDownload');
  const [full, empty] = theme.ascii ? ['#', '.'] : ['█', '░'];
  if (crl.total === undefined || crl.total <= 0) return [[{ text: `  ${what} `, tone: 'accent' }, { text: byteSize(crl.bytes) }]];
  const share = Math.min(1, crl.bytes / crl.total);
  const figures = ` ${Math.floor(share * 100)}% ${byteSize(crl.bytes)} / ${byteSize(crl.total)}`;
  const bar = (width: number): Segment => {
    const done = Math.floor(share * width);
    return { text: `[${full.repeat(done)}${empty.repeat(width - done)}]`, tone: 'accent' };
  };
  const head = `  ${what} `;
  // On one line when a bar of 8 fits beside the words; else the words, then the bar under them.
  const beside = Math.min(BAR, ctx.width - displayWidth(head) - 2 - displayWidth(figures));
  if (beside >= 8) return [[{ text: head, tone: 'accent' }, bar(beside), { text: figures }]];
  const under = Math.max(4, Math.min(BAR, ctx.width - 4 - displayWidth(figures)));
  return [[{ text: head.trimEnd(), tone: 'accent' }], [{ text: '  ' }, bar(under), { text: figures }]];
}

export function resultLines(ctx: ViewContext, state: AppState): Line[] {
  return resultBlock(ctx, state).lines;
}

export function resultBlock(ctx: ViewContext, state: AppState): Block {
  const { lang, theme, width } = ctx;
  const g = theme.glyph;
  const lines: Line[] = [];
  let head = 0;
  // B-2, said once and labelled, above the re-check's verdict (until the panel is closed).
  if (state.rewrite.stage === 'done') {
    lines.push([{ text: `${g.ok} ${t(lang, 'status.rewritten')}`, tone: 'ok' }, { text: `${g.sep}${t(lang, 'result.verdict', { code: 'B-2' })}`, tone: 'muted' }]);
    lines.push(...paragraph(rewriteDoneText(lang), width, 'ok'));
    head = lines.length;
  }
  const card = state.card;
  switch (card.phase) {
    case 'idle':
      if (lines.length === 0) lines.push([{ text: t(lang, 'result.none'), tone: 'muted' }]);
      break;
    case 'reading':
      lines.push([{ text: `${ctx.spinner ?? g.stepNow} ${t(lang, 'card.reading')}`, tone: 'accent' }]);
      break;
    case 'checking':
      // A re-check keeps the last result on screen under the spinner line: the frame does not shrink.
      lines.push([{ text: `${ctx.spinner ?? g.stepNow} ${t(lang, 'result.checking')}`, tone: 'accent' }]);
      if (ctx.crl !== undefined) lines.push(...crlLines(ctx, ctx.crl));
      if (card.previous !== undefined) lines.push(...verdictLines(ctx, state, card.card, card.previous.verdict).map((l) => l.map((s) => ({ ...s, tone: 'muted' as const }))));
      head = lines.length > 0 ? 1 : 0;
      break;
    case 'read-failed':
    case 'check-failed': {
      lines.push(...paragraph(errorText(lang, card.error, ON_SCREEN), width, 'error', { text: `${g.error} ${t(lang, 'status.error')}`, tone: 'error' }));
      head = lines.length;
      const next = errorNextStep(lang, card.error);
      if (next !== null) lines.push(...paragraph(next, width, 'accent', { text: g.arrow, tone: 'accent' }));
      break;
    }
    case 'checked': {
      const verdict = lines.length;
      lines.push(...verdictLines(ctx, state, card.card, card.result.verdict));
      head = verdict + 1;
      break;
    }
  }
  return { lines, head };
}

function verdictLines(ctx: ViewContext, state: AppState, card: CardInfo, verdict: Verdict): Line[] {
  const { lang, theme, width } = ctx;
  const g = theme.glyph;
  const lines: Line[] = [];
  const badge = verdictBadge(verdict);
  const interrupted = isInterrupted(card, verdict);
  lines.push([
    { text: `${g[badge.glyph]} ${t(lang, interrupted ? 'status.interrupted' : badge.word)}`, tone: badge.tone },
    { text: `${g.sep}${t(lang, 'result.verdict', { code: verdict.verdict })}`, tone: 'muted' },
  ]);
  if (interrupted) lines.push(...paragraph(t(lang, 'result.interrupted'), width, 'warn'));
  else lines.push(...paragraph(verdictText(lang, verdict), width));
  if (verdict.ocsp.warning) {
    lines.push(...paragraph(t(lang, 'result.ocspWarning', { detail: outside(verdict.ocsp.detail ?? verdict.ocsp.notCheckedReason ?? '') }), width, 'error', { text: g.error, tone: 'error' }));
  }
  if (verdict.disagreement) {
    lines.push(...paragraph(t(lang, 'result.disagreement'), width, 'warn', { text: g.warn, tone: 'warn' }));
  }
  // A blocked PIN: the rewrite is no longer offered; the unlock route stays on screen (the rewrite
  // panel says it too while it is open).
  if (isPinBlocked(state) && state.rewrite.stage !== 'failed') {
    lines.push(...paragraph(errorText(lang, PIN_BLOCKED, ON_SCREEN), width, 'error', { text: g.error, tone: 'error' }));
  }
  return lines;
}
