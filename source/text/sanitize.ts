/**
 * The one gate for text that comes from outside (a card, a certificate, a registry, an OCSP/CRL answer, a
 * file, a reader name) before it is printed to a terminal, in text mode or in the TUI.
 *
 * Removed: C0 controls (U+0000-001F, so ESC sequences lose their introducer and become inert text), DEL,
 * C1 controls (U+0080-009F, which some terminals read as CSI/OSC), and the bidi embedding/override/isolate
 * characters (U+202A-202E, U+2066-2069) that can make printed text read differently from what it is.
 * `keepNewlines` keeps LF for multi-line fields; everything else is a single line.
 * JSON output needs none of this (JSON.stringify escapes controls); it is for human-facing text.
 */
// eslint-disable-next-line no-control-regex
const UNSAFE_WITH_LF = /[\u0000-\u0009\u000b-\u001f\u007f-\u009f\u202a-\u202e\u2066-\u2069]/g;
const SINGLE_LINE = /[\u0000-\u001f\u007f-\u009f\u202a-\u202e\u2066-\u2069]/g;

export function sanitize(text: string, { keepNewlines = false }: { keepNewlines?: boolean } = {}): string {
  return keepNewlines ? text.replace(UNSAFE_WITH_LF, '') : text.replace(SINGLE_LINE, '');
}

/** True when `text` would be changed by `sanitize` (for tests and for flagging suspicious input). */
export function hasUnsafeText(text: string): boolean {
  return /[\u0000-\u001f\u007f-\u009f\u202a-\u202e\u2066-\u2069]/.test(text);
}
