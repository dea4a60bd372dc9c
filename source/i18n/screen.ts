/**
 * The check catalogue's texts as the TUI shows them (verdicts, guidance, rewrite steps, errors on screen).
 * What came from outside (a certificate's name, a server's words) in their parameters goes through
 * sanitize(), as everything outside does (ui/text/outside.ts).
 */
import type { GuidanceItem, RewriteStep, Verdict } from '../check/types.js';
import { sanitize } from '../text/sanitize.js';
import { t, text, type ErrorTextOptions, type Lang, type Vars } from './t.js';
import './ui.js';

function sanitized(params: Vars): Vars {
  return Object.fromEntries(Object.entries(params).map(([k, v]) => [k, typeof v === 'string' ? sanitize(v) : v]));
}

export function verdictText(lang: Lang, verdict: Verdict): string {
  return text(lang, verdict.message.key, sanitized(verdict.message.params));
}

export function guidanceText(lang: Lang, item: GuidanceItem): string {
  return text(lang, item.key, sanitized(item.params));
}

export function stepText(lang: Lang, step: RewriteStep): string {
  return t(lang, `rewrite.step.${step}`, {});
}

/** errorText's options on the screen: details sanitised; a code with no text shows the error's own message. */
export const ON_SCREEN: ErrorTextOptions = { clean: sanitize, fallback: (error) => sanitize(error.message) };

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
