/**
 * A small BER/DER header walker for card data that asn1js cannot take whole: a certificate read only up
 * to its `validity`, a directory EF followed by padding, an FCI. Full structures go through asn1js.
 */

export interface Tlv {
  tag: number;
  /** Offset of the first header byte. */
  start: number;
  headerLength: number;
  length: number;
  /** Offset just past the value. */
  end: number;
}

/**
 * The header at `offset`, or undefined when the bytes there do not hold a whole header (truncated data).
 * Multi-byte tags are folded into one number; indefinite lengths are not DER and are refused.
 */
export function readHeader(bytes: Uint8Array, offset: number): Tlv | undefined {
  let p = offset;
  if (p >= bytes.length) return undefined;
  let tag = bytes[p++]!;
  if ((tag & 0x1f) === 0x1f) {
    let b: number;
    do {
      if (p >= bytes.length) return undefined;
      b = bytes[p++]!;
      tag = tag * 256 + b;
    } while (b & 0x80);
  }
  if (p >= bytes.length) return undefined;
  const first = bytes[p++]!;
  let length = first;
  if (first & 0x80) {
    const n = first & 0x7f;
    if (n === 0 || n > 3) return undefined;
    if (p + n > bytes.length) return undefined;
    length = 0;
    for (let i = 0; i < n; i++) length = length * 256 + bytes[p++]!;
  }
  return { tag, start: offset, headerLength: p - offset, length, end: p + length };
}

/** The complete elements inside [from, to): stops at the first header that does not fit. */
export function children(bytes: Uint8Array, from = 0, to = bytes.length): Tlv[] {
  const out: Tlv[] = [];
  let p = from;
  while (p < to) {
    const h = readHeader(bytes, p);
    if (h === undefined || h.end > to) break;
    out.push(h);
    p = h.end;
  }
  return out;
}

/** The value bytes of an element. */
export function valueOf(bytes: Uint8Array, tlv: Tlv): Uint8Array {
  return bytes.subarray(tlv.start + tlv.headerLength, tlv.end);
}

/** The element with its header. */
export function elementOf(bytes: Uint8Array, tlv: Tlv): Uint8Array {
  return bytes.subarray(tlv.start, tlv.end);
}
