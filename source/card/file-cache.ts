/**
 * The bytes of a card's files this tool has read, by file and start offset, so that no byte is read twice
 * in a card's lifetime (MoicaCard reads through it). Knows nothing of APDUs: the reader hands it a fetch.
 * A write this tool made is patched in (the card now holds those bytes) or forgotten (to be read back).
 */
export class FileCache {
  /** `file@offset` → the bytes read from there on. */
  private readonly bytes = new Map<string, Uint8Array>();
  /** Keys whose bytes run to the end of their file (a short read: nothing more to ask). */
  private readonly whole = new Set<string>();

  /**
   * At least `length` bytes of `file` from `offset` (fewer only if the file ends), fetching only what was
   * not read before: `fetch(from, count)` reads `count` bytes at `from` of the file.
   */
  async range(file: string, offset: number, length: number, fetch: (from: number, count: number) => Promise<Uint8Array>): Promise<Uint8Array> {
    const key = `${file}@${offset}`;
    const have = this.bytes.get(key) ?? new Uint8Array(0);
    if (have.length >= length || this.whole.has(key)) return have;
    const more = await fetch(offset + have.length, length - have.length);
    const joined = new Uint8Array(have.length + more.length);
    joined.set(have);
    joined.set(more, have.length);
    this.bytes.set(key, joined);
    if (more.length < length - have.length) this.whole.add(key);
    return joined;
  }

  /** The card now holds `data` at `offset` of `file`: cached copies of that range take the new bytes. */
  patch(file: string, offset: number, data: Uint8Array): void {
    for (const [key, have] of this.bytes) {
      const [name, at] = splitKey(key);
      if (name !== file) continue;
      const from = Math.max(offset, at);
      const to = Math.min(offset + data.length, at + have.length);
      if (from < to) have.set(data.subarray(from - offset, to - offset), from - at);
    }
  }

  /** Drops cached bytes of `file` that overlap [from, to), so that the next read of them asks the card. */
  forget(file: string, from: number, to: number): void {
    for (const [key, have] of [...this.bytes]) {
      const [name, at] = splitKey(key);
      if (name !== file || at + have.length <= from || at >= to) continue;
      this.whole.delete(key);
      if (at >= from) this.bytes.delete(key);
      else this.bytes.set(key, have.slice(0, from - at));
    }
  }

  /** Nothing read yet (or all of it cleared). */
  get empty(): boolean {
    return this.bytes.size === 0;
  }

  clear(): void {
    this.bytes.clear();
    this.whole.clear();
  }
}

function splitKey(key: string): [string, number] {
  const at = key.lastIndexOf('@');
  return [key.slice(0, at), Number(key.slice(at + 1))];
}
