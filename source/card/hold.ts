/**
 * A read sequence with the card to ourselves when that is quick to get: another PC/SC client's SELECT
 * between our SELECT and READ would make us read another file. Held exclusively for the sequence if the
 * reader gives it within `waitMs`; else (another program keeps the card open, as some middleware does)
 * the read runs shared as before: reading must never depend on having the card alone. Writes do not use
 * this: the rewrite holds the card for its whole sequence or does not start (CardWriter.begin).
 */
import { isMoicaError } from '../errors.js';
import type { CardChannel } from './types.js';

export const READ_HOLD_WAIT_MS = 1000;

export async function withReadHold<T>(channel: CardChannel, onHeld: () => void, fn: () => Promise<T>, waitMs = READ_HOLD_WAIT_MS): Promise<T> {
  let held = false;
  if (channel.acquire) {
    try {
      await channel.acquire({ waitMs });
      held = true;
      onHeld(); // another client may have moved the card's current file before we held it
    } catch (e) {
      if (!isMoicaError(e, 'card-busy')) throw e;
    }
  }
  try {
    return await fn();
  } finally {
    if (held) await channel.release?.({ reset: false }).catch(() => undefined);
  }
}
