import type { Readable, Writable } from 'node:stream';
import { toMoicaError, type MoicaError } from '../errors.js';
import { sanitize } from '../text/sanitize.js';

/** Where a headless command reads and writes: process streams in the CLI, buffers in tests. */
export interface Io {
  stdout: Writable;
  stderr: Writable;
  stdin: Readable;
  env: NodeJS.ProcessEnv;
}

export type CommandResult = number;

/** One JSON document on stdout, ending in a newline. */
export function printJson(io: Io, doc: unknown): void {
  io.stdout.write(`${JSON.stringify(doc, jsonReplacer, 2)}\n`);
}

/** Dates as ISO strings, byte arrays as upper-case hex. */
export function jsonReplacer(_key: string, value: unknown): unknown {
  if (value instanceof Uint8Array) return Buffer.from(value).toString('hex').toUpperCase();
  return value;
}

/**
 * Ends a command that failed: with --json, the document holds what was learned before the error plus
 * `error: {code, message}`; without, one line on stderr. Returns the exit code of the error.
 */
export function fail(io: Io, json: boolean, partial: Record<string, unknown>, e: unknown): CommandResult {
  const err: MoicaError = toMoicaError(e);
  if (json) printJson(io, { ...partial, error: err.toJSON() });
  else io.stderr.write(`moica-check: ${sanitize(err.message, { keepNewlines: true })}\n`);
  return err.exitCode;
}

/**
 * Text for a person (stdout or stderr): every string in it from a card, a certificate, a registry, OCSP or
 * a reader goes through sanitize() here, the one gate of the commands' text mode (issue 13 item 6). Our own
 * texts hold no control characters but newlines, so the whole text is passed through.
 */
export function printText(stream: Writable, text: string): void {
  stream.write(sanitize(text, { keepNewlines: true }));
}

/** Until SIGINT or SIGTERM (the long-running commands: readers --watch, serve-registry). */
export function untilSignal(): Promise<void> {
  return new Promise((resolve) => {
    const stop = () => {
      process.off('SIGINT', stop);
      process.off('SIGTERM', stop);
      resolve();
    };
    process.on('SIGINT', stop);
    process.on('SIGTERM', stop);
  });
}
