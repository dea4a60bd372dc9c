import type { Readable, Writable } from 'node:stream';
import { toMoicaError, type MoicaError } from '../errors.js';

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
  else io.stderr.write(`moica-check: ${err.message}\n`);
  return err.exitCode;
}
