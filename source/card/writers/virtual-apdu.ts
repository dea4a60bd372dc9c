/**
 * The CardWriter for the project's virtual card, over plaintext APDUs (moica-card.md §3). It refuses any
 * other card: real cards take a PIN only encrypted or over a secure channel, and a plaintext VERIFY may
 * use up a try (moica-card.md §2), so they go through the issuer's PKCS#11 module instead.
 */
import { checkPinFormat } from '../../domain/pin.js';
import { pinBlockedError } from '../pin.js';
import * as asn1js from 'asn1js';
import { MoicaError, isMoicaError } from '../../errors.js';
import { command, exchange, hexSw, splitResponse, statusError } from '../apdu.js';
import { isVirtualAtr, type MoicaCard } from '../moica.js';
import { idText, parseCdf, rewriteCdf, splitRecords } from '../pkcs15.js';
import { commitWrites, readBackWindows } from './commit.js';
import { RSA_BLOCK, pkcs1Block } from './pkcs1.js';
import { CDF_PATH, CERTIFICATE_AREA, FID, READ_CHUNK, SLOT_KEY_ID, isHolderKeyId } from '../layout.js';
import { formatPath } from '../session.js';
import type { CardInfo, CardWriter } from '../types.js';

const PIN_BLOCK = 10;
const HALF = 128;
/** The backup extra that holds the whole CDF: the journal of its commits. */
export const CDF_EXTRA = 'cdf-5030-4104';

export class VirtualCardWriter implements CardWriter {
  readonly path = 'virtual-apdu' as const;
  /** CDF ranges this writer wrote and has not read back yet ([from, to)). */
  private unverified: Array<[number, number]> = [];
  /** A VERIFY with a PIN went out since begin(): end() resets the card. */
  private pinSent = false;

  constructor(private readonly card: MoicaCard) {
    this.guard();
  }

  publicKey(slot: 0 | 1): Promise<Uint8Array> {
    this.guard();
    return this.card.publicKey(slot);
  }

  async verifyPin(pin: Uint8Array): Promise<void> {
    this.guard();
    checkPinFormat(pin);
    const apdu = new Uint8Array(5 + PIN_BLOCK).fill(0xff);
    apdu.set([0x00, 0x20, 0x00, 0x01, PIN_BLOCK]);
    apdu.set(pin, 5);
    let sw: number;
    this.pinSent = true;
    try {
      // Straight to the channel: exchange() would resend on 6Cxx, and a PIN is never sent twice.
      sw = splitResponse(await this.card.channel.transmit(apdu)).sw;
    } finally {
      apdu.fill(0);
    }
    if (sw === 0x9000) return;
    if ((sw & 0xfff0) === 0x63c0) {
      const triesLeft = sw & 0x0f;
      throw new MoicaError('pin-wrong', `Wrong PIN: ${triesLeft} ${triesLeft === 1 ? 'try' : 'tries'} left.`, { triesLeft, sw: hexSw(sw) });
    }
    if (sw === 0x6983 || sw === 0x6984) throw pinBlockedError({ sw: hexSw(sw) });
    throw statusError(sw, 'verify the PIN');
  }

  /**
   * `00 20 00 01` with no data (moica-card.md §3): 63 Cx → x tries left, 69 83 → blocked (0), 90 00 → this
   * session is verified already (no count: null). Never consumes a try.
   */
  async pinTries(): Promise<number | null> {
    this.guard();
    const sw = splitResponse(await this.card.channel.transmit(Uint8Array.from([0x00, 0x20, 0x00, 0x01]))).sw;
    if ((sw & 0xfff0) === 0x63c0) return sw & 0x0f;
    if (sw === 0x6983 || sw === 0x6984) return 0;
    if (sw === 0x9000) return null;
    throw statusError(sw, 'ask the PIN tries left');
  }

  /** The private operation names its key by reference (moica-card.md §3): no file needs selecting. */
  async sign(slot: 0 | 1, message: Uint8Array): Promise<Uint8Array> {
    this.guard();
    const ref = (await this.card.keyOf(slot)).keyReference;
    const cla = this.card.session.cla;
    const block = pkcs1Block(message);
    const first = await exchange(this.card.channel, command(cla, 0xea, 0x82, ref, block.subarray(0, HALF)));
    if (first.sw !== 0x9000) throw statusError(first.sw, 'start the RSA operation');
    const second = await exchange(this.card.channel, command(cla, 0xea, 0x02, ref, block.subarray(HALF)));
    if (second.sw !== 0x9000 || second.data.length !== HALF) throw statusError(second.sw, 'run the RSA operation');
    const rest = await exchange(this.card.channel, command(cla, 0xc1, 0x00, HALF, undefined, HALF));
    if (rest.sw !== 0x9000 || rest.data.length !== HALF) throw statusError(rest.sw, 'fetch the RSA result');
    const signature = new Uint8Array(RSA_BLOCK);
    signature.set(second.data);
    signature.set(rest.data, HALF);
    return signature;
  }

