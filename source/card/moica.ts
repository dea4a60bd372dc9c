/**
 * The MOICA profile (moica-card.md §1): which generation, the card number, the certificate directory, and
 * just enough of each holder certificate for its serial and validity. Everything is read without a PIN.
 * Reads are cached per file and range so that no byte is read twice in a card's lifetime.
 */
import { MoicaError, isMoicaError } from '../errors.js';
import { exchange, isSelected, toHex, fromHex } from './apdu.js';
import { parseCardNumber } from '../domain/card-number.js';
import { derSerialsEqual } from '../domain/serial.js';
import { parseCertificateHeader, type CertificateHeader } from './certificate-header.js';
import { KEY_RECORD_LENGTH, spkiFromKeyRecords } from './keys.js';
import { idText, parseCdf, parsePukdf, type CdfEntry, type FileSlice } from './pkcs15.js';
import { APP, CARD_NUMBER_PATH, FID, HOLDERS, MAX_OFFSET, MF, READ_CHUNK, VIRTUAL_ATR, KNOWN_ATRS } from './layout.js';
import { CardSession, formatPath, selectAidApdu, type Generation } from './session.js';
import { readHeader } from './tlv.js';
import type { CaCertificate, CardChannel, CardInfo, HolderCertificate, KeyId } from './types.js';
import { FileCache } from './file-cache.js';


export function isVirtualAtr(atr: string): boolean {
  return atr.toUpperCase() === VIRTUAL_ATR;
}

/** The name of a known ATR (upper-case hex, no spaces), or undefined: a name, never a verdict. */
export function atrName(atr: string): string | undefined {
  return KNOWN_ATRS.get(atr.replace(/\s/g, '').toUpperCase());
}

/**
 * By ATR alone (for listings that do not probe): a known MOICA ATR, or historical bytes naming MOICA /
 * CHT GPKI. False means "not known by its ATR", not "not MOICA": the probe decides.
 */
export function looksLikeMoica(atr: string): boolean {
  const hex = atr.replace(/\s/g, '').toUpperCase();
  if (KNOWN_ATRS.has(hex)) return true;
  const text = Buffer.from(fromHex(hex)).toString('latin1');
  return text.includes('MOICA') || text.includes('CHTGPKI');
}

function notMoica(atr: string, why: string): MoicaError {
  return new MoicaError('not-moica', `This card is not a citizen certificate card (自然人憑證): ${why}.`, { atr });
}

/** Gen2 AID first; on anything but 9000, gen1's `80 A4 00 00 02 3F 00` (moica-card.md §1). */
export async function probeGeneration(channel: CardChannel): Promise<CardSession> {
  const gen2 = await exchange(channel, selectAidApdu());
  if (gen2.sw === 0x9000) {
    const s = new CardSession(channel, 2);
    s.markAtRoot();
    return s;
  }
  const gen1 = await exchange(channel, Uint8Array.from([0x80, 0xa4, 0x00, 0x00, 0x02, 0x3f, 0x00]));
  if (isSelected(gen1.sw)) {
    const s = new CardSession(channel, 1);
    s.markAtRoot();
    return s;
  }
  throw notMoica(channel.atr, 'neither the gen2 application nor the gen1 root answers');
}

export class MoicaCard {
  private cdfCache: CdfEntry[] | undefined;
  /** Bytes read from the card, per file (see fileKey) and start offset. */
  private readonly files = new FileCache();
  private readonly keys = new Map<KeyId, Uint8Array>();

  private constructor(readonly session: CardSession) {}

  /** Probes the card; a card that answers like no MOICA generation → MoicaError('not-moica'). */
  static async open(channel: CardChannel): Promise<MoicaCard> {
    return new MoicaCard(await probeGeneration(channel));
  }

  get channel(): CardChannel {
    return this.session.channel;
  }
  get generation(): Generation {
    return this.session.generation;
  }
  get virtual(): boolean {
    return isVirtualAtr(this.channel.atr);
  }

