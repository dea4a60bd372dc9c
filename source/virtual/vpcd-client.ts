/**
 * Puts a VirtualCard into a vpcd reader (Debian's vsmartcard-vpcd driver under pcscd) over TCP:
 * connecting is inserting the card, closing is removing it. Frames both ways are a 2-byte big-endian
 * length then the payload; vpcd writes the two in separate segments, so frames are reassembled here.
 * One-byte payloads are control messages: 00 power off, 01 power on, 02 reset, 04 ATR (answered).
 */
import { connect, type Socket } from 'node:net';
import { EventEmitter } from 'node:events';
import { MoicaError } from '../errors.js';
import type { VirtualCard } from './card.js';

const POWER_OFF = 0x00;
const POWER_ON = 0x01;
const RESET = 0x02;
const GET_ATR = 0x04;

export interface VpcdClientOptions {
  port: number;
  host?: string;
}

/** Accumulates bytes and yields whole frames. */
export class FrameReader {
  private buffer: Buffer = Buffer.alloc(0);

  push(chunk: Buffer): Buffer[] {
    this.buffer = this.buffer.length === 0 ? chunk : Buffer.concat([this.buffer, chunk]);
    const frames: Buffer[] = [];
    while (this.buffer.length >= 2) {
      const length = this.buffer.readUInt16BE(0);
      if (this.buffer.length < 2 + length) break;
      frames.push(this.buffer.subarray(2, 2 + length));
      this.buffer = this.buffer.subarray(2 + length);
    }
    return frames;
  }
}

export function frame(payload: Uint8Array): Buffer {
  const out = Buffer.alloc(2 + payload.length);
  out.writeUInt16BE(payload.length, 0);
  out.set(payload, 2);
  return out;
}

/** Events: 'inserted', 'removed' (also when the card pulled itself or vpcd went away), 'apdu' (count). */
export class VpcdCardClient extends EventEmitter {
  private socket: Socket | undefined;
  private stopListening: (() => void) | undefined;

  constructor(readonly card: VirtualCard, private readonly options: VpcdClientOptions) {
    super();
  }

  get inserted(): boolean {
    return this.socket !== undefined;
  }

  /** Connect to the reader's port: the card is then "in" the reader. */
  insert(): Promise<void> {
    if (this.socket) return Promise.resolve();
    const host = this.options.host ?? '127.0.0.1';
    return new Promise<void>((resolve, reject) => {
      const socket = connect({ host, port: this.options.port, noDelay: true });
      const frames = new FrameReader();
      socket.once('error', (error) => {
        reject(new MoicaError('no-reader', `vpcd at ${host}:${this.options.port} is not reachable`, {}, { cause: error }));
      });
      socket.once('connect', () => {
        socket.setNoDelay(true);
        socket.on('error', () => undefined); // a reset by vpcd is just a removal; 'close' follows
        this.socket = socket;
        this.stopListening = this.card.onRemoved(() => this.drop());
        this.emit('inserted');
        resolve();
      });
      socket.on('data', (chunk: Buffer) => {
        for (const payload of frames.push(chunk)) this.onFrame(socket, payload);
      });
      socket.once('close', () => {
        if (this.socket === socket) this.forget();
      });
    });
  }

  /** Take the card out of the reader; resolves once the connection is closed. */
  remove(): Promise<void> {
    const socket = this.socket;
    if (!socket) return Promise.resolve();
    return new Promise<void>((resolve) => {
      socket.once('close', () => resolve());
      this.drop();
    });
  }

  /** The card leaves the reader while the (n+1)-th APDU from now is in flight (see VirtualCard.pullAfter). */
  pullAfter(apdus: number, options: { tornBytes?: number } = {}): void {
    this.card.pullAfter(apdus, options);
  }

  private drop(): void {
    const socket = this.socket;
    if (!socket) return;
    this.forget();
    socket.destroy();
  }

  private forget(): void {
    this.socket = undefined;
    this.stopListening?.();
    this.stopListening = undefined;
    this.card.powerOff();
    this.emit('removed');
  }

  private onFrame(socket: Socket, payload: Buffer): void {
    if (payload.length === 1) {
      switch (payload[0]) {
        case POWER_OFF: this.card.powerOff(); return;
        case POWER_ON: this.card.powerOn(); return;
        case RESET: this.card.reset(); return;
        case GET_ATR: socket.write(frame(this.card.atr)); return;
        default: return;
      }
    }
    const reply = this.card.exchange(new Uint8Array(payload));
    this.emit('apdu', this.card.stats.apdus);
    if (reply.kind === 'answer') socket.write(frame(reply.bytes));
    // 'silent': no answer at all; 'pulled': the card's removal listener already closed the socket
  }
}
