/**
 * A card session: a CardChannel plus the generation's class byte and select style (moica-card.md §1).
 * It remembers the current DF so that a path next to the last one costs one SELECT, not a walk from MF:
 * the 16-APDU budget of a full read depends on it.
 */
import { MoicaError } from '../errors.js';
import { command, exchange, hexSw, isOk, isSelected, statusError, SW, type Response } from './apdu.js';
import { APP, GEN2_AID, MAX_OFFSET, MF, READ_CHUNK } from './layout.js';
import type { CardChannel } from './types.js';

export type Generation = 1 | 2;

/** After 6987 a chunk is asked again with Le = 0x10 (openhicos-pkcs11 does the same on real cards). */
const SMALL_CHUNK = 0x10;

export function selectAidApdu(): Uint8Array {
  return command(0x00, 0xa4, 0x04, 0x0c, GEN2_AID, 0x00);
}

export class CardSession {
  /** FIDs of the current DF from the MF (empty: the MF itself); undefined: unknown. */
  private currentDf: number[] | undefined;
  private currentEf: number | undefined;

  constructor(readonly channel: CardChannel, readonly generation: Generation) {}

  get cla(): number {
    return this.generation === 1 ? 0x80 : 0x00;
  }

  /** One command with this generation's class byte; 61xx and 6Cxx are already followed. */
  send(ins: number, p1: number, p2: number, data?: Uint8Array, le?: number): Promise<Response> {
    return exchange(this.channel, command(this.cla, ins, p1, p2, data, le));
  }

  /** The MF on gen1, the application on gen2. */
  async selectMf(): Promise<void> {
    const res = this.generation === 1
      ? await this.send(0xa4, 0, 0, fid(MF))
      : await exchange(this.channel, selectAidApdu());
    this.forget();
    if (!isSelected(res.sw)) throw statusError(res.sw, 'select the card root');
    this.currentDf = [];
  }

  /** SELECT by FID relative to the current DF. Returns the status word; the caller decides. */
  async selectFid(id: number): Promise<number> {
    const res = this.generation === 1
      ? await this.send(0xa4, 0, 0, fid(id))
      : await this.send(0xa4, 0, 0x04, fid(id), 0);
    return res.sw;
  }

  /**
   * Selects a file by its path from the root (3F00 … or 7FFF …; a path without a root is taken from
   * the root too). The last FID is taken as an EF when `ef` is true (the usual case: paths in the CDF).
   */
  async selectPath(path: readonly number[], ef = true): Promise<void> {
    const ids = path[0] === MF || path[0] === APP ? path.slice(1) : path.slice();
    const dfs = ef ? ids.slice(0, -1) : ids;
    const file = ef ? ids[ids.length - 1] : undefined;
    const here = this.currentDf !== undefined && dfs.length === this.currentDf.length && sameStart(dfs, this.currentDf);
    if (here && (file === undefined ? this.currentEf === undefined : this.currentEf === file)) return;
    let from = 0;
    if (this.currentDf !== undefined && sameStart(dfs, this.currentDf)) from = this.currentDf.length;
    else await this.selectMf();
    for (let i = from; i < dfs.length; i++) {
      const sw = await this.selectFid(dfs[i]!);
      if (!isSelected(sw)) {
        this.forget();
        throw statusError(sw, `select ${formatPath(path)}`);
      }
      this.currentDf = dfs.slice(0, i + 1);
      this.currentEf = undefined;
    }
    if (file !== undefined) {
      const sw = await this.selectFid(file);
      if (!isSelected(sw)) {
        this.currentEf = undefined;
        throw statusError(sw, `select ${formatPath(path)}`);
      }
      this.currentEf = file;
    }
  }

  /** The probe has just selected the root. */
  markAtRoot(): void {
    this.currentDf = [];
    this.currentEf = undefined;
  }

  /** After anything that may have moved the card's current file behind our back. */
  forget(): void {
    this.currentDf = undefined;
    this.currentEf = undefined;
  }

  /**
   * READ BINARY of the current EF: `length` bytes from `offset` in C8-byte chunks. Returns fewer bytes
   * when the file ends first (short answer, 6282, or 6B00 past the end).
   */
  async readBinary(offset: number, length: number): Promise<Uint8Array> {
    const out = new Uint8Array(length);
    let got = 0;
    while (got < length) {
      const at = offset + got;
      if (at > MAX_OFFSET) throw new MoicaError('card-error', `READ BINARY offset ${at} beyond 15 bits.`);
      let want = Math.min(READ_CHUNK, length - got);
      let res = await this.send(0xb0, at >> 8, at & 0xff, undefined, want);
      if (res.sw === SW.SM_MISSING && want > SMALL_CHUNK) {
        want = SMALL_CHUNK;
        res = await this.send(0xb0, at >> 8, at & 0xff, undefined, want);
      }
      if (res.sw === SW.WRONG_OFFSET && got > 0) break;
      if (!isOk(res.sw) && res.sw !== SW.END_OF_FILE) throw statusError(res.sw, `read ${want} bytes at ${at}`);
      const n = Math.min(res.data.length, want);
      out.set(res.data.subarray(0, n), got);
      got += n;
      if (n < want) break;
    }
    return got === length ? out : out.slice(0, got);
  }

  /** READ RECORD (P2 00, as gen1 key EFs want). */
  async readRecord(record: number, length: number): Promise<Uint8Array> {
    const res = await this.send(0xb2, record, 0x00, undefined, length);
    if (!isOk(res.sw)) throw statusError(res.sw, `read record ${record}`);
    return res.data;
  }
}

function fid(id: number): Uint8Array {
  return Uint8Array.from([id >> 8, id & 0xff]);
}

function sameStart(path: readonly number[], prefix: readonly number[]): boolean {
  return prefix.length <= path.length && prefix.every((v, i) => path[i] === v);
}

export function formatPath(path: readonly number[]): string {
  return path.map((p) => hexSw(p)).join('/');
}

/** A PKCS#15 path (octet string) as FIDs. */
export function pathFids(bytes: Uint8Array): number[] {
  if (bytes.length === 0 || bytes.length % 2 !== 0) throw new MoicaError('card-answer-invalid', 'A file path on the card has an odd length.');
  const out: number[] = [];
  for (let i = 0; i < bytes.length; i += 2) out.push((bytes[i]! << 8) | bytes[i + 1]!);
  return out;
}