  /**
   * Card number, both holder certificates' serials and validity, consistency. Always from the card: a
   * re-read after a rewrite (ours, or the PKCS#11 module's, which also moves the current file) sees it.
   * A directory that does not parse (a torn commit) is card-inconsistent with `directory: 'unreadable'`:
   * the rewrite puts it back from the backup, its journal.
   */
  async read(): Promise<CardInfo> {
    // Right after the probe the session knows where the card is; after anything else, forget it all.
    if (!this.files.empty || this.cdfCache !== undefined) this.invalidate();
    return this.listing();
  }

  /**
   * The same listing as read(), from what this session holds where it holds it: after this tool's own
   * writes (patched into the cache, or dropped from it so that they are read back) nothing is read twice.
   */
  async listing(): Promise<CardInfo> {
    const number = await this.cardNumber();
    let entries: CdfEntry[];
    try {
      entries = await this.cdf();
    } catch (e) {
      if (!isMoicaError(e, 'card-answer-invalid')) throw e;
      throw new MoicaError('card-inconsistent',
        `The certificate directory of card ${number} does not parse (a rewrite interrupted while writing it?).`,
        { directory: 'unreadable', cardNumber: number }, { cause: e });
    }
    const certificates: HolderCertificate[] = [];
    for (const h of HOLDERS) {
      const entry = entries.find((e) => idText(e.id) === h.keyId);
      if (entry !== undefined) certificates.push({ slot: h.slot, usage: h.usage, keyId: h.keyId, ...(await this.holderHeader(entry)) });
    }
    if (certificates.length === 0) throw new MoicaError('card-answer-invalid', 'The card lists no holder certificate (SIGN / KEYX).');
    return {
      reader: this.channel.reader,
      atr: this.channel.atr,
      generation: this.generation,
      virtual: this.virtual,
      number,
      certificates,
      caCertificates: [],
      consistent: certificates.every((c) => c.consistent),
    };
  }

  async cardNumber(): Promise<string> {
    const raw = await this.readRange({ path: CARD_NUMBER_PATH, index: 0, length: 16 }, 16);
    // The one rule (card-number.ts): letters and digits, 12-16 characters, trailing padding stripped.
    const number = parseCardNumber(raw);
    if (number === undefined) throw notMoica(this.channel.atr, 'its card number file does not hold a card number');
    return number;
  }

  /** The certificate directory (DF 5030, EF 4104), read up to the end of its records. */
  async cdf(): Promise<CdfEntry[]> {
    this.cdfCache ??= parseCdf(await this.readDirectory(FID.CDF));
    return this.cdfCache;
  }

  /** A whole directory EF of DF 5030 (records, padding, used-length trailer), reading only what is missing. */
  async directoryFile(fid: number): Promise<Uint8Array> {
    return (await this.readRange({ path: [MF, FID.PKI_DF, fid], index: 0, length: undefined }, MAX_OFFSET)).slice();
  }

  entryOf(slot: 0 | 1): Promise<CdfEntry> {
    const keyId = HOLDERS[slot]!.keyId;
    return this.cdf().then((entries) => {
      const e = entries.find((x) => idText(x.id) === keyId);
      if (e === undefined) throw new MoicaError('card-answer-invalid', `The card lists no ${keyId} certificate.`);
      return e;
    });
  }

  /** The full DER of a slot's certificate. */
  async certificate(slot: 0 | 1): Promise<Uint8Array> {
    return this.objectAt((await this.entryOf(slot)).location);
  }

  /** The CA certificates (authority TRUE in the CDF), read in full: only when someone needs them. */
  async caCertificates(): Promise<CaCertificate[]> {
    const out: CaCertificate[] = [];
    for (const e of (await this.cdf()).filter((x) => x.authority)) {
      const der = await this.objectAt(e.location);
      // From the certificate itself: the same Name formatting as a holder's issuer, so the two compare.
      const header = parseCertificateHeader(der);
      if (!('done' in header) || header.done.subject === undefined) {
        throw new MoicaError('card-answer-invalid', `The CA certificate at ${formatPath(e.location.path)} is not valid DER.`);
      }
      out.push({ subject: header.done.subject, serialNumber: header.done.serialNumber, der });
    }
    return out;
  }

