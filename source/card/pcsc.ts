/**
 * The Transport over pcsc-lite, through the `pcsclite` binding (loaded lazily: it is native and optional).
 * What the binding leaves to its user (the project's notes, pcsc-pitfalls.md): recovering when pcscd
 * stops or restarts, telling a swapped card from a merged event, reconnecting after a removal, queueing
 * APDUs per reader, timeouts, and shutting down so the process can exit.
 */
import { nativeCalls } from './native-calls.js';
import { MoicaError } from '../errors.js';
import { toHex } from './apdu.js';
import { carriesPin } from './trace.js';
import type { CardChannel, ReaderState, Transport, TransportEvent } from './types.js';

// The binding's shapes (its index.d.ts does not declare everything this file uses).
interface PcscReader {
  name: string;
  connected: boolean;
  SCARD_SHARE_SHARED: number;
  SCARD_SHARE_EXCLUSIVE: number;
  SCARD_RESET_CARD: number;
  SCARD_PROTOCOL_T0: number;
  SCARD_PROTOCOL_T1: number;
  SCARD_STATE_PRESENT: number;
  SCARD_STATE_MUTE: number;
  SCARD_LEAVE_CARD: number;
  on(event: 'status', cb: (status: { state: number; atr?: Buffer }) => void): void;
  on(event: 'error' | 'end', cb: (error?: Error) => void): void;
  connect(options: { share_mode: number; protocol: number }, cb: (err: Error | null | undefined, protocol?: number) => void): void;
  disconnect(disposition: number, cb: (err: Error | null | undefined) => void): void;
  transmit(data: Buffer, resLen: number, protocol: number, cb: (err: Error | null | undefined, data?: Buffer) => void): void;
  close(): void;
}
interface PcscContext {
  on(event: 'reader', cb: (reader: PcscReader) => void): void;
  on(event: 'error', cb: (error: Error) => void): void;
  start?: (cb: (err: unknown, data: unknown) => void) => void;
  close(): void;
}
type PcscFactory = () => PcscContext;

export const BINDING_FIX = 'apt-get install libpcsclite-dev pcscd, then npm rebuild pcsclite';

/** The binding, or MoicaError('pcsc-binding-missing') with the fix. */
export async function loadPcsclite(): Promise<PcscFactory> {
  try {
    const mod = (await import('pcsclite')) as unknown as { default?: PcscFactory };
    const factory = mod.default ?? (mod as unknown as PcscFactory);
    if (typeof factory !== 'function') throw new Error('pcsclite exports no function');
    return factory;
  } catch (e) {
    throw new MoicaError('pcsc-binding-missing', `The PC/SC binding (pcsclite) could not be loaded. Fix: ${BINDING_FIX}.`, { fix: BINDING_FIX }, { cause: e });
  }
}

/** pcsc-lite return codes, from the binding's error messages ("… (0x80100069)"). */
const CODE = {
  CANCELLED: 0x80100002,
  NO_SERVICE: 0x8010001d,
  SERVICE_STOPPED: 0x8010001e,
  COMM_ERROR: 0x80100013, // "RPC transport error"
  READER_UNAVAILABLE: 0x80100017,
  NO_SMARTCARD: 0x8010000c,
  UNKNOWN_READER: 0x80100009,
  REMOVED_CARD: 0x80100069,
  RESET_CARD: 0x80100068,
  UNPOWERED_CARD: 0x80100067,
  UNRESPONSIVE_CARD: 0x80100066,
  SHARING_VIOLATION: 0x8010000b,
} as const;

export function pcscCode(e: unknown): number | undefined {
  const m = /\(0x([0-9a-f]{8})\)/i.exec(e instanceof Error ? e.message : String(e));
  return m ? parseInt(m[1]!, 16) : undefined;
}

const SERVICE_GONE = new Set<number>([CODE.NO_SERVICE, CODE.SERVICE_STOPPED, CODE.COMM_ERROR]);
const CARD_GONE = new Set<number>([CODE.REMOVED_CARD, CODE.RESET_CARD, CODE.UNPOWERED_CARD, CODE.NO_SMARTCARD, CODE.READER_UNAVAILABLE, CODE.UNKNOWN_READER]);

