/** A command's Io over in-memory streams: what it printed on stdout and stderr, for tests that run main or a command in-process. */
import { PassThrough, Readable } from 'node:stream';
import type { Io } from '../../source/commands/io.js';

export type MemoryIo = Io & { out(): string; err(): string };

export function memoryIo(env: NodeJS.ProcessEnv = {}, stdin?: string): MemoryIo {
  const stdout = new PassThrough();
  const stderr = new PassThrough();
  let out = '';
  let err = '';
  stdout.on('data', (c: Buffer) => { out += c.toString(); });
  stderr.on('data', (c: Buffer) => { err += c.toString(); });
  const input = stdin === undefined ? new PassThrough() : Readable.from([Buffer.from(stdin)]);
  return { stdout, stderr, stdin: input, env, out: () => out, err: () => err };
}