  /** A slot's key in the PuKDF: the key EF and the keyReference the private operation names. */
  async keyOf(slot: 0 | 1): Promise<{ keyReference: number; path: number[] }> {
    const { keyId } = HOLDERS[slot]!;
    const key = parsePukdf(await this.readDirectory(FID.PUKDF)).find((k) => idText(k.id) === keyId);
    if (key === undefined || key.keyReference === undefined) {
      throw new MoicaError('card-answer-invalid', `The card lists no ${keyId} public key.`);
    }
    return { keyReference: key.keyReference, path: this.resolve(key.location.path) };
  }

  /** SubjectPublicKeyInfo DER of a slot's key, from the PuKDF and the key records (no PIN). */
  async publicKey(slot: 0 | 1): Promise<Uint8Array> {
    const { keyId } = HOLDERS[slot]!;
    const known = this.keys.get(keyId);
    if (known !== undefined) return known;
    const { keyReference: ref, path } = await this.keyOf(slot);
    await this.session.selectPath(path);
    const exponent = await this.session.readRecord(ref, KEY_RECORD_LENGTH);
    const low = await this.session.readRecord(ref + 2, KEY_RECORD_LENGTH);
    const high = await this.session.readRecord(ref + 3, KEY_RECORD_LENGTH);
    const spki = spkiFromKeyRecords(ref, exponent, low, high);
    this.keys.set(keyId, spki);
    return spki;
  }

  /** Forget cached bytes and the directory (after this tool wrote to the card). */
  invalidate(): void {
    this.cdfCache = undefined;
    this.files.clear();
    this.keys.clear();
    this.session.forget();
  }

  /**
   * This tool wrote `data` at `offset` of a file, and knows the card now holds it: cached copies of that
   * range take the new bytes (the writer's own copy of the directory, instead of reading it again).
   */
  patch(path: readonly number[], offset: number, data: Uint8Array): void {
    this.files.patch(fileKey(this.resolve(path)), offset, data);
    this.cdfCache = undefined;
  }

  /** Drops cached bytes of a file that overlap [from, to), so that the next read of them asks the card (a read-back). */
  forget(path: readonly number[], from: number, to: number): void {
    this.files.forget(fileKey(this.resolve(path)), from, to);
    this.cdfCache = undefined;
  }

  /**
   * The raw bytes of an area (at most `length`, fewer if the file ends), through the cache: a certificate
   * read from the same place afterwards costs nothing more (the backup reads whole areas, issue 13).
   */
  async areaBytes(location: FileSlice, length: number): Promise<Uint8Array> {
    return (await this.readRange(location, length)).slice(0, length);
  }

  /** Bytes straight from the card, bypassing (and not filling) the cache: the deliberate read-back. */
  async readAgain(path: readonly number[], offset: number, length: number): Promise<Uint8Array> {
    await this.session.selectPath(this.resolve(path));
    return this.session.readBinary(offset, length);
  }

  /** Paths in the directories: absolute (3F00 … / 7FFF …), or one FID inside DF 5030. */
  resolve(path: readonly number[]): number[] {
    if (path[0] === MF || path[0] === APP) return [...path];
    return path.length === 1 ? [FID.PKI_DF, ...path] : [...path];
  }

  /**
   * Serial, names and validity of a holder certificate. A body that does not parse (a write torn inside
   * it) leaves the slot inconsistent with the directory's serial and unknown dates: the card still reads,
   * so the rewrite can finish it.
   */
  private async holderHeader(entry: CdfEntry): Promise<Omit<HolderCertificate, 'slot' | 'usage' | 'keyId'>> {
    let body: CertificateHeader | undefined;
    try {
      body = await this.headerOf(entry);
    } catch (e) {
      if (!isMoicaError(e, 'card-answer-invalid') || entry.serialNumber === undefined) throw e;
    }
    if (body === undefined) {
      return { serialNumber: entry.serialNumber!, subject: entry.subject ?? '', issuer: entry.issuer ?? '', notBefore: null, notAfter: null, consistent: false };
    }
    return {
      serialNumber: entry.serialNumber ?? body.serialNumber,
      subject: body.subject ?? entry.subject ?? '',
      issuer: entry.issuer ?? body.issuer,
      notBefore: body.notBefore,
      notAfter: body.notAfter,
      consistent: entry.serialNumber !== undefined && derSerialsEqual(entry.serialNumber, body.serialNumber),
    };
  }