function cardError(e: unknown, what: string): MoicaError {
  const code = pcscCode(e);
  const text = e instanceof Error ? e.message : String(e);
  if (code === CODE.RESET_CARD) return new MoicaError('card-removed', `The card was reset by another program or the reader (${what}); nothing more is sent on this connection.`, { pcsc: text, reset: true });
  if (code !== undefined && CARD_GONE.has(code)) return new MoicaError('card-removed', `The card was removed (${what}).`, { pcsc: text });
  if (code !== undefined && SERVICE_GONE.has(code)) return new MoicaError('pcsc-unavailable', `The PC/SC service went away (${what}).`, { pcsc: text });
  if (code === CODE.SHARING_VIOLATION) return new MoicaError('card-busy', `Another program is using the card (${what}); nothing was written. Close it and try again.`, { pcsc: text });
  return new MoicaError('card-error', `PC/SC ${what} failed: ${text}`, { pcsc: text });
}

/** Short APDUs answer at most 256 bytes + SW; the binding drops a reply that does not fit after the card acted. */
const RESPONSE_BUFFER = 65538;

export interface PcscOptions {
  /** Transmit timeout (ms); a silent card gives MoicaError('card-timeout'), never a hang. */
  timeoutMs?: number;
  /** How often to try again while pcscd is down (ms). */
  retryMs?: number;
}

interface Connection {
  protocol: number;
  /** The card this connection was made to (see Slot.card). */
  card: number;
  users: number;
  dead?: MoicaError;
  /** Held SCARD_SHARE_EXCLUSIVE (a write sequence): no other PC/SC client reaches the card. */
  exclusive: boolean;
  /** A PIN-bearing command went out since the last reset: any disconnect of this connection resets the card. */
  pinSession: boolean;
  /** acquire() calls not yet released (a read hold inside a write sequence, two reads of one process). */
  holds: number;
}

interface Slot {
  reader: PcscReader;
  state: ReaderState;
  statusSeen: boolean;
  /** Bumped on every insertion and removal: a channel to an older card must fail. */
  card: number;
  connection?: Connection;
  queue: Promise<unknown>;
}

export class PcscTransport implements Transport {
  private context: PcscContext | undefined;
  private contextId = 0;
  private readonly slots = new Map<string, Slot>();
  private readonly listeners = new Set<(event: TransportEvent) => void>();
  private up = false;
  private enumerated = false;
  private firstAttemptDone = false;
  private readyWaiters: Array<() => void> = [];
  private retryTimer: NodeJS.Timeout | undefined;
  private closed = false;
  /** A transmit timed out while its native call is still pending (see closeLater). */
  private nativeCallPending = false;
  private readonly closing = new Set<Promise<void>>();
  private readonly timeoutMs: number;
  private readonly retryMs: number;

  constructor(private readonly factory: PcscFactory, options: PcscOptions = {}) {
    this.timeoutMs = options.timeoutMs ?? 10_000;
    this.retryMs = options.retryMs ?? 1_000;
    this.attach();
  }

  static async create(options?: PcscOptions): Promise<PcscTransport> {
    return new PcscTransport(await loadPcsclite(), options);
  }

  readers(): ReaderState[] {
    return [...this.slots.values()].map((s) => ({ ...s.state }));
  }

  on(listener: (event: TransportEvent) => void): () => void {
    this.listeners.add(listener);
    return () => this.listeners.delete(listener);
  }

  /** Also resolves after the timeout: a pcscd that never finishes a listing must not hang the caller. */
  ready(): Promise<void> {
    if (this.isReady()) return Promise.resolve();
    return new Promise((resolve) => {
      const timer = setTimeout(resolve, this.timeoutMs);
      this.readyWaiters.push(() => {
        clearTimeout(timer);
        resolve();
      });
    });
  }

  serviceUp(): boolean {
    return this.up;
  }

  async connect(name: string): Promise<CardChannel> {
    const slot = this.slots.get(name);
    if (slot === undefined) throw new MoicaError('no-reader', `No reader named "${name}".`, { reader: name });
    if (!slot.state.cardPresent || slot.state.atr === undefined) throw new MoicaError('no-card', `No card in "${name}".`, { reader: name });
    const atr = slot.state.atr;
    const connection = await this.enqueue(slot, () => this.ensureConnection(slot));
    connection.users++;
    let open = true;
    return {
      reader: name,
      atr,
      transmit: (apdu) => this.enqueue(slot, () => this.transmit(slot, connection, apdu)),
      acquire: (options) => this.enqueue(slot, () => this.reconnect(slot, connection, true, false, options?.waitMs)),
      release: ({ reset }) => this.enqueue(slot, () => this.reconnect(slot, connection, false, reset)),
      close: async () => {
        if (!open) return;
        open = false;
        connection.users--;
        if (connection.users === 0 && slot.connection === connection) {
          slot.connection = undefined;
          // A mute card would not answer the disconnect either: do not wait for it a second time.
          if (this.nativeCallPending) return;
          await bounded(this.enqueue(slot, () => disconnect(slot.reader, dispositionFor(slot.reader, connection))), this.timeoutMs);
        }
      },
    };
  }

