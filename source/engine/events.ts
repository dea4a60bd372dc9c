/**
 * The event log behind the TUI's Output panel and the helpdesk report: one bounded ring of lines (the
 * last 1,000), fed by the reader events, every APDU (through the trace's own redaction: a PIN-bearing
 * command is redacted by Trace.record before anything here sees it), every HTTP request the process makes
 * (Node's http diagnostics channels: the registry, OCSP and CRL clients need no hook of their own), and
 * the rewrite's steps. Pushing is O(1) and never waits on a listener's work; text from outside (reader
 * names, URLs, error messages) goes through sanitize() as it is logged.
 */
import dc from 'node:diagnostics_channel';
import type { ClientRequest, IncomingMessage } from 'node:http';
import { toHex } from '../card/apdu.js';
import { Trace, formatCommand, type TraceEntry } from '../card/trace.js';
import type { CardChannel, CardInfo, Transport, TransportEvent } from '../card/types.js';
import type { RewriteProgress } from '../check/types.js';
import { sanitize } from '../text/sanitize.js';
import { taipeiClock } from '../text/dates.js';
import type { Engine, EventFeed, EventLine, EventSource } from '../ui/engine.js';

export const EVENT_LOG_LINES = 1000;

export class EventLog implements EventFeed {
  private readonly ring: (EventLine | undefined)[];
  private next = 0;
  private seq = 0;
  private readonly listeners = new Set<(line: EventLine) => void>();

  constructor(private readonly capacity = EVENT_LOG_LINES, private readonly now: () => number = Date.now) {
    this.ring = new Array<EventLine | undefined>(capacity);
  }

  push(source: EventSource, text: string, level: EventLine['level'] = 'info'): EventLine {
    const line: EventLine = { seq: ++this.seq, at: this.now(), source, level, text: sanitize(text) };
    this.ring[this.next] = line;
    this.next = (this.next + 1) % this.capacity;
    for (const listener of this.listeners) {
      try {
        listener(line);
      } catch {
        // A listener's failure is its own: the log and the other listeners go on.
      }
    }
    return line;
  }

  lines(): EventLine[] {
    const out: EventLine[] = [];
    for (let i = 0; i < this.capacity; i++) {
      const line = this.ring[(this.next + i) % this.capacity];
      if (line !== undefined) out.push(line);
    }
    return out;
  }

  /** Lines ever logged (the ring keeps the last `capacity`). */
  total(): number {
    return this.seq;
  }

  subscribe(listener: (line: EventLine) => void): () => void {
    this.listeners.add(listener);
    return () => {
      this.listeners.delete(listener);
    };
  }
}

// ---------------------------------------------------------------- APDUs

const INS_NAMES: Record<number, string> = {
  0xa4: 'SELECT', 0xb0: 'READ BINARY', 0xd6: 'UPDATE BINARY', 0xc0: 'GET RESPONSE', 0x20: 'VERIFY', 0x24: 'CHANGE REF',
  0x2c: 'RESET RETRY', 0x84: 'GET CHALLENGE', 0x88: 'INT AUTH', 0x2a: 'PSO', 0x22: 'MSE', 0xca: 'GET DATA', 0xe0: 'CREATE FILE',
  0xe4: 'DELETE FILE', 0xb2: 'READ RECORD', 0xdc: 'UPDATE RECORD',
};

/** Bytes of a command shown before it is cut (an UPDATE BINARY carries up to 255). */
const SHOWN_BYTES = 12;

/**
 * One APDU as one line: the command's name, its bytes as --trace prints them (formatCommand: a VERIFY's
 * PIN is already zeroed in `entry.command` and printed as "[n bytes redacted]"), cut after a few bytes,
 * then the status word, the response's length and the round trip.
 */
export function apduSummary(entry: TraceEntry): string {
  const c = entry.command;
  const name = INS_NAMES[c[1] ?? -1] ?? `INS ${toHex(c.subarray(1, 2))}`;
  let shown = formatCommand(entry);
  const cut = 3 * SHOWN_BYTES - 1;
  if (shown.length > cut && !shown.includes('redacted')) shown = `${shown.slice(0, cut)} … (${c.length} bytes)`;
  const ms = `${entry.ms.toFixed(1)} ms`;
  if (entry.response === undefined || entry.response.length < 2) return `${name} ${shown} → ${entry.error ?? 'no answer'} (${ms})`;
  const sw = toHex(entry.response.subarray(entry.response.length - 2));
  const data = entry.response.length > 2 ? ` +${entry.response.length - 2} bytes` : '';
  return `${name} ${shown} → ${sw}${data} (${ms})`;
}

