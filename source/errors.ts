/**
 * Errors are values with a code. Each code's exit code is in source/exit.ts (ERROR_EXIT, beside the
 * verdicts' exit codes: the one exit table of cli.md), and the UI maps codes to messages: nobody matches
 * on message strings.
 *
 * Messages must never contain a PIN or PIN bytes.
 */
import { exitCodeOf } from './exit.js';
import type { ErrorCode } from './codes.js';

export type { ErrorCode };

/**
 * What makes a value a MoicaError: a registered symbol, not the class's identity. The TUI's first-frame
 * code is a bundle of its own (dist/tui.cjs, for V8's code cache: source/code-cache.ts) with its own copy
 * of this module, so an error the engine throws is an instance of the engine's copy; `instanceof
 * MoicaError` holds for it in either copy.
 */
const BRAND = Symbol.for('moica-check.MoicaError');

export class MoicaError extends Error {
  static override [Symbol.hasInstance](value: unknown): boolean {
    return typeof value === 'object' && value !== null && (value as { [BRAND]?: unknown })[BRAND] === true;
  }
  override readonly name = 'MoicaError';
  constructor(
    readonly code: ErrorCode,
    message: string,
    /** Extra, JSON-safe facts (e.g. triesLeft, sw, atr). Never a PIN. */
    readonly detail: Record<string, unknown> = {},
    options?: { cause?: unknown },
  ) {
    super(message, options);
  }
  get exitCode(): number {
    return exitCodeOf(this.code);
  }
  toJSON(): { code: ErrorCode; message: string } & Record<string, unknown> {
    return { code: this.code, message: this.message, ...this.detail };
  }
}

// On the prototype: every copy's instances carry it, and no error gets an own property from it.
Object.defineProperty(MoicaError.prototype, BRAND, { value: true });

export function isMoicaError(e: unknown, code?: ErrorCode): e is MoicaError {
  return e instanceof MoicaError && (code === undefined || e.code === code);
}

/** Anything thrown becomes a MoicaError; unknown errors become `internal` with their message only. */
export function toMoicaError(e: unknown): MoicaError {
  if (e instanceof MoicaError) return e;
  const message = e instanceof Error ? e.message : String(e);
  return new MoicaError('internal', message, {}, { cause: e });
}