  async close(): Promise<void> {
    if (this.closed) return;
    this.closed = true;
    if (this.retryTimer) clearInterval(this.retryTimer);
    this.retryTimer = undefined;
    for (const slot of this.slots.values()) {
      const connection = slot.connection;
      if (connection && !this.nativeCallPending) await bounded(this.enqueue(slot, () => disconnect(slot.reader, dispositionFor(slot.reader, connection))), this.timeoutMs);
      this.closeLater(slot.reader);
    }
    this.slots.clear();
    this.dropContext();
    this.flushReady();
    await Promise.all(this.closing);
  }

  // ---------------------------------------------------------------- the context and its recovery

  private attach(): void {
    if (this.closed) return;
    let context: PcscContext;
    try {
      context = this.factory();
    } catch (e) {
      // "Service not available", thrown synchronously while pcscd is not running.
      this.firstAttemptDone = true;
      this.serviceDown(e instanceof Error ? e.message : String(e));
      return;
    }
    const id = ++this.contextId;
    this.context = context;
    this.enumerated = false;
    context.on('error', (e) => {
      if (id !== this.contextId || this.closed) return; // includes "Command cancelled" from close()
      this.serviceDown(e.message);
    });
    context.on('reader', (reader) => {
      if (id !== this.contextId || this.closed) {
        reader.on('error', () => undefined);
        this.closeLater(reader);
        return;
      }
      this.addReader(reader, id);
    });
    // The binding announces readers but not the end of an enumeration (with no reader, nothing at all):
    // wrap its start() to learn when the first listing is in.
    const start = context.start;
    if (typeof start === 'function') {
      context.start = (cb) => start.call(context, (err, data) => {
        cb(err, data);
        if (id === this.contextId && !err) {
          this.enumerated = true;
          this.checkReady();
        }
      });
    } else this.enumerated = true;
    this.firstAttemptDone = true;
    if (!this.up) {
      this.up = true;
      if (this.retryTimer) clearInterval(this.retryTimer);
      this.retryTimer = undefined;
      this.emit({ type: 'service', up: true });
    }
  }

  private serviceDown(detail: string): void {
    const wasUp = this.up;
    this.up = false;
    for (const name of [...this.slots.keys()]) this.removeReader(name);
    this.dropContext();
    if (wasUp || this.retryTimer === undefined) this.emit({ type: 'service', up: false, detail });
    if (this.retryTimer === undefined && !this.closed) {
      // unref'd: waiting for pcscd never keeps the process alive on its own.
      this.retryTimer = setInterval(() => this.attach(), this.retryMs);
      this.retryTimer.unref();
    }
    this.flushReady();
  }

  private dropContext(): void {
    const context = this.context;
    this.context = undefined;
    this.contextId++;
    if (context) this.closeLater(context);
  }

  /**
   * close() on the next turn, never inside a binding callback: the binding holds the reader's mutex while
   * it runs a status/'end' callback, and CardReader.close() takes that mutex again: a self-deadlock that
   * freezes the process (seen when pcscd restarts and 'end' arrives).
   */
  private closeLater(target: { close(): void }): void {
    // With a transmit still pending in the binding (a mute card), its close() blocks the whole thread
    // (measured: the main thread stops for good). Leave those handles to the process's exit instead.
    if (this.nativeCallPending) return;
    const done = new Promise<void>((resolve) => setImmediate(() => {
      safely(() => target.close());
      this.closing.delete(done);
      resolve();
    }));
    this.closing.add(done);
  }

  // ---------------------------------------------------------------- readers and cards

