/**
 * The helpdesk report's panel (key e, issue 14 item 16): while it is written, then the file's full path
 * (wrapped, never cut: it is what the holder sends) and that the holder's name is in it as initials only;
 * or, when it could not be written, the error and what to do. Shown over the main column like the palette.
 */
import { t } from '../../i18n/t.js';
import { ON_SCREEN } from '../../i18n/screen.js';
import { errorText } from '../../i18n/t.js';
import '../../i18n/check.js';
import type { ReportState } from '../state/overlays.js';
import { paragraph, type Line } from '../text/lines.js';
import { outside } from '../text/outside.js';
import type { ViewContext } from './context.js';
import type { PanelModel } from './layout.js';

export function reportLines(ctx: ViewContext, report: ReportState): Line[] {
  const { lang, theme, width } = ctx;
  const g = theme.glyph;
  switch (report.state) {
    case 'closed':
      return [];
    case 'writing':
      return paragraph(t(lang, 'report.writing'), width, 'accent', { text: ctx.spinner ?? g.stepNow, tone: 'accent' });
    case 'written':
      return [
        ...paragraph(t(lang, 'report.written'), width, 'ok', { text: g.ok, tone: 'ok' }),
        // The path on lines of its own, whole: a long one wraps (hard, inside words) instead of being cut.
        ...paragraph(outside(report.path), width - 2).map((line): Line => [{ text: '  ' }, ...line.map((s) => ({ ...s, tone: 'accent' as const }))]),
        ...(report.initialsOnly ? paragraph(t(lang, 'report.initials'), width, 'muted') : []),
        ...paragraph(t(lang, 'report.send'), width),
      ];
    case 'failed':
      return [
        ...paragraph(t(lang, 'report.failed'), width, 'error', { text: g.error, tone: 'error' }),
        ...paragraph(errorText(lang, report.error, ON_SCREEN), width, 'error'),
        ...paragraph(t(lang, report.error.code === 'report-unwritable' ? 'next.report-unwritable' : 'next.helpline'), width),
      ];
  }
}

/** The report as a panel over the main column (the layout's `overlay`). */
export function reportPanel(report: ReportState): (ctx: ViewContext, room: number) => PanelModel {
  return (ctx) => ({ id: 'report', title: t(ctx.lang, 'report.title'), lines: reportLines(ctx, report), shrinkOrder: 5 });
}
