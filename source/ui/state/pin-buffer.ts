/**
 * The PIN while it is typed: ASCII digit codes in a fixed Uint8Array, outside React state (so it can
 * never be rendered, logged or kept by a devtool). Only its length reaches the screen, as mask glyphs.
 *
 * Never truncated: a digit past the 8th is not dropped silently. It is counted as `extra` (shown as a
 * refused mark) and the PIN cannot be handed over until Backspace has removed every extra one, so a
 * 9-digit entry can never be sent as its first 8 digits.
 */
import { PIN_MAX, isPinLength } from '../../domain/pin.js';

/** What one input did: digits taken, digits refused past the 8th, characters that are not digits. */
export interface TypeResult {
  added: number;
  tooLong: number;
  notDigit: number;
}

export class PinBuffer {
  private readonly bytes = new Uint8Array(PIN_MAX);
  private count = 0;
  private over = 0;

  get length(): number {
    return this.count;
  }

  /** Digits typed past the 8th (refused, never sent). */
  get extra(): number {
    return this.over;
  }

  /** Well-formed: 6-8 digits and nothing refused pending (anything else never reaches the card). */
  get complete(): boolean {
    return this.over === 0 && isPinLength(this.count);
  }

  /** Adds the digits of `input`; digits past the 8th and non-digits are refused and counted. */
  type(input: string): TypeResult {
    const result: TypeResult = { added: 0, tooLong: 0, notDigit: 0 };
    for (let i = 0; i < input.length; i++) {
      const code = input.charCodeAt(i);
      if (code < 0x30 || code > 0x39) result.notDigit++;
      else if (this.count < PIN_MAX && this.over === 0) {
        this.bytes[this.count++] = code;
        result.added++;
      } else {
        this.over++;
        result.tooLong++;
      }
    }
    return result;
  }

  /** Removes the last refused mark first, then the last digit. */
  backspace(): boolean {
    if (this.over > 0) {
      this.over--;
      return true;
    }
    if (this.count === 0) return false;
    this.bytes[--this.count] = 0;
    return true;
  }

  clear(): void {
    this.bytes.fill(0);
    this.count = 0;
    this.over = 0;
  }

  /**
   * Hands the PIN over in a buffer of its own and clears this one. The receiver zeroes the returned buffer
   * once it is done with it. Null when the PIN is not 6-8 digits, or digits were refused past the 8th.
   */
  take(): Uint8Array | null {
    if (!this.complete) return null;
    const pin = new Uint8Array(this.count);
    pin.set(this.bytes.subarray(0, this.count));
    this.clear();
    return pin;
  }
}
