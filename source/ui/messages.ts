/**
 * The shared texts (verdict sentences, guidance, rewrite steps, error codes) as the TUI shows them.
 * They come from check/messages.ts so that the TUI and `--json` say the same words; this file is the
 * one seam between that module and the UI.
 */
import type { Lang } from '../options.js';
import type { ErrorCode } from '../errors.js';
import type { GuidanceItem, RewriteStep, Verdict } from '../check/types.js';
import { t } from '../check/messages.js';
import { outside } from './text/outside.js';

export function verdictText(lang: Lang, verdict: Verdict): string {
  return t(lang, verdict.message.key, sanitized(verdict.message.params));
}

export function guidanceText(lang: Lang, item: GuidanceItem): string {
  return t(lang, item.key, sanitized(item.params));
}

function sanitized(params: Record<string, string | number>): Record<string, string | number> {
  return Object.fromEntries(Object.entries(params).map(([k, v]) => [k, typeof v === 'string' ? outside(v) : v]));
}

export function stepText(lang: Lang, step: RewriteStep): string {
  return t(lang, `rewrite.step.${step}`, {});
}

/** The shared text for an error code; the error's own message when there is none. */
export function errorText(lang: Lang, error: { code: ErrorCode; message: string; detail: Record<string, unknown> }): string {
  const params: Record<string, string | number> = {};
  // Details and messages can carry outside strings (a certificate's name, a server's words): sanitised.
  for (const [k, v] of Object.entries(error.detail)) if (typeof v === 'string' || typeof v === 'number') params[k] = typeof v === 'string' ? outside(v) : v;
  const key = `error.${error.code}`;
  const text = t(lang, key, params);
  return text === key ? outside(error.message) : text;
}

export function rewriteWarningText(lang: Lang): string {
  return t(lang, 'rewrite.warning', {});
}

export function pinPromptText(lang: Lang): string {
  return t(lang, 'rewrite.pin-prompt', {});
}

/** The B-2 sentence: 完成憑證重寫流程！憑證已可正常使用。 */
export function rewriteDoneText(lang: Lang): string {
  return t(lang, 'verdict.B-2', {});
}
