/**
 * `--trace FILE`: every command and response with timing, as text lines. PIN-bearing commands have their
 * data replaced before anything is formatted, so no PIN byte ever reaches a line, a listener or memory held
 * by the trace.
 *
 * A side channel never breaks the main path (issue 13): the file is checked up front (a FIFO, a device, a
 * directory or a path that cannot be opened is a usage error, exit 2, before any card work), created 0600
 * (it holds the holder's name and card number), and written off the transmit path: lines are queued and
 * appended asynchronously, so a full disk or a failing write never delays or aborts an APDU. The first
 * write failure stops the trace; it is reported once the card work is over (close()).
 */
import { closeSync, constants, fchmodSync, fstatSync, openSync, statSync, write, writeSync } from 'node:fs';
import { MoicaError } from '../errors.js';
import { toHex } from './apdu.js';
import type { CardChannel } from './types.js';

export interface TraceEntry {
  reader: string;
  /** The command as sent, with PIN data redacted (see redactCommand). */
  command: Uint8Array;
  /** Response data + SW, or undefined when the transmit failed. */
  response?: Uint8Array;
  error?: string;
  /** Round trip in milliseconds. */
  ms: number;
  /** Milliseconds since the trace started. */
  at: number;
}

/** VERIFY (20), CHANGE REFERENCE DATA (24), RESET RETRY COUNTER (2C): their data is a PIN. */
const PIN_INS = new Set([0x20, 0x24, 0x2c]);

export function carriesPin(apdu: Uint8Array): boolean {
  return apdu.length > 5 && PIN_INS.has(apdu[1]!);
}

/** A copy safe to keep: PIN-bearing data replaced by zero bytes of the same length, header and Lc kept. */
export function redactCommand(apdu: Uint8Array): Uint8Array {
  // Copy only the bytes that may be kept, so no transient copy of the PIN is ever made.
  const copy = new Uint8Array(apdu.length);
  copy.set(carriesPin(apdu) ? apdu.subarray(0, 5) : apdu);
  return copy;
}

export function formatCommand(entry: TraceEntry): string {
  const c = entry.command;
  if (carriesPin(c)) return `${toHex(c.subarray(0, 5), ' ')} [${c.length - 5} bytes redacted]`;
  return toHex(c, ' ');
}

export function formatEntry(entry: TraceEntry): string {
  const when = `+${entry.at.toFixed(1)}ms`;
  const answer = entry.response !== undefined ? toHex(entry.response, ' ') : `error: ${entry.error ?? 'unknown'}`;
  return `${when} [${entry.reader}] > ${formatCommand(entry)}\n${when} [${entry.reader}] < ${answer} (${entry.ms.toFixed(1)} ms)\n`;
}

/**
 * Opens the trace file or says why it cannot be one, before any card work: never a FIFO (opening one for
 * writing waits for a reader: a hang), a device or a directory; created 0600; O_NONBLOCK so that a FIFO
 * swapped in after the check fails instead of blocking, then fstat on what was opened.
 */
export function openTraceFile(file: string): number {
  const refuse = (why: string, cause?: unknown) =>
    new MoicaError('usage', `--trace ${file}: ${why}. Give a regular file (it is created 0600).`, { trace: file }, { cause });
  try {
    const st = statSync(file);
    if (!st.isFile()) throw refuse(st.isFIFO() ? 'is a FIFO' : st.isDirectory() ? 'is a directory' : 'is not a regular file');
  } catch (e) {
    if (e instanceof MoicaError) throw e;
    if ((e as NodeJS.ErrnoException).code !== 'ENOENT') throw refuse(`cannot be opened (${(e as NodeJS.ErrnoException).code})`, e);
  }
  let fd: number;
  try {
    fd = openSync(file, constants.O_WRONLY | constants.O_APPEND | constants.O_CREAT | constants.O_NONBLOCK | constants.O_NOCTTY, 0o600);
  } catch (e) {
    throw refuse(`cannot be written (${(e as NodeJS.ErrnoException).code ?? (e as Error).message})`, e);
  }
  try {
    if (!fstatSync(fd).isFile()) throw refuse('is not a regular file');
    fchmodSync(fd, 0o600);
  } catch (e) {
    closeSync(fd);
    if (e instanceof MoicaError) throw e;
    throw refuse(`cannot be written (${(e as NodeJS.ErrnoException).code ?? (e as Error).message})`, e);
  }
  return fd;
}

export class Trace {
  private fd: number | undefined;
  private readonly started = performance.now();
  private readonly listeners = new Set<(entry: TraceEntry) => void>();
  private readonly queue: string[] = [];
  private writing = false;
  private drained: Array<() => void> = [];
  /** The first write failure; nothing more is written after it. */
  failure: string | undefined;