function swLevel(entry: TraceEntry): EventLine['level'] {
  const r = entry.response;
  if (r === undefined || r.length < 2) return 'error';
  const sw1 = r[r.length - 2]!;
  return sw1 === 0x90 || sw1 === 0x61 ? 'info' : 'warn';
}

/** A channel that logs every transmit, everything else passed through untouched (whatever the channel offers). */
export function tapChannel(channel: CardChannel, log: EventLog): CardChannel {
  // A trace with no file: its record() redacts and times exactly as --trace does, and hands us the entry.
  const trace = new Trace();
  trace.onEntry((entry) => log.push('apdu', `[${shortReader(entry.reader)}] ${apduSummary(entry)}`, swLevel(entry)));
  const transmit = async (apdu: Uint8Array): Promise<Uint8Array> => {
    const t0 = performance.now();
    try {
      const res = await channel.transmit(apdu);
      trace.record(channel.reader, apdu, t0, res);
      return res;
    } catch (e) {
      trace.record(channel.reader, apdu, t0, undefined, e);
      throw e;
    }
  };
  return new Proxy(channel, {
    get(target, prop, receiver) {
      if (prop === 'transmit') return transmit;
      const value: unknown = Reflect.get(target, prop, receiver);
      return typeof value === 'function' ? (value as (...a: unknown[]) => unknown).bind(target) : value;
    },
  });
}

/** The transport with every channel it connects tapped; the same object for everything else. */
export function tapTransport(transport: Transport, log: EventLog): Transport {
  return new Proxy(transport, {
    get(target, prop, receiver) {
      if (prop === 'connect') {
        return async (reader: string) => {
          const channel = await target.connect(reader);
          log.push('card', `connected to ${reader} (ATR ${channel.atr})`);
          return tapChannel(channel, log);
        };
      }
      const value: unknown = Reflect.get(target, prop, receiver);
      return typeof value === 'function' ? (value as (...a: unknown[]) => unknown).bind(target) : value;
    },
  });
}

/** A reader name short enough for a log line ("Virtual PCD 00 00" stays, long vendor names are cut). */
export function shortReader(name: string): string {
  return name.length <= 24 ? name : `${name.slice(0, 23)}…`;
}

// ---------------------------------------------------------------- readers, cards, checks, rewrites

export function readerEventLine(event: TransportEvent): { text: string; level: EventLine['level'] } {
  switch (event.type) {
    case 'reader-added':
      return { text: `reader added: ${event.reader}`, level: 'info' };
    case 'reader-removed':
      return { text: `reader removed: ${event.reader}`, level: 'warn' };
    case 'card-inserted':
      return { text: `card inserted in ${event.reader} (ATR ${event.atr})`, level: 'info' };
    case 'card-removed':
      return { text: `card removed from ${event.reader}`, level: 'warn' };
    case 'service':
      return event.up
        ? { text: 'PC/SC service up', level: 'ok' }
        : { text: `PC/SC service down${event.detail ? `: ${event.detail}` : ''}`, level: 'error' };
  }
}

export function cardReadLine(info: CardInfo): string {
  const serials = info.certificates.map((c) => `${c.slot}:${c.serialNumber}`).join(' ');
  return `card ${info.number} read (generation ${info.generation}${info.virtual ? ', virtual' : ''}; serials ${serials}${info.consistent ? '' : '; INCONSISTENT'})`;
}

export function errorLine(what: string, e: unknown): string {
  const code = typeof e === 'object' && e !== null && 'code' in e ? String((e as { code: unknown }).code) : 'error';
  const message = e instanceof Error ? e.message : String(e);
  return `${what} failed: ${code}: ${message}`;
}

/**
 * Logs the rewrite's steps: each new step once; a slot's write when it starts, and when it ends (all its
 * bytes reported, or the machine moved on).
 */
export function rewriteStepLogger(log: EventLog, reader: string): (progress: RewriteProgress) => void {
  const who = `[${shortReader(reader)}]`;
  let last: string | undefined;
  let writing: { slot: number | undefined; total: number | undefined; logged: boolean } | undefined;
  const finishWrite = (): void => {
    if (writing !== undefined && !writing.logged) log.push('rewrite', `${who} wrote slot ${writing.slot ?? '?'}: ${writing.total ?? '?'} bytes`);
    writing = undefined;
  };
  return (p) => {
    if (p.step === 'write') {
      if (writing === undefined || writing.slot !== p.slot) {
        finishWrite();
        writing = { slot: p.slot, total: p.total, logged: false };
        log.push('rewrite', `${who} writing slot ${p.slot ?? '?'}${p.total !== undefined ? ` (${p.total} bytes)` : ''}`);
      }
      if (p.done !== undefined && p.done === p.total) {
        finishWrite();
        writing = { slot: p.slot, total: p.total, logged: true };
      }
      last = 'write';
      return;
    }
    finishWrite();
    if (last === p.step) return;
    last = p.step;
    log.push('rewrite', `${who} step: ${p.step}`, p.step === 'done' ? 'ok' : 'info');
  };
}

