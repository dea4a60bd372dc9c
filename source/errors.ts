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

export class MoicaError extends Error {
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

export function isMoicaError(e: unknown, code?: ErrorCode): e is MoicaError {
  return e instanceof MoicaError && (code === undefined || e.code === code);
}

/** Anything thrown becomes a MoicaError; unknown errors become `internal` with their message only. */
export function toMoicaError(e: unknown): MoicaError {
  if (e instanceof MoicaError) return e;
  const message = e instanceof Error ? e.message : String(e);
  return new MoicaError('internal', message, {}, { cause: e });
}
