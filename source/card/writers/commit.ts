/**
 * The order of the directory's writes and the read-back after them, for the virtual card's writer: pure
 * functions over bytes (no card), so the torn states between two writes can be enumerated in tests.
 */
import { usedLength } from '../pkcs15.js';
import { READ_CHUNK } from '../layout.js';

/**
 * The UPDATE BINARYs that turn a directory EF `before` into `after`, in the order they must be sent. A write
 * pulled mid-APDU lands a prefix of its bytes, so within one APDU the lower offsets land first.
 *
 *  - All the changed bytes within C8: ONE write (a tear in it may leave the directory unparseable: the
 *    backup's copy puts it back).
 *  - Otherwise the changed stretches, each in the fewest C8-byte writes, lowest offset first, and the
 *    used-length trailer (last 2 bytes) ordered so that it never says less than the records' end:
 *      growing:   trailer first. Between it and the records the EF holds the old records, then zero
 *                 padding inside the used length: parseable, by us (we stop at the padding) and by a
 *                 reader that stops at the used length. Then the records: parseable again once all landed.
 *      shrinking: records first (their freed tail zeroed in the same writes): the old, longer used length
 *                 then covers zero padding: parseable. The trailer last, in the records' last write when
 *                 it fits there (it lands after them), else alone.
 *    A state inside a multi-write records change (an entry that grows moves every later byte) does not
 *    parse: the CDF's journal is the backup, written before anything else (check/rewrite.ts).
 */
export function commitWrites(before: Uint8Array, after: Uint8Array): Array<{ offset: number; bytes: Uint8Array }> {
  const trailerAt = after.length - 2;
  const diff = (from: number, to: number) => {
    let first = from;
    while (first < to && before[first] === after[first]) first++;
    let last = to;
    while (last > first && before[last - 1] === after[last - 1]) last--;
    return [first, last] as const;
  };
  const [first, last] = diff(0, after.length);
  if (first === last) return [];
  const slice = (from: number, to: number) => ({ offset: from, bytes: after.slice(from, to) });
  if (last - first <= READ_CHUNK) return [slice(first, last)];
  const writes: Array<{ offset: number; bytes: Uint8Array }> = [];
  for (let at = first; at < Math.min(last, trailerAt);) {
    if (before[at] === after[at]) { at++; continue; }
    const [, end] = diff(at, Math.min(at + READ_CHUNK, trailerAt));
    writes.push(slice(at, end));
    at = end;
  }
  const [t0, t1] = diff(trailerAt, after.length);
  if (t0 === t1) return writes;
  if (usedLength(after) > usedLength(before)) return [slice(t0, t1), ...writes];
  const tail = writes.at(-1);
  if (tail !== undefined && t1 - tail.offset <= READ_CHUNK) writes[writes.length - 1] = slice(tail.offset, t1);
  else writes.push(slice(t0, t1));
  return writes;
}

/**
 * The written ranges as the fewest READ BINARYs (C8 bytes each) that cover them: a few unwritten bytes
 * between two written stretches cost less to read again than one more APDU.
 */
export function readBackWindows(ranges: ReadonlyArray<[number, number]>): Array<[number, number]> {
  const out: Array<[number, number]> = [];
  for (const [from, to] of [...ranges].sort((a, b) => a[0] - b[0])) {
    for (let at = from; at < to;) {
      const last = out.at(-1);
      if (last !== undefined && at < last[0] + READ_CHUNK) {
        const end = Math.min(to, last[0] + READ_CHUNK);
        last[1] = Math.max(last[1], end);
        at = Math.max(at, end);
      } else {
        const end = Math.min(to, at + READ_CHUNK);
        out.push([at, end]);
        at = end;
      }
    }
  }
  return out;
}
