/**
 * A gate on a card's PC/SC channel: while it is held, no raw APDU reaches the card. The card access holds
 * it for as long as a PKCS#11 session on the same card is open (issue 12 item 5): the issuer's module
 * keeps its own state of the card (current file, secure channel, a logged-in PIN), and an APDU of ours in
 * the middle could break a write it is doing or be taken as part of it. Reads resume once the session ends.
 */
import { MoicaError } from '../errors.js';
import type { CardChannel } from './types.js';

export class ChannelGate {
  private readonly holders = new Set<{ open: () => boolean; reason: string }>();

  /** The channel the card reads through: refuses every APDU while a holder says so. */
  readonly channel: CardChannel;

  constructor(private readonly inner: CardChannel) {
    this.channel = {
      reader: inner.reader,
      atr: inner.atr,
      transmit: (apdu) => {
        const reason = this.closedBecause();
        if (reason !== undefined) {
          return Promise.reject(new MoicaError('card-error',
            `No APDU goes to the card while ${reason}: the read waits until it is closed.`, { gate: reason }));
        }
        return inner.transmit(apdu);
      },
      close: () => inner.close(),
      // Exclusive access and the reset after a PIN (issue 13) pass through: they send no APDU.
      ...(inner.acquire ? { acquire: (options?: { waitMs?: number }) => inner.acquire!(options) } : {}),
      ...(inner.release ? { release: (options: { reset: boolean }) => inner.release!(options) } : {}),
    };
  }

  /** While `open()` is true, raw APDUs are refused. Returns the function that removes this holder. */
  holdWhile(open: () => boolean, reason = 'a PKCS#11 session on this card is open'): () => void {
    const holder = { open, reason };
    this.holders.add(holder);
    return () => this.holders.delete(holder);
  }

  get closed(): boolean {
    return this.closedBecause() !== undefined;
  }

  private closedBecause(): string | undefined {
    for (const h of this.holders) if (h.open()) return h.reason;
    return undefined;
  }
}