  private async headerOf(entry: CdfEntry): Promise<CertificateHeader> {
    const limit = entry.location.length ?? MAX_OFFSET - entry.location.index;
    let want = Math.min(READ_CHUNK, limit);
    for (;;) {
      const bytes = await this.readRange(entry.location, want);
      const parsed = parseCertificateHeader(bytes);
      if ('done' in parsed) return parsed.done;
      if (bytes.length < want || parsed.needBytes > limit) {
        throw new MoicaError('card-answer-invalid', `The certificate at ${formatPath(entry.location.path)} ends too early.`);
      }
      want = parsed.needBytes;
    }
  }

  /** A whole DER object at a location (at most location.length bytes): its outer header says how long it is. */
  async objectAt(location: FileSlice): Promise<Uint8Array> {
    const limit = location.length ?? MAX_OFFSET - location.index;
    const head = await this.readRange(location, Math.min(READ_CHUNK, limit));
    const outer = readHeader(head, 0);
    if (outer === undefined || outer.tag !== 0x30 || outer.end > limit) {
      throw new MoicaError('card-answer-invalid', `No certificate at ${formatPath(location.path)} offset ${location.index}.`);
    }
    const all = await this.readRange(location, outer.end);
    if (all.length < outer.end) throw new MoicaError('card-answer-invalid', `The certificate at ${formatPath(location.path)} ends too early.`);
    return all.slice(0, outer.end);
  }

  /**
   * At least `length` bytes from the start of a slice (fewer only if the file ends), reading only what
   * was not read before.
   */
  private async readRange(location: FileSlice, length: number): Promise<Uint8Array> {
    const path = this.resolve(location.path);
    return this.files.range(fileKey(path), location.index, length, async (from, count) => {
      await this.session.selectPath(path);
      return this.session.readBinary(from, count);
    });
  }

  /**
   * A directory EF of DF 5030, read in whole chunks until its records end: at padding (00/FF), at the
   * used-length trailer, or at the end of the file. Chunks are C8 bytes: the APDU count is what costs.
   */
  private async readDirectory(fid: number): Promise<Uint8Array> {
    const location: FileSlice = { path: [MF, FID.PKI_DF, fid], index: 0, length: undefined };
    let have = 0;
    for (;;) {
      const bytes = await this.readRange(location, have + READ_CHUNK);
      const end = recordsEnd(bytes);
      const eof = bytes.length < have + READ_CHUNK;
      have = bytes.length;
      if (end !== undefined) return bytes.subarray(0, end);
      if (eof) return bytes;
    }
  }
}

/** A file by its FIDs below the root, the same on gen1 (3F00 …) and gen2 (7FFF …). */
function fileKey(path: readonly number[]): string {
  return formatPath(path[0] === MF || path[0] === APP ? path.slice(1) : path);
}


/** Where the DER records of a directory stop, or undefined when the bytes end inside them. */
export function recordsEnd(bytes: Uint8Array): number | undefined {
  let p = 0;
  while (p < bytes.length) {
    const b = bytes[p]!;
    if (b === 0x00 || b === 0xff) return p;
    // A full EF: the used-length trailer (2 bytes, little-endian) right after the last record.
    if (b !== 0x30 && p + 1 < bytes.length && (b | (bytes[p + 1]! << 8)) === p) return p;
    const h = readHeader(bytes, p);
    if (h === undefined || h.end > bytes.length) return undefined;
    p = h.end;
  }
  return undefined;
}

export { toHex };
