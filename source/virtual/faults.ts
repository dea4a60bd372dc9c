/** Knobs that make the virtual card misbehave on purpose, and the counters tests assert on. */

export class CardFaults {
  /** READ BINARY asking more than 16 bytes answers 69 87 this many times (the host retries with Le 10). */
  sw6987 = 0;
  /** Answers carrying data come as 61 xx this many times; the data then waits for GET RESPONSE. */
  getResponse = 0;
  /** READ BINARY answers 6C xx (xx = what it would serve) this many times; the host resends with Le xx. */
  wrongLength = 0;
  /** How a READ BINARY asking more than C8 bytes is refused. */
  overLong: '6700' | '6Cxx' = '6700';
  /** APDUs still answered before the card is pulled mid-APDU; -1 = never. */
  pullCountdown = -1;
  /** Bytes of an UPDATE BINARY in flight that land when the card is pulled (default: half). */
  tornBytes: number | undefined;
  /** APDUs still answered before the card goes mute; -1 = never. */
  muteCountdown = -1;
}

export class CardStats {
  apdus = 0;
  bytesWritten = 0;
  /** INS (2 hex digits) → count. */
  readonly byInstruction: Record<string, number> = {};
  private readonly reads = new Map<string, Uint32Array>();

  count(ins: number): void {
    const key = ins.toString(16).toUpperCase().padStart(2, '0');
    this.byInstruction[key] = (this.byInstruction[key] ?? 0) + 1;
  }

  recordRead(path: string, offset: number, length: number): void {
    let counts = this.reads.get(path);
    if (!counts || counts.length < offset + length) {
      const grown = new Uint32Array(Math.max(offset + length, 0x2000));
      if (counts) grown.set(counts);
      counts = grown;
      this.reads.set(path, counts);
    }
    for (let i = offset; i < offset + length; i++) counts[i] = (counts[i] ?? 0) + 1;
  }

  /** How often each byte of an EF was read (index = offset). */
  readCounts(path: string): Uint32Array {
    return this.reads.get(path) ?? new Uint32Array(0);
  }

  /** The most any single byte was read, over one EF or all of them: 1 proves "no byte read twice". */
  maxReadCount(path?: string): number {
    const files = path ? [this.readCounts(path)] : [...this.reads.values()];
    return files.reduce((max, counts) => Math.max(max, ...counts), 0);
  }

  /** Total bytes delivered by READ BINARY for an EF. */
  bytesRead(path?: string): number {
    const files = path ? [this.readCounts(path)] : [...this.reads.values()];
    return files.reduce((sum, counts) => sum + counts.reduce((a, b) => a + b, 0), 0);
  }

  reset(): void {
    this.apdus = 0;
    this.bytesWritten = 0;
    for (const key of Object.keys(this.byInstruction)) delete this.byInstruction[key];
    this.reads.clear();
  }
}
