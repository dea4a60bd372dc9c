/**
 * The PIN while it is typed: ASCII digit codes in a fixed Uint8Array, outside React state (so it can
 * never be rendered, logged or kept by a devtool). Only its length reaches the screen, as mask glyphs.
 */
export const PIN_MIN = 6;
export const PIN_MAX = 8;

export class PinBuffer {
  private readonly bytes = new Uint8Array(PIN_MAX);
  private count = 0;

  get length(): number {
    return this.count;
  }

  /** Well-formed: 6-8 digits (anything else never reaches the card). */
  get complete(): boolean {
    return this.count >= PIN_MIN && this.count <= PIN_MAX;
  }

  /** Adds the digits of `input` (other characters are ignored); returns whether anything changed. */
  type(input: string): boolean {
    let changed = false;
    for (let i = 0; i < input.length; i++) {
      const code = input.charCodeAt(i);
      if (code >= 0x30 && code <= 0x39 && this.count < PIN_MAX) {
        this.bytes[this.count++] = code;
        changed = true;
      }
    }
    return changed;
  }

  backspace(): boolean {
    if (this.count === 0) return false;
    this.bytes[--this.count] = 0;
    return true;
  }

  clear(): void {
    this.bytes.fill(0);
    this.count = 0;
  }

  /**
   * Hands the PIN over in a buffer of its own and clears this one. The receiver zeroes the returned buffer
   * once it is done with it. Null when the PIN is not 6-8 digits.
   */
  take(): Uint8Array | null {
    if (!this.complete) return null;
    const pin = this.bytes.slice(0, this.count);
    this.clear();
    return pin;
  }
}
