/** `doctor` as text (one line per check, ✔ ✖ ⚠ –, what to do next under it) and as one JSON document. */
import type { Lang } from '../options.js';
import { t } from '../i18n/t.js';
import type { DoctorTextKey } from '../i18n/doctor.js';
import '../i18n/doctor.js';
import type { CheckStatus, DoctorReport, TextRef } from './types.js';

const GLYPHS: Record<CheckStatus, string> = { ok: '✔', warn: '⚠', fail: '✖', skip: '–', info: 'ℹ' };
const ASCII: Record<CheckStatus, string> = { ok: '[ok]  ', warn: '[warn]', fail: '[FAIL]', skip: '[--]  ', info: '[info]' };

const say = (lang: Lang, ref: TextRef) => t(lang, ref.key, ref.params);

export function doctorTextReport(report: DoctorReport, lang: Lang, ascii: boolean): string {
  const out = [t(lang, 'title')];
  for (const line of report.lines) {
    const glyph = (ascii ? ASCII : GLYPHS)[line.status];
    out.push(`${glyph} ${t(lang, `label.${line.check}` as DoctorTextKey)}: ${say(lang, line.summary)}`);
    if (line.next) out.push(`    ${ascii ? '->' : '→'} ${say(lang, line.next)}`);
  }
  // With no registry the essentials can all work, but that is not "all is well": say what is missing.
  const noRegistry = report.lines.some((l) => l.check === 'registry' && l.status === 'info');
  const summary = report.exitCode !== 0 ? 'summary.fail' : noRegistry ? 'summary.ok-no-registry' : 'summary.ok';
  out.push('', t(lang, summary).replace('✖', ascii ? '[FAIL]' : '✖'));
  return `${out.join('\n')}\n`;
}

export function doctorJson(report: DoctorReport, lang: Lang): Record<string, unknown> {
  return {
    ok: report.exitCode === 0,
    exitCode: report.exitCode,
    checks: report.lines.map((line) => ({
      check: line.check,
      status: line.status,
      message: say(lang, line.summary),
      next: line.next ? say(lang, line.next) : null,
      code: line.code ?? null,
      // A registry not configured is information: a check works without one.
      essential: line.exitClass !== undefined || (['pcsc', 'readers', 'card', 'registry', 'pkcs11'].includes(line.check) && line.status !== 'info'),
      details: line.details,
    })),
  };
}
