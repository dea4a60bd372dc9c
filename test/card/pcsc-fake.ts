/**
 * A stand-in for the `pcsclite` binding that behaves the way notes/pcsc-pitfalls.md describes the real
 * one: start() after a tick, 'reader' events, status with a counter in bits 16-31, connect() answering no
 * protocol while `connected` is still set, 'error' then 'end' on everything when pcscd goes away.
 */
import { EventEmitter } from 'node:events';

export const PRESENT = 0x20;
export const EMPTY = 0x10;
export const INUSE = 0x100;
export const MUTE = 0x200;

export class FakeReader extends EventEmitter {
  connected = false;
  readonly SCARD_SHARE_SHARED = 2;
  readonly SCARD_PROTOCOL_T0 = 1;
  readonly SCARD_PROTOCOL_T1 = 2;
  readonly SCARD_STATE_PRESENT = PRESENT;
  readonly SCARD_STATE_MUTE = MUTE;
  readonly SCARD_LEAVE_CARD = 0;
  inFlight = 0;
  maxInFlight = 0;
  connects: Array<{ share_mode: number }> = [];
  disconnects = 0;
  closed = false;
  /** How the card answers; undefined = never (a mute card). */
  answer: ((apdu: Buffer) => Buffer) | undefined = () => Buffer.from([0x90, 0x00]);
  transmitError: Error | undefined;

  constructor(readonly name: string) {
    super();
  }

  status(state: number, atr?: string): void {
    this.emit('status', { state, ...(atr ? { atr: Buffer.from(atr, 'hex') } : {}) });
  }

  connect(options: { share_mode: number; protocol: number }, cb: (err: Error | null, protocol?: number) => void): void {
    this.connects.push({ share_mode: options.share_mode });
    if (this.connected) {
      setImmediate(() => cb(null));
      return;
    }
    setImmediate(() => {
      this.connected = true;
      cb(null, 2);
    });
  }

  disconnect(_disposition: number, cb: (err: Error | null) => void): void {
    this.disconnects++;
    setImmediate(() => {
      this.connected = false;
      cb(null);
    });
  }

  transmit(data: Buffer, _len: number, _protocol: number, cb: (err: Error | null, data?: Buffer) => void): void {
    this.inFlight++;
    this.maxInFlight = Math.max(this.maxInFlight, this.inFlight);
    const answer = this.answer;
    if (answer === undefined) return;
    setImmediate(() => {
      this.inFlight--;
      if (this.transmitError) cb(this.transmitError);
      else cb(null, answer(data));
    });
  }

  close(): void {
    this.closed = true;
  }
}

export class FakeContext extends EventEmitter {
  closed = false;
  private listing: ((err: unknown, data: unknown) => void) | undefined;
  start?: (cb: (err: unknown, data: unknown) => void) => void;

  constructor(readonly fake: FakePcsc) {
    super();
    this.start = (cb) => {
      this.listing = cb;
    };
    process.nextTick(() => this.start!((err, data) => this.listing2(err, data)));
  }

  // The binding's own listing callback: emits 'reader' for new names.
  private listing2(err: unknown, _data: unknown): void {
    if (err) this.emit('error', err);
  }

  /** A listing from pcscd: new readers are announced, then the listing callback runs. */
  list(readers: FakeReader[]): void {
    for (const r of readers) this.emit('reader', r);
    this.listing?.(undefined, Buffer.alloc(0));
  }

  fail(message: string): void {
    this.listing?.(new Error(message), undefined);
  }

  close(): void {
    this.closed = true;
    // The real binding reports "Command cancelled" when closed.
    this.emit('error', new Error('SCardGetStatusChange error: Command cancelled.(0x80100002)'));
  }
}

export class FakePcsc {
  serviceUp = true;
  contexts: FakeContext[] = [];

  factory = (): FakeContext => {
    if (!this.serviceUp) throw new Error('SCardEstablishContext error: Service not available.(0x8010001d)');
    const c = new FakeContext(this);
    this.contexts.push(c);
    return c;
  };

  get current(): FakeContext {
    return this.contexts.at(-1)!;
  }
}
