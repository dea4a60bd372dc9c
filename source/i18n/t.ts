/**
 * The program's one text machinery. Every catalogue has one shape: key → { 'zh-TW', en }, `{name}` a
 * parameter (i18n/check.ts: verdicts, guidance, rewrite steps, errors; ui.ts + ui-workbench.ts: the TUI's
 * chrome; doctor.ts; commands.ts: the headless commands' own; report.ts: a read card as text). One
 * interpolator fills them and one `t()` reads them all; a key no catalogue has is a compile error.
 *
 * A catalogue is there once its module is loaded, so the bundle keeps its split (the TUI's first frame
 * never loads the doctor's texts): every module that says an area's texts imports that area's catalogue
 * (`import '../i18n/doctor.js'`). The check catalogue is the shared core (errors, verdicts): this module
 * loads it itself.
 *
 * How a parameter with no value renders is the catalogue's rule (kept as each area always had it):
 * `mark` shows "?" (check, commands: a value undefined counts as missing); `keep` leaves `{name}` visible
 * (ui, doctor, report: a name absent from the values). `nested` (doctor): a value that is a key of the same
 * catalogue is put as that key's text, in the same language ("card.kind.gen2").
 */
import type { TEXTS as CheckTexts } from './check.js';
import type { UiKey } from './ui.js';
import type { DoctorTextKey } from './doctor.js';
import type { CliTextKey } from './commands.js';
import type { ReportKey } from './report.js';
import { TEXTS as CHECK } from './check.js';
import { hasKey, register, text, type Lang, type Vars } from './shelf.js';

export { placeholders, register, text, type Catalogue, type Entry, type Lang, type Policy, type Vars } from './shelf.js';

export type CheckKey = keyof typeof CheckTexts;
/** Every key of every catalogue. */
export type TextKey = CheckKey | UiKey | DoctorTextKey | CliTextKey | ReportKey;

register(CHECK, { missing: 'mark' });

/** Whether any loaded catalogue has `key`. */
export function hasText(key: string): key is TextKey {
  return hasKey(key);
}

/** A key's text in `lang`, parameters filled. */
export function t(lang: Lang, key: TextKey, vars: Vars = {}): string {
  return text(lang, key, vars);
}

export interface ErrorLike {
  code: string;
  message: string;
  detail: Readonly<Record<string, unknown>>;
}
export interface ErrorTextOptions {
  /** Applied to each string parameter (the screen sanitises what came from outside). */
  clean?: (value: string) => string;
  /** For a code with no text: by default the key itself. */
  fallback?: (error: ErrorLike) => string;
}

/** An error's sentence: its code's text, parameters taken from its detail (e.g. triesLeft). */
export function errorText(lang: Lang, error: ErrorLike, options: ErrorTextOptions = {}): string {
  const clean = options.clean ?? ((value: string) => value);
  const vars: Record<string, string | number> = {};
  for (const [name, value] of Object.entries(error.detail)) {
    if (typeof value === 'string') vars[name] = clean(value);
    else if (typeof value === 'number') vars[name] = value;
  }
  const key = `error.${error.code}`;
  if (!hasText(key) && options.fallback !== undefined) return options.fallback(error);
  return text(lang, key, vars);
}