  /** `file`: append to it (created 0600 when missing); undefined: listeners only (tests, benchmarks). */
  constructor(private readonly file?: string) {
    if (file !== undefined) {
      this.fd = openTraceFile(file);
      this.write(`# moica-check trace ${new Date().toISOString()}\n`);
    }
  }

  onEntry(listener: (entry: TraceEntry) => void): () => void {
    this.listeners.add(listener);
    return () => this.listeners.delete(listener);
  }

  note(text: string): void {
    this.write(`# ${text.replace(/\n/g, ' ')}\n`);
  }

  record(reader: string, command: Uint8Array, startedAt: number, response?: Uint8Array, error?: unknown): void {
    const entry: TraceEntry = {
      reader,
      command: redactCommand(command),
      response: response?.slice(),
      error: error === undefined ? undefined : error instanceof Error ? error.message : String(error),
      ms: performance.now() - startedAt,
      at: startedAt - this.started,
    };
    // Formatted only for a file: a trace without one (the Output panel's tap) writes nothing.
    if (this.fd !== undefined && this.failure === undefined) this.write(formatEntry(entry));
    for (const l of this.listeners) {
      try {
        l(entry);
      } catch {
        // a listener's failure is the listener's: the APDU went through
      }
    }
  }

  /** A channel that records every transmit through this trace. */
  wrap(channel: CardChannel): CardChannel {
    const trace = this;
    return {
      get reader() {
        return channel.reader;
      },
      get atr() {
        return channel.atr;
      },
      async transmit(apdu: Uint8Array): Promise<Uint8Array> {
        const t0 = performance.now();
        let res: Uint8Array;
        try {
          res = await channel.transmit(apdu);
        } catch (e) {
          trace.safely(() => trace.record(channel.reader, apdu, t0, undefined, e));
          throw e;
        }
        trace.safely(() => trace.record(channel.reader, apdu, t0, res));
        return res;
      },
      close: () => channel.close(),
      ...(channel.acquire ? { acquire: (options?: { waitMs?: number }) => channel.acquire!(options) } : {}),
      ...(channel.release ? { release: (options: { reset: boolean }) => channel.release!(options) } : {}),
    };
  }

  /** Resolves when every queued line is in the file (or the trace failed). */
  flushed(): Promise<void> {
    if (!this.writing && this.queue.length === 0) return Promise.resolve();
    return new Promise((resolve) => this.drained.push(resolve));
  }

  /**
   * Writes what is still queued (synchronously: the process may exit right after) and closes the file.
   * Returns the failure, if any write failed, for the caller to report now that the card work is over.
   */
  async close(): Promise<string | undefined> {
    await this.flushed();
    if (this.fd !== undefined) {
      if (!this.writing && this.failure === undefined && this.queue.length > 0) {
        try {
          writeSync(this.fd, this.queue.splice(0).join(''));
        } catch (e) {
          this.fail(e);
        }
      }
      try {
        closeSync(this.fd);
      } catch {
        // closing a file that failed already
      }
    }
    this.fd = undefined;
    if (this.failure !== undefined) this.report();
    return this.failure;
  }

  private reported = false;

  private report(): void {
    if (this.reported) return;
    this.reported = true;
    try {
      process.stderr.write(`moica-check: the trace ${this.file ?? ''} is incomplete (${this.failure}); the card work was not affected.\n`);
    } catch {
      // nowhere left to say it
    }
  }

  private fail(e: unknown): void {
    this.failure ??= (e as NodeJS.ErrnoException).code ?? (e instanceof Error ? e.message : String(e));
    this.queue.length = 0;
  }

  private safely(fn: () => void): void {
    try {
      fn();
    } catch (e) {
      this.fail(e);
    }
  }

  private write(text: string): void {
    if (this.fd === undefined || this.failure !== undefined) return;
    this.queue.push(text);
    this.pump();
  }

  /** One asynchronous append at a time, off the transmit path; a failure ends the trace, never the caller. */
  private pump(): void {
    if (this.writing || this.fd === undefined) return;
    if (this.queue.length === 0 || this.failure !== undefined) {
      const waiters = this.drained.splice(0);
      for (const w of waiters) w();
      return;
    }
    const chunk = Buffer.from(this.queue.splice(0).join(''));
    this.writing = true;
    const fd = this.fd;
    const writeFrom = (offset: number): void => {
      write(fd, chunk, offset, chunk.length - offset, null, (err, written) => {
        if (err) {
          if (err.code === 'EAGAIN') {
            setTimeout(() => writeFrom(offset), 5).unref();
            return;
          }
          this.writing = false;
          this.fail(err);
          this.pump();
          return;
        }
        if (offset + written < chunk.length) return writeFrom(offset + written);
        this.writing = false;
        this.pump();
      });
    };
    writeFrom(0);
  }
}