  private addReader(reader: PcscReader, contextId: number): void {
    const name = reader.name;
    const slot: Slot = {
      reader,
      state: { name, cardPresent: false, eventCount: 0 },
      statusSeen: false,
      card: 0,
      queue: Promise.resolve(),
    };
    this.slots.set(name, slot);
    reader.on('error', () => {
      // Reported on the context too when pcscd goes away; a reader-only error ends with 'end'. A reader
      // whose first status failed counts as seen (no card), or ready() would wait for it forever.
      if (!slot.statusSeen && this.slots.get(name) === slot) {
        slot.statusSeen = true;
        this.checkReady();
      }
    });
    reader.on('end', () => {
      if (contextId === this.contextId && this.slots.get(name) === slot) this.removeReader(name);
    });
    reader.on('status', (status) => {
      if (contextId === this.contextId && this.slots.get(name) === slot) this.onStatus(slot, status);
    });
    this.emit({ type: 'reader-added', reader: name });
  }

  private removeReader(name: string): void {
    const slot = this.slots.get(name);
    if (!slot) return;
    this.slots.delete(name);
    if (slot.state.cardPresent) this.cardGone(slot);
    if (slot.connection) slot.connection.dead = new MoicaError('card-removed', `The reader "${name}" went away.`);
    this.closeLater(slot.reader);
    this.emit({ type: 'reader-removed', reader: name });
    this.checkReady();
  }

  private onStatus(slot: Slot, status: { state: number; atr?: Buffer }): void {
    const flags = status.state & 0xffff;
    const eventCount = status.state >>> 16;
    const present = (flags & slot.reader.SCARD_STATE_PRESENT) !== 0 && (flags & slot.reader.SCARD_STATE_MUTE) === 0;
    const atr = present && status.atr && status.atr.length > 0 ? toHex(status.atr) : undefined;
    const before = slot.state;
    const sameCard = before.cardPresent && present && before.atr === atr && (before.eventCount === eventCount || !slot.statusSeen);
    slot.statusSeen = true;
    slot.state = { name: before.name, cardPresent: present && atr !== undefined, atr, eventCount };
    if (before.cardPresent && !sameCard) this.cardGone(slot);
    // A changed counter with a card still present: two events merged into one (a swap).
    if (slot.state.cardPresent && !sameCard) {
      slot.card++;
      this.emit({ type: 'card-inserted', reader: before.name, atr: atr! });
    }
    this.checkReady();
  }

  private cardGone(slot: Slot): void {
    slot.card++;
    if (slot.connection) slot.connection.dead = new MoicaError('card-removed', 'The card was removed.');
    this.emit({ type: 'card-removed', reader: slot.state.name });
  }

  // ---------------------------------------------------------------- connecting and transmitting

  private async ensureConnection(slot: Slot): Promise<Connection> {
    const current = slot.connection;
    if (current && !current.dead && current.card === slot.card && slot.reader.connected) return current;
    slot.connection = undefined;
    // After a removal the binding still says "connected": disconnect first, or connect() answers no protocol.
    if (slot.reader.connected) await disconnect(slot.reader).catch(() => undefined);
    slot.reader.connected = false;
    let protocol = await connectShared(slot.reader);
    if (protocol === undefined) {
      await disconnect(slot.reader).catch(() => undefined);
      slot.reader.connected = false;
      protocol = await connectShared(slot.reader);
    }
    if (protocol === undefined) throw new MoicaError('card-error', 'The reader connected without a protocol.');
    const connection: Connection = { protocol, card: slot.card, users: 0, exclusive: false, pinSession: false, holds: 0 };
    slot.connection = connection;
    return connection;
  }

