/**
 * A seeded PRNG and byte mutators for the fuzzers: every case is reproducible from (seed, target, index),
 * so a failure printed by the fuzz test can be replayed and pinned in regressions.test.ts.
 */

/** mulberry32: small, fast, good enough to pick mutations; not for anything secret. */
export class Prng {
  private state: number;

  constructor(seed: number) {
    this.state = seed >>> 0;
  }

  /** A generator for one case: independent of how many numbers earlier cases drew. */
  static forCase(seed: number, index: number): Prng {
    return new Prng(Math.imul(seed ^ 0x9e3779b9, 0x85ebca6b) ^ Math.imul(index + 1, 0xc2b2ae35));
  }

  next(): number {
    let t = (this.state = (this.state + 0x6d2b79f5) >>> 0);
    t = Math.imul(t ^ (t >>> 15), t | 1);
    t ^= t + Math.imul(t ^ (t >>> 7), t | 61);
    return (t ^ (t >>> 14)) >>> 0;
  }

  /** 0 ≤ n < max */
  int(max: number): number {
    return max <= 0 ? 0 : this.next() % max;
  }

  chance(p: number): boolean {
    return this.next() / 0x1_0000_0000 < p;
  }

  pick<T>(items: readonly T[]): T {
    return items[this.int(items.length)]!;
  }

  bytes(n: number): Uint8Array {
    return Uint8Array.from({ length: n }, () => this.int(256));
  }
}

/** Bytes that make parsers take odd branches: DER length forms, padding, sign bits, tags. */
export const INTERESTING = [0x00, 0x01, 0x02, 0x03, 0x04, 0x05, 0x0c, 0x13, 0x17, 0x18, 0x1f, 0x30, 0x31, 0x61,
  0x6c, 0x7f, 0x80, 0x81, 0x82, 0x83, 0x84, 0x85, 0x90, 0xa0, 0xa1, 0xc8, 0xfe, 0xff];

/** Status words a card may answer in place of the real one. */
export const STATUS_WORDS = [0x9000, 0x6100, 0x6110, 0x61ff, 0x6c00, 0x6c10, 0x6cc8, 0x6cff, 0x6282, 0x6283, 0x63c0,
  0x63c2, 0x6700, 0x6981, 0x6982, 0x6983, 0x6985, 0x6986, 0x6987, 0x6a82, 0x6a83, 0x6a86, 0x6b00, 0x6d00, 0x6e00,
  0x6f00, 0x9001, 0x0000, 0xffff];

export type Mutator = (bytes: Uint8Array, rng: Prng) => Uint8Array;

const bitFlip: Mutator = (b, r) => {
  if (b.length === 0) return b;
  const out = b.slice();
  const flips = 1 + r.int(4);
  for (let i = 0; i < flips; i++) out[r.int(out.length)]! ^= 1 << r.int(8);
  return out;
};

const byteSet: Mutator = (b, r) => {
  if (b.length === 0) return b;
  const out = b.slice();
  const sets = 1 + r.int(3);
  for (let i = 0; i < sets; i++) out[r.int(out.length)] = r.chance(0.7) ? r.pick(INTERESTING) : r.int(256);
  return out;
};

const truncate: Mutator = (b, r) => b.slice(0, r.int(b.length + 1));

const extend: Mutator = (b, r) => {
  const extra = r.chance(0.5) ? r.bytes(1 + r.int(64)) : new Uint8Array(1 + r.int(300)).fill(r.pick(INTERESTING));
  const at = r.chance(0.5) ? b.length : r.int(b.length + 1);
  const out = new Uint8Array(b.length + extra.length);
  out.set(b.subarray(0, at));
  out.set(extra, at);
  out.set(b.subarray(at), at + extra.length);
  return out;
};

/** A DER-ish length edit: after a byte that looks like a tag, rewrite the length byte(s). */
const lengthEdit: Mutator = (b, r) => {
  if (b.length < 2) return byteSet(b, r);
  const tags = [];
  for (let i = 0; i + 1 < b.length; i++) if ([0x02, 0x04, 0x06, 0x0c, 0x17, 0x18, 0x30, 0x31, 0xa0, 0xa1, 0x80].includes(b[i]!)) tags.push(i);
  const at = (tags.length > 0 ? r.pick(tags) : r.int(b.length - 1)) + 1;
  const out = b.slice();
  const was = out[at]!;
  out[at] = r.pick([0x00, 0x7f, 0x80, 0x81, 0x82, 0x83, 0x84, 0x85, 0x89, 0xff, (was + 1) & 0xff, (was - 1) & 0xff, (was * 2) & 0xff]);
  return out;
};

/** Bytes of one part of the input moved or duplicated elsewhere (a record shifted, a header repeated). */
const splice: Mutator = (b, r) => {
  if (b.length < 4) return extend(b, r);
  const from = r.int(b.length);
  const len = 1 + r.int(Math.min(64, b.length - from));
  const chunk = b.slice(from, from + len);
  const at = r.int(b.length + 1);
  const out = new Uint8Array(b.length + len);
  out.set(b.subarray(0, at));
  out.set(chunk, at);
  out.set(b.subarray(at), at + len);
  return out;
};

const oversize: Mutator = (b, r) => {
  const out = new Uint8Array(b.length + 200 + r.int(70_000));
  out.set(b);
  out.fill(r.pick(INTERESTING), b.length);
  return out;
};

export const BYTE_MUTATORS = { bitFlip, byteSet, truncate, extend, lengthEdit, splice, oversize } as const;
export type MutatorName = keyof typeof BYTE_MUTATORS;

/** One to three mutations in a row; returns the bytes and the names applied (for the failure report). */
export function mutateBytes(bytes: Uint8Array, rng: Prng, allowed: readonly MutatorName[] = Object.keys(BYTE_MUTATORS) as MutatorName[]): { bytes: Uint8Array; applied: string[] } {
  let out = bytes;
  const applied: string[] = [];
  const rounds = 1 + rng.int(3);
  for (let i = 0; i < rounds; i++) {
    const name = rng.pick(allowed);
    out = BYTE_MUTATORS[name](out, rng);
    applied.push(name);
  }
  return { bytes: out, applied };
}

/** A card response (data + SW) mutated: its status word swapped, or its data mutated, or both. */
export function mutateResponse(response: Uint8Array, rng: Prng): { bytes: Uint8Array; applied: string[] } {
  const data = response.subarray(0, Math.max(0, response.length - 2));
  const sw = response.subarray(Math.max(0, response.length - 2));
  const mode = rng.int(4);
  if (mode === 0 || response.length < 2) {
    const word = rng.pick(STATUS_WORDS);
    const out = new Uint8Array(data.length + 2);
    out.set(data);
    out[data.length] = word >> 8;
    out[data.length + 1] = word & 0xff;
    return { bytes: out, applied: [`sw=${word.toString(16)}`] };
  }
  if (mode === 1) {
    const { bytes, applied } = mutateBytes(data, rng, ['bitFlip', 'byteSet', 'truncate', 'extend', 'lengthEdit', 'splice']);
    const out = new Uint8Array(bytes.length + 2);
    out.set(bytes);
    out.set(sw, bytes.length);
    return { bytes: out, applied: applied.map((a) => `data:${a}`) };
  }
  if (mode === 2) return { bytes: response.slice(0, rng.int(response.length + 1)), applied: ['cut'] };
  return mutateBytes(response, rng, ['bitFlip', 'byteSet', 'extend', 'oversize']);
}
