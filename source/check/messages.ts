/**
 * Keyed texts in zh-TW and en (catalogue in texts.ts). Lenient on purpose: the screen must never crash on a
 * text, so an unknown key renders as itself and a missing parameter as "?" (tests keep both from happening).
 */
import type { MoicaError } from '../errors.js';
import type { Lang } from '../options.js';
import { TEXTS, type MessageKey } from '../i18n/check.js';

export { TEXTS, type MessageKey } from '../i18n/check.js';
export type MessageParams = Record<string, string | number>;

export function hasMessage(key: string): key is MessageKey {
  return Object.hasOwn(TEXTS, key);
}

export function t(lang: Lang, key: string, params: MessageParams = {}): string {
  if (!hasMessage(key)) return key;
  return TEXTS[key][lang].replace(/\{(\w+)\}/g, (_, name: string) => {
    const value = params[name];
    return value === undefined ? '?' : String(value);
  });
}

/** The placeholders a text uses. */
export function placeholders(text: string): string[] {
  return [...text.matchAll(/\{(\w+)\}/g)].map((m) => m[1]!);
}

/** An error's sentence: its code's text, parameters taken from its detail (e.g. triesLeft). */
export function errorText(lang: Lang, error: MoicaError): string {
  const key = `error.${error.code}`;
  const params: MessageParams = {};
  for (const [name, value] of Object.entries(error.detail)) {
    if (typeof value === 'string' || typeof value === 'number') params[name] = value;
  }
  return t(lang, key, params);
}