  readCertificate(slot: 0 | 1): Promise<Uint8Array> {
    this.guard();
    return this.card.certificate(slot);
  }

  /**
   * The whole CDF, trailer included (the journal that puts back a directory a torn commit broke), and the
   * raw bytes of every area the CDF maps in EF 08F2: each holder slot's whole 0700-byte area (a write may
   * touch any byte of it) and each CA certificate as the CDF gives its length (a write must never reach
   * them: if one ever did, the backup holds what to put back).
   */
  async backupExtras(): Promise<Record<string, Uint8Array>> {
    this.guard();
    const cdf = await this.card.directoryFile(FID.CDF);
    const extras: Record<string, Uint8Array> = { [CDF_EXTRA]: cdf };
    for (const e of parseCdf(cdf)) {
      const { path, index, length } = e.location;
      const holder = isHolderKeyId(idText(e.id));
      const bytes = holder ? CERTIFICATE_AREA : (length ?? CERTIFICATE_AREA);
      const name = `${holder ? `area-${idText(e.id)}` : 'ca'}-${formatPath(path)}@${index.toString(16).toUpperCase()}`;
      extras[name] = await this.card.areaBytes(e.location, bytes);
    }
    return extras;
  }

  /** The slots' areas, the areas around them and the directory's space, for all the writes at once. */
  async checkFits(writes: ReadonlyArray<{ slot: 0 | 1; der: Uint8Array }>): Promise<void> {
    this.guard();
    let cdf = await this.card.directoryFile(FID.CDF);
    const entries = parseCdf(cdf);
    for (const w of writes) {
      if (w.der.length > CERTIFICATE_AREA) {
        throw new MoicaError('rewrite-refused', `Certificate ${w.slot} (${w.der.length} bytes) does not fit its area on the card (${CERTIFICATE_AREA} bytes): nothing was written.`,
          { slot: w.slot, bytes: w.der.length, area: CERTIFICATE_AREA });
      }
      const entry = entries.find((e) => idText(e.id) === SLOT_KEY_ID[w.slot]);
      if (entry === undefined) throw new MoicaError('card-answer-invalid', `The card lists no ${SLOT_KEY_ID[w.slot]} certificate.`);
      const from = entry.location.index;
      const to = from + w.der.length;
      for (const other of entries) {
        if (other === entry || formatPath(other.location.path) !== formatPath(entry.location.path)) continue;
        const o0 = other.location.index;
        const o1 = o0 + (other.location.length ?? CERTIFICATE_AREA);
        if (from < o1 && o0 < to) {
          throw new MoicaError('rewrite-refused', `Certificate ${w.slot} (${w.der.length} bytes) would overwrite "${other.label}" on the card: nothing was written.`, { slot: w.slot });
        }
      }
      const current = parseCdf(cdf).find((e) => idText(e.id) === SLOT_KEY_ID[w.slot])!;
      try {
        cdf = rewriteCdf(cdf, current, certificateSerial(w.der), w.der.length);
      } catch (e) {
        if (!isMoicaError(e, 'rewrite-failed')) throw e;
        throw new MoicaError('rewrite-refused', 'The new certificate directory would not fit its file on the card: nothing was written.', { slot: w.slot });
      }
    }
  }

  /**
   * The body into the slot's area and read back, then the CDF entry (serial + length) as the commit point:
   * a rewrite cut short before the commit leaves a card whose CDF disagrees with its body, "inconsistent";
   * a body that does not read back as written is never committed.
   */
  async writeCertificate(slot: 0 | 1, der: Uint8Array, onWritten?: (done: number) => void): Promise<void> {
    this.guard();
    const serial = certificateSerial(der);
    if (der.length > CERTIFICATE_AREA) throw new MoicaError('rewrite-failed', `The certificate (${der.length} bytes) does not fit its 0700-byte area.`);
    const cdfFile = await this.card.directoryFile(FID.CDF);
    const entry = parseCdf(cdfFile).find((e) => idText(e.id) === SLOT_KEY_ID[slot]);
    if (entry === undefined) throw new MoicaError('card-answer-invalid', `The card lists no ${SLOT_KEY_ID[slot]} certificate.`);
    const { path, index } = entry.location;
    await this.update(path, index, der, onWritten);
    this.card.forget(path, index, index + der.length);
    const back = await this.card.objectAt({ path, index, length: CERTIFICATE_AREA }).catch((e: unknown) => {
      if (isMoicaError(e, 'card-answer-invalid')) return new Uint8Array(0);
      throw e;
    });
    if (!Buffer.from(back).equals(Buffer.from(der))) {
      throw new MoicaError('rewrite-failed', `Certificate ${slot} reads back different from what was written; its directory entry was left as it was.`, { slot });
    }
    this.unverified.push(...(await this.writeDirectory(cdfFile, rewriteCdf(cdfFile, entry, serial, der.length))));
  }

