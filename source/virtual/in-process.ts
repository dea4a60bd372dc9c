/**
 * The Transport of source/card/types.ts over virtual readers in this process: for unit tests and
 * `--demo`. Cards are inserted and removed on command; a card pulled by its own knob is reported removed.
 */
import { MoicaError } from '../errors.js';
import type { CardChannel, ReaderState, Transport, TransportEvent } from '../card/types.js';
import type { VirtualCard } from './card.js';

export const VIRTUAL_READER = 'Virtual PCD 00 00';

interface Slot {
  name: string;
  card: VirtualCard | undefined;
  eventCount: number;
  unsubscribe: (() => void) | undefined;
  /** Rejects transmits left hanging by a mute card when the card goes away. */
  hanging: Set<(error: MoicaError) => void>;
}

export class InProcessTransport implements Transport {
  private readonly slots = new Map<string, Slot>();
  private readonly listeners = new Set<(event: TransportEvent) => void>();
  private up = true;
  private closed = false;

  constructor(readers: string[] = [VIRTUAL_READER]) {
    for (const name of readers) this.slots.set(name, this.emptySlot(name));
  }

  private emptySlot(name: string): Slot {
    return { name, card: undefined, eventCount: 0, unsubscribe: undefined, hanging: new Set() };
  }

  private emit(event: TransportEvent): void {
    for (const listener of [...this.listeners]) listener(event);
  }

  private slot(reader: string): Slot {
    const slot = this.slots.get(reader);
    if (!slot) throw new MoicaError('no-reader', `no reader named ${reader}`, { reader });
    return slot;
  }

  readers(): ReaderState[] {
    if (!this.up) return [];
    return [...this.slots.values()].map((s) => ({
      name: s.name,
      cardPresent: s.card !== undefined,
      ...(s.card ? { atr: Buffer.from(s.card.atr).toString('hex').toUpperCase() } : {}),
      eventCount: s.eventCount,
    }));
  }

  on(listener: (event: TransportEvent) => void): () => void {
    this.listeners.add(listener);
    return () => this.listeners.delete(listener);
  }

  async ready(): Promise<void> {}

  serviceUp(): boolean {
    return this.up;
  }

  // ------------------------------------------------------------------ control (tests, demo)

  /** Put a card in a reader (powering it on); a card already there is removed first. */
  insert(card: VirtualCard, reader: string = VIRTUAL_READER): void {
    const slot = this.slot(reader);
    if (slot.card) this.remove(reader);
    const atr = Buffer.from(card.powerOn()).toString('hex').toUpperCase();
    slot.card = card;
    slot.eventCount++;
    slot.unsubscribe = card.onRemoved(() => this.remove(reader));
    this.emit({ type: 'card-inserted', reader, atr });
  }

  /** Take the card out (no-op without one). Transmits in flight fail with card-removed. */
  remove(reader: string = VIRTUAL_READER): void {
    const slot = this.slot(reader);
    const card = slot.card;
    if (!card) return;
    slot.unsubscribe?.();
    slot.unsubscribe = undefined;
    slot.card = undefined;
    slot.eventCount++;
    card.powerOff();
    this.failHanging(slot, new MoicaError('card-removed', 'the card was removed', { reader }));
    this.emit({ type: 'card-removed', reader });
  }

  addReader(name: string): void {
    if (this.slots.has(name)) return;
    this.slots.set(name, this.emptySlot(name));
    this.emit({ type: 'reader-added', reader: name });
  }

  removeReader(name: string): void {
    if (!this.slots.has(name)) return;
    this.remove(name);
    this.slots.delete(name);
    this.emit({ type: 'reader-removed', reader: name });
  }

  /** Simulate the PC/SC service stopping (cards vanish) or coming back. */
  setServiceUp(up: boolean): void {
    if (up === this.up) return;
    this.up = up;
    if (!up) {
      for (const slot of this.slots.values()) {
        this.failHanging(slot, new MoicaError('pcsc-unavailable', 'the PC/SC service stopped'));
      }
    }
    this.emit({ type: 'service', up });
  }