  /**
   * The binding has no SCardBeginTransaction nor SCardReconnect: disconnect and connect again, exclusive for
   * a write sequence (another client's handle makes pcscd refuse with a sharing violation: tried again
   * until the timeout, then 'card-busy'), shared after it, the card reset first when a PIN was verified
   * (SCARD_RESET_CARD: the verified state is gone before anyone else can reach the card). The connection
   * object stays the same: channels keep working, and a dead one stays dead (nothing is sent after a reset
   * or a removal that was not ours).
   */
  private async reconnect(slot: Slot, connection: Connection, exclusive: boolean, reset: boolean, waitMs = this.timeoutMs): Promise<void> {
    const gone = connection.dead ?? (connection.card !== slot.card || this.slots.get(slot.state.name) !== slot
      ? new MoicaError('card-removed', 'The card was removed.') : undefined);
    if (gone) {
      // A card that went away or was reset has lost its verified state already: nothing to release.
      if (!exclusive) return;
      throw gone;
    }
    reset ||= connection.pinSession;
    if (exclusive && connection.exclusive) {
      connection.holds++;
      return;
    }
    if (!exclusive) {
      connection.holds = Math.max(0, connection.holds - 1);
      if (connection.holds > 0 && !reset) return;
    }
    if (!exclusive && !connection.exclusive && !reset) return;
    const reader = slot.reader;
    try {
      await disconnect(reader, reset ? reader.SCARD_RESET_CARD : reader.SCARD_LEAVE_CARD);
    } catch (e) {
      connection.dead = toMoicaErrorOf(e);
      if (!exclusive) return;
      throw connection.dead;
    }
    reader.connected = false;
    connection.exclusive = false;
    if (reset) {
      connection.pinSession = false;
      releasePinSession(connection);
    }
    const deadline = performance.now() + waitMs;
    for (let attempt = 0; ; attempt++) {
      try {
        const protocol = await connectWith(reader, exclusive ? reader.SCARD_SHARE_EXCLUSIVE : reader.SCARD_SHARE_SHARED);
        if (protocol === undefined) throw new MoicaError('card-error', 'The reader connected without a protocol.');
        connection.protocol = protocol;
        connection.exclusive = exclusive;
        connection.holds = exclusive ? connection.holds + 1 : 0;
        break;
      } catch (e) {
        const error = toMoicaErrorOf(e);
        if (error.code === 'card-busy' && performance.now() < deadline && !this.closed) {
          await new Promise((resolve) => setTimeout(resolve, Math.min(5 + attempt, 20)));
          continue;
        }
        // Not exclusive in time: the connection goes back to shared and stays usable (a read goes on shared).
        if (error.code === 'card-busy' && exclusive) {
          const protocol = await connectWith(reader, reader.SCARD_SHARE_SHARED).catch((s: unknown) => {
            connection.dead = toMoicaErrorOf(s);
            return undefined;
          });
          if (protocol !== undefined) connection.protocol = protocol;
          else connection.dead ??= error;
          throw error;
        }
        connection.dead = error;
        if (!exclusive) return;
        throw error;
      }
    }
    if (connection.card !== slot.card) {
      connection.dead = new MoicaError('card-removed', 'The card changed while this program reconnected to it.');
      if (exclusive) throw connection.dead;
    }
  }

  private transmit(slot: Slot, connection: Connection, apdu: Uint8Array): Promise<Uint8Array> {
    if (connection.dead) return Promise.reject(connection.dead);
    if (connection.card !== slot.card || this.slots.get(slot.state.name) !== slot) {
      return Promise.reject(new MoicaError('card-removed', 'The card was removed.'));
    }
    return new Promise((resolve, reject) => {
      let settled = false;
      const timer = setTimeout(() => {
        settled = true;
        // The native call may still be pending: nothing more goes to this connection.
        connection.dead = new MoicaError('card-timeout', `The card did not answer within ${this.timeoutMs} ms.`);
        this.nativeCallPending = true;
        reject(connection.dead);
      }, this.timeoutMs);
      // A buffer of our own, not a pooled Buffer.from() slice (it may hold a PIN): zeroed once the binding
      // gave it back, whether or not this transmit timed out meanwhile.
      const command = Buffer.allocUnsafeSlow(apdu.length);
      command.set(apdu);
      if (carriesPin(command) && !connection.pinSession) {
        connection.pinSession = true;
        holdPinSession(connection, () => bounded(disconnect(slot.reader, slot.reader.SCARD_RESET_CARD), 1000));
      }
      nativeCalls.started();
      slot.reader.transmit(command, RESPONSE_BUFFER, connection.protocol, (err, data) => {
        nativeCalls.ended();
        command.fill(0);
        clearTimeout(timer);
        if (settled) return;
        settled = true;
        if (err) {
          const e = cardError(err, 'transmit');
          if (e.code === 'card-removed') connection.dead = e;
          reject(e);
        } else if (!data || data.length < 2) {
          // vpcd: a card pulled mid-APDU can give an empty reply with no error.
          connection.dead = new MoicaError('card-removed', 'The card stopped answering (it was removed?).');
          reject(connection.dead);
        } else resolve(new Uint8Array(data));
      });
    });
  }

  private enqueue<T>(slot: Slot, job: () => Promise<T>): Promise<T> {
    const run = slot.queue.then(job, job);
    slot.queue = run.catch(() => undefined);
    return run;
  }

  // ---------------------------------------------------------------- events and readiness