// ---------------------------------------------------------------- network

function urlOf(request: ClientRequest): string {
  const host = request.getHeader('host') ?? request.host;
  return `${request.protocol}//${String(host)}${request.path}`;
}

/**
 * Logs every HTTP request of this process with its URL, status and time, from Node's own diagnostics
 * channels (so got, the OCSP client and any later client are covered without a hook in them).
 * Returns the unsubscribe function.
 */
export function watchHttp(log: EventLog, now: () => number = () => performance.now()): () => void {
  const started = new WeakMap<object, number>();
  const onStart = (message: unknown): void => {
    const { request } = message as { request: ClientRequest };
    started.set(request, now());
  };
  const took = (request: object): string => {
    const t0 = started.get(request);
    started.delete(request);
    return t0 === undefined ? '' : ` (${(now() - t0).toFixed(0)} ms)`;
  };
  const onResponse = (message: unknown): void => {
    const { request, response } = message as { request: ClientRequest; response: IncomingMessage };
    const status = response.statusCode ?? 0;
    log.push('net', `${request.method} ${urlOf(request)} → ${status}${took(request)}`, status >= 400 ? 'warn' : 'info');
  };
  const onError = (message: unknown): void => {
    const { request, error } = message as { request: ClientRequest; error: Error };
    log.push('net', `${request.method} ${urlOf(request)} ✖ ${error.message}${took(request)}`, 'error');
  };
  const channels: Array<[string, (m: unknown) => void]> = [
    ['http.client.request.start', onStart],
    ['http.client.response.finish', onResponse],
    ['http.client.request.error', onError],
  ];
  for (const [name, fn] of channels) dc.subscribe(name, fn);
  return () => {
    for (const [name, fn] of channels) dc.unsubscribe(name, fn);
  };
}

// ---------------------------------------------------------------- the log as text (the helpdesk report)

/** One line of the log as the Output panel shows it: time (Asia/Taipei, text/dates.ts), source, text (already sanitised). */
export function eventLineText(line: EventLine): string {
  return `${taipeiClock(line.at)} ${line.source.padEnd(7)} ${line.text}`;
}

// ---------------------------------------------------------------- the TUI engine, logged

/**
 * The TUI engine with its event log: reads, checks, rewrites and the reader events logged around the
 * engine's own methods (so the engine's code stays as it is), HTTP watched while it is open.
 */
export function withEventLog(engine: Omit<Engine, 'events'>, log: EventLog, transport: Pick<Transport, 'on'>): Engine {
  const offReaders = transport.on((event) => {
    const { text, level } = readerEventLine(event);
    log.push('reader', text, level);
  });
  const offHttp = watchHttp(log);
  return {
    ...engine,
    events: log,
    async readCard(reader) {
      log.push('card', `reading the card in ${reader}`);
      try {
        const info = await engine.readCard(reader);
        log.push('card', cardReadLine(info), info.consistent ? 'ok' : 'warn');
        return info;
      } catch (e) {
        log.push('card', errorLine(`read (${reader})`, e), 'error');
        throw e;
      }
    },
    async check(card, events) {
      log.push('check', `checking card ${card.number}`);
      try {
        const result = await engine.check(card, events);
        const v = result.verdict;
        const ocsp = v.ocsp.checked ? 'OCSP checked' : `OCSP not checked${v.ocsp.notCheckedReason ? ` (${v.ocsp.notCheckedReason})` : ''}`;
        log.push('check', `card ${card.number}: verdict ${v.verdict}, status ${v.status}; ${ocsp}`, v.verdict === 'A' ? 'ok' : 'warn');
        return result;
      } catch (e) {
        log.push('check', errorLine(`check (${card.number})`, e), 'error');
        throw e;
      }
    },
    async rewrite(card, pin, onProgress, options) {
      log.push('rewrite', `[${shortReader(card.reader)}] rewrite of card ${card.number} started`);
      const step = rewriteStepLogger(log, card.reader);
      try {
        const result = await engine.rewrite(card, pin, (p) => {
          step(p);
          onProgress(p);
        }, options);
        log.push('rewrite', `[${shortReader(card.reader)}] rewrite done: serials ${result.serialNumbers.join(' ')}${result.backup ? `; backup ${result.backup}` : ''}`, 'ok');
        return result;
      } catch (e) {
        log.push('rewrite', errorLine(`[${shortReader(card.reader)}] rewrite`, e), 'error');
        throw e;
      }
    },
    async close() {
      offReaders();
      offHttp();
      await engine.close();
    },
  };
}