  private failHanging(slot: Slot, error: MoicaError): void {
    for (const reject of [...slot.hanging]) reject(error);
    slot.hanging.clear();
  }

  // ------------------------------------------------------------------ connections

  async connect(reader: string): Promise<CardChannel> {
    if (this.closed || !this.up) throw new MoicaError('pcsc-unavailable', 'the PC/SC service is not running');
    const slot = this.slot(reader);
    const card = slot.card;
    if (!card) throw new MoicaError('no-card', `no card in ${reader}`, { reader });
    return new InProcessChannel(this, slot, card, slot.eventCount);
  }

  async close(): Promise<void> {
    this.closed = true;
    for (const slot of this.slots.values()) {
      this.failHanging(slot, new MoicaError('card-error', 'the transport was closed'));
    }
    this.listeners.clear();
  }

  /** SCARD_RESET_CARD for the in-process reader: the card this channel connected to, if it is still there. */
  resetCard(slot: Slot, card: VirtualCard, eventCount: number): void {
    if (slot.card === card && slot.eventCount === eventCount) card.reset();
  }

  /** Runs one APDU against the card in a slot, as long as it is still the card the channel connected to. */
  async exchange(slot: Slot, card: VirtualCard, eventCount: number, apdu: Uint8Array): Promise<Uint8Array> {
    // let events and other tasks interleave the way a real reader's round trip does
    await new Promise<void>((resolve) => setImmediate(resolve));
    if (this.closed) throw new MoicaError('card-error', 'the transport was closed');
    if (!this.up) throw new MoicaError('pcsc-unavailable', 'the PC/SC service stopped');
    if (slot.card !== card || slot.eventCount !== eventCount) {
      throw new MoicaError('card-removed', 'the card was removed', { reader: slot.name });
    }
    const reply = card.exchange(apdu);
    if (reply.kind === 'silent') {
      return new Promise<Uint8Array>((_resolve, reject) => slot.hanging.add(reject));
    }
    if (reply.kind === 'pulled' || reply.bytes.length < 2) {
      if (slot.card === card) this.remove(slot.name);
      throw new MoicaError('card-removed', 'the card was removed', { reader: slot.name });
    }
    return reply.bytes;
  }
}

class InProcessChannel implements CardChannel {
  readonly reader: string;
  readonly atr: string;
  private queue: Promise<unknown> = Promise.resolve();
  private closed = false;

  constructor(
    private readonly transport: InProcessTransport,
    private readonly slot: Slot,
    private readonly card: VirtualCard,
    private readonly eventCount: number,
  ) {
    this.reader = slot.name;
    this.atr = Buffer.from(card.atr).toString('hex').toUpperCase();
  }

  transmit(apdu: Uint8Array): Promise<Uint8Array> {
    // copy now: callers zero PIN buffers as soon as transmit() returns its promise
    const command = new Uint8Array(apdu);
    const run = async (): Promise<Uint8Array> => {
      if (this.closed) throw new MoicaError('card-error', 'the card channel is closed', { reader: this.reader });
      try {
        return await this.transport.exchange(this.slot, this.card, this.eventCount, command);
      } finally {
        command.fill(0);
      }
    };
    const result = this.queue.then(run, run);
    this.queue = result.catch(() => undefined);
    return result;
  }

  /** One process: nothing to exclude. */
  async acquire(): Promise<void> {}

  /** A reset clears the card's verified PIN, as SCARD_RESET_CARD does; queued behind the transmits. */
  release(options: { reset: boolean }): Promise<void> {
    const run = async (): Promise<void> => {
      if (options.reset) this.transport.resetCard(this.slot, this.card, this.eventCount);
    };
    const result = this.queue.then(run, run);
    this.queue = result.catch(() => undefined);
    return result;
  }

  async close(): Promise<void> {
    this.closed = true;
  }
}
