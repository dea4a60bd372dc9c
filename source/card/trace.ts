/**
 * `--trace FILE`: every command and response with timing, as text lines, appended and flushed as they
 * happen (a trace must survive a crash). PIN-bearing commands have their data replaced before anything
 * is formatted, so no PIN byte ever reaches a line, a listener or memory held by the trace.
 */
import { closeSync, openSync, writeSync } from 'node:fs';
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

export class Trace {
  private fd: number | undefined;
  private readonly started = performance.now();
  private readonly listeners = new Set<(entry: TraceEntry) => void>();

  /** `file`: append to it (created when missing); undefined: listeners only (tests, benchmarks). */
  constructor(file?: string) {
    if (file !== undefined) {
      this.fd = openSync(file, 'a');
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
    this.write(formatEntry(entry));
    for (const l of this.listeners) l(entry);
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
        try {
          const res = await channel.transmit(apdu);
          trace.record(channel.reader, apdu, t0, res);
          return res;
        } catch (e) {
          trace.record(channel.reader, apdu, t0, undefined, e);
          throw e;
        }
      },
      close: () => channel.close(),
      ...(channel.acquire ? { acquire: (options?: { waitMs?: number }) => channel.acquire!(options) } : {}),
      ...(channel.release ? { release: (options: { reset: boolean }) => channel.release!(options) } : {}),
    };
  }

  close(): void {
    if (this.fd !== undefined) closeSync(this.fd);
    this.fd = undefined;
  }

  private write(text: string): void {
    // writeSync: each line is in the file before the next APDU goes out.
    if (this.fd !== undefined) writeSync(this.fd, text);
  }
}