  /**
   * Puts the backup's CDF back: bytes this tool read from this very card before writing (the caller checks
   * the backup's card number), so no proof is needed for them. Only the bytes that differ are written; a
   * tear here leaves a state the same write repairs next time.
   */
  async restoreExtras(extras: Record<string, Uint8Array>): Promise<void> {
    this.guard();
    const saved = extras[CDF_EXTRA];
    if (saved === undefined) return;
    const now = await this.card.directoryFile(FID.CDF);
    if (saved.length !== now.length) {
      throw new MoicaError('rewrite-refused', `The backup's certificate directory (${saved.length} bytes) is not this card's (${now.length} bytes).`);
    }
    parseCdf(saved); // a journal that does not parse itself would only trade one broken directory for another
    // Read back by the caller's fresh read of the card, which follows.
    await this.writeDirectory(now, saved);
  }

  /** The written CDF bytes read back from the card (once, all commits together), then the listing. */
  async readBack(): Promise<CardInfo> {
    this.guard();
    const copy = await this.card.directoryFile(FID.CDF);
    for (const [from, to] of readBackWindows(this.unverified)) {
      const back = await this.card.readAgain(CDF_PATH, from, to - from);
      if (!Buffer.from(back).equals(Buffer.from(copy.subarray(from, to)))) {
        throw new MoicaError('rewrite-failed', 'The certificate directory reads back different from what was written.');
      }
    }
    this.unverified = [];
    return this.card.listing();
  }

  /**
   * The write sequence's start: the card to ourselves (PC/SC exclusive), and nothing of what was read before
   * taken for granted (another program may have selected or written anything meanwhile).
   */
  async begin(): Promise<void> {
    this.guard();
    await this.card.channel.acquire?.();
    this.card.invalidate();
  }

  /**
   * The card has no logout: after a VERIFY (right or wrong) the card is reset (SCARD_RESET_CARD), which drops
   * the verified state before any other program can reach the card; then back to a shared connection.
   */
  async end(): Promise<void> {
    const reset = this.pinSent;
    this.pinSent = false;
    this.card.session.forget();
    await this.card.channel.release?.({ reset });
  }

  private guard(): void {
    const atr = this.card.channel.atr;
    if (!isVirtualAtr(atr)) {
      throw new MoicaError('pkcs11-unavailable',
        'PIN and write APDUs go only to the virtual card; a real card needs the issuer\'s PKCS#11 module (--pkcs11-module).', { atr });
    }
  }

  /** A CDF change, written in the order commitWrites() gives; the card's cached copy follows each write. */
  private async writeDirectory(before: Uint8Array, after: Uint8Array): Promise<Array<[number, number]>> {
    const written: Array<[number, number]> = [];
    for (const w of commitWrites(before, after)) {
      await this.update(CDF_PATH, w.offset, w.bytes);
      this.card.patch(CDF_PATH, w.offset, w.bytes);
      written.push([w.offset, w.offset + w.bytes.length]);
    }
    return written;
  }

  /**
   * UPDATE BINARY in C8-byte chunks; `onWritten` is told the bytes landed so far after each chunk's 9000.
   * A write does not move the current file: the selection stays known.
   */
  private async update(path: number[], offset: number, bytes: Uint8Array, onWritten?: (done: number) => void): Promise<void> {
    await this.card.session.selectPath(this.card.resolve(path));
    for (let done = 0; done < bytes.length; done += READ_CHUNK) {
      const at = offset + done;
      const end = Math.min(done + READ_CHUNK, bytes.length);
      const res = await this.card.session.send(0xd6, at >> 8, at & 0xff, bytes.subarray(done, end));
      if (res.sw !== 0x9000) throw statusError(res.sw, `write ${bytes.length} bytes at ${offset}`);
      onWritten?.(end);
    }
  }
}

function certificateSerial(der: Uint8Array): Uint8Array {
  const { offset, result } = asn1js.fromBER(der);
  const tbs = (result as asn1js.Sequence).valueBlock?.value?.[0] as asn1js.Sequence | undefined;
  const fields = tbs?.valueBlock?.value ?? [];
  const serial = fields[0]?.idBlock.tagClass === 3 ? fields[1] : fields[0];
  if (offset !== der.length || !(serial instanceof asn1js.Integer)) {
    throw new MoicaError('rewrite-refused', 'The certificate to write is not a DER X.509 certificate.');
  }
  return new Uint8Array(serial.valueBlock.valueHexView);
}