  private emit(event: TransportEvent): void {
    for (const l of [...this.listeners]) {
      try {
        l(event);
      } catch {
        // A listener's bug must not break the transport's bookkeeping.
      }
    }
  }

  private isReady(): boolean {
    if (this.closed) return true;
    if (!this.firstAttemptDone) return false;
    if (!this.up) return true;
    return this.enumerated && [...this.slots.values()].every((s) => s.statusSeen);
  }

  private checkReady(): void {
    if (this.isReady()) this.flushReady();
  }

  private flushReady(): void {
    const waiters = this.readyWaiters;
    this.readyWaiters = [];
    for (const w of waiters) w();
  }
}

function connectShared(reader: PcscReader): Promise<number | undefined> {
  return connectWith(reader, reader.SCARD_SHARE_SHARED);
}

function connectWith(reader: PcscReader, shareMode: number): Promise<number | undefined> {
  return new Promise((resolve, reject) => {
    reader.connect({ share_mode: shareMode, protocol: reader.SCARD_PROTOCOL_T0 | reader.SCARD_PROTOCOL_T1 }, (err, protocol) => {
      if (err) reject(cardError(err, 'connect'));
      else resolve(protocol ?? undefined);
    });
  });
}

/**
 * SCARD_LEAVE_CARD by default: a read leaves the card powered for the next (SCARD_UNPOWER_CARD, the binding's
 * default, would cost a power-up each time). A write sequence that sent a PIN ends with SCARD_RESET_CARD.
 */
function disconnect(reader: PcscReader, disposition: number = reader.SCARD_LEAVE_CARD): Promise<void> {
  return new Promise((resolve, reject) => {
    if (!reader.connected) return resolve();
    reader.disconnect(disposition, (err) => (err ? reject(cardError(err, 'disconnect')) : resolve()));
  });
}

/** A connection that carried a PIN ends with a reset: the verified state never outlives it. */
function dispositionFor(reader: PcscReader, connection: Connection): number {
  if (!connection.pinSession) return reader.SCARD_LEAVE_CARD;
  connection.pinSession = false;
  releasePinSession(connection);
  return reader.SCARD_RESET_CARD;
}

/**
 * pcscd does not reset the card of a client that dies: measured, a process killed right after its VERIFY
 * leaves the card verified for the next client (test/safety/exclusive-rig.test.ts). So while a connection
 * of this process carries a verified PIN, SIGINT/SIGTERM/SIGHUP reset its card first (at most 1 s), then
 * the signal does what it would have done. When someone else handles the signal (the headless rewrite's
 * interrupts: it ends the rewrite, whose end() resets the card), this stays out of the way. SIGKILL cannot
 * be caught: pcscd then powers the card down by itself after a few seconds of disuse.
 */
const PIN_SIGNALS = ['SIGINT', 'SIGTERM', 'SIGHUP'] as const;
const pinSessions = new Map<object, () => Promise<void>>();

function onPinSignal(signal: NodeJS.Signals): void {
  if (process.listenerCount(signal) > 1) return;
  const resets = [...pinSessions.values()];
  pinSessions.clear();
  for (const s of PIN_SIGNALS) process.off(s, onPinSignal);
  void Promise.all(resets.map((r) => r().catch(() => undefined))).then(() => process.kill(process.pid, signal));
}

function holdPinSession(key: object, reset: () => Promise<void>): void {
  if (pinSessions.size === 0) for (const s of PIN_SIGNALS) process.on(s, onPinSignal);
  pinSessions.set(key, reset);
}

function releasePinSession(key: object): void {
  if (!pinSessions.delete(key) || pinSessions.size > 0) return;
  for (const s of PIN_SIGNALS) process.off(s, onPinSignal);
}

function toMoicaErrorOf(e: unknown): MoicaError {
  return e instanceof MoicaError ? e : cardError(e, 'connect');
}

/**
 * Waits for a disconnect at most `ms`: behind a card that stopped answering, pcscd holds the reader until
 * the card answers, which may be never, and closing must not wait for that (a mute card's card-timeout
 * never reached the caller: closing the channel waited on it first).
 */
function bounded(job: Promise<void>, ms: number): Promise<void> {
  return new Promise((resolve) => {
    const timer = setTimeout(resolve, ms);
    timer.unref();
    job.catch(() => undefined).then(() => {
      clearTimeout(timer);
      resolve();
    });
  });
}

function safely(fn: () => void): void {
  try {
    fn();
  } catch {
    // closing something already dead
  }
}
