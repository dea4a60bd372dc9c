/**
 * The virtual MOICA card (moica-card.md section 3): a file system plus the rules of a HiCOS gen1 card
 * on the read path, and a plaintext PIN / write path of its own.
 *
 * ATR 3B 8D 80 01 56 4D 4F 49 43 41 2D 53 49 4D 31 2E 30 46 ("VMOICA-SIM1.0"), both generations; a state with
 * `atr` answers that one instead (tests: a card the host must take for a real one, never writing to it).
 *
 * Class byte: gen1 CLA 80 on every command, gen2 CLA 00 on every command; the other class answers 6E 00.
 * Two exceptions, on both generations: VERIFY is `00 20` and GET RESPONSE is `00 C0` (CLA 00; GET RESPONSE
 * also takes the card's own class).
 *
 * Files (FIDs hex; "root" is the MF 3F00 on gen1 and the applet, selected by AID or FID 7FFF/3F00, on gen2):
 *
 *   root
 *   ├─ DF 0900
 *   │   ├─ EF 0903  16 bytes: the card number in ASCII, e.g. "TP03130708163649"
 *   │   └─ EF 0905  8 bytes "CHT V32N" (gen1 only; gen2 answers 6A 82)
 *   └─ DF 5030
 *       ├─ EF 08F2  1C00 bytes: four fixed 0700-byte areas at 0000 root CA, 0700 issuing CA,
 *       │           0E00 holder SIGN certificate, 1500 holder KEYX certificate (DER, zero padded)
 *       ├─ EF 4104  0400 bytes: the CDF (~900 used), then zeros; used length in the last 2 bytes, little-endian
 *       ├─ EF 4101  0200 bytes: the PuKDF, same trailer
 *       ├─ EF 0810  key records of the SIGN key, keyReference 01 (records 01-04)
 *       └─ EF 0811  key records of the KEYX key, keyReference 05 (records 05-08)
 *   5015, 5031 (ODF) and anything else answer 6A 82.
 *
 * Selecting: gen1 `80 A4 00 00 02 <FID>`; gen2 `00 A4 04 0C 10 <AID>` (answers 90 00) and
 * `00 A4 00 04 02 <FID> 00`. 3F00 selects the root (7FFF too on gen2); a DF (0900, 5030) can be selected
 * from anywhere; an EF only within its DF, which stays current. SELECT answers 90 00 without data.
 *
 * CDF entry (one per certificate, in area order), DER:
 *   30 { 30 { 0C label }                                   CommonObjectAttributes
 *        30 { 04 iD [01 01 FF if a CA] }                   CommonCertificateAttributes: iD "SIGN" / "KEYX" for the
 *                                                          holder, "ROOTCA" / "MOICA" for the CAs; authority TRUE for CAs
 *        A1 { 30 {                                         typeAttributes [1], EXPLICIT (default) or implicit
 *               30 { 04 path  02 index  80 length }        (the implicit option drops this inner 30)
 *               30 … subject Name
 *               A0 { 30 … issuer Name }
 *               02 serialNumber } } }
 *   path = 3F00 5030 08F2 on gen1, 7FFF 5030 08F2 on gen2; index = offset in 08F2; length = DER length.
 *
 * PuKDF entry (SIGN, then KEYX):
 *   30 { 30 { 0C label }
 *        30 { 04 iD  03 usage  01 01 FF (native)  02 keyReference }
 *        A1 { 30 { 30 { 04 path-of-0810/0811 }  02 modulusLength (2048) } } }
 *
 * Key records, READ RECORD `80 B2 <rec> 00 81` (P2 00 or 04) → 129 bytes: the record number, then 128:
 *   rec ref     exponent in bytes 1-4 (00 01 00 01), then zeros
 *   rec ref+1   zeros
 *   rec ref+2/3 the 256-byte modulus as 32-bit words in reverse order (reverse the 4-byte groups)
 *   Le other than 81 (or 00) → 6C 81; an unknown record → 6A 83.
 *
 * READ BINARY `CLA B0 <offset, 15 bits> <Le>`: Le ≤ C8, more → 67 00 (or 6C C8 with faults.overLong);
 * offset past the end → 6B 00; fewer bytes left than Le → those bytes + 62 82. On a record EF → 69 81.
 *
 * PIN (virtual only): VERIFY `00 20 00 01 0A <PIN ASCII, FF padded to 10>` → 90 00 | 63 Cx | 69 83 (blocked);
 * `00 20 00 01` without data → 90 00 when verified, else 63 Cx. A wrong PIN also drops a verified state.
 * Power-off and reset clear the verified state.
 *
 * RSA private operation: `CLA EA 82 <ref> 80 <first 128>` (90 00), `CLA EA 02 <ref> 80 <last 128>` (first 128
 * of the result), `CLA C1 00 80 80` (last 128). Without a verified PIN → 69 82; unknown ref → 6A 88.
 *
 * UPDATE BINARY `CLA D6 <offset> <Lc ≤ C8> <data>` to 08F2 and 4104 only (others 69 86), only after VERIFY
 * (else 69 82). Writes land at once, like EEPROM: a card pulled mid-rewrite keeps what was written.
 *
 * Fault knobs (card.faults, faults.ts): 69 87 to reads over 16 bytes N times; data answers as 61 xx (then
 * GET RESPONSE) N times; 6C xx to READ BINARY N times; pullAfter(N) (the next APDU after N is lost with the
 * card, an UPDATE BINARY then lands in part); stopAnswering(N) (mute until reset). card.stats counts APDUs,
 * instructions and how often each byte of each EF was read.
 */
import { constants, createPrivateKey, privateDecrypt, type KeyObject } from 'node:crypto';
import { MoicaError } from '../errors.js';
import { CardFaults, CardStats } from './faults.js';
import { answer, parseCommand, SW, type CommandApdu } from './command.js';
import { pinBlock, pinDigest, type VirtualCardState } from './image.js';
import { FID, GEN2_AID, MAX_CHUNK, PIN_BLOCK, RECORD_BODY, VIRTUAL_ATR, hex4 } from './layout.js';

export type CardReply =
  | { kind: 'answer'; bytes: Uint8Array }
  /** The card stopped answering: the host must time out. */
  | { kind: 'silent' }
  /** The card left the reader (mid-APDU): the transport reports removal. */
  | { kind: 'pulled' };

const DIRECTORIES = new Set([hex4(FID.CARD_DF), hex4(FID.PKI_DF)]);
const WRITABLE = new Set([`${hex4(FID.PKI_DF)}/${hex4(FID.CERTIFICATES)}`, `${hex4(FID.PKI_DF)}/${hex4(FID.CDF)}`]);

export class VirtualCard {
  readonly atr: Uint8Array;
  readonly generation: 1 | 2;
  readonly faults = new CardFaults();
  readonly stats = new CardStats();
  private readonly binaries = new Map<string, Uint8Array>();
  private readonly records = new Map<string, Map<number, Uint8Array>>();
  private readonly keys = new Map<number, KeyObject>();
  private readonly keyPkcs8 = new Map<number, { keyId: VirtualCardState['keys'][number]['keyId']; pkcs8: string }>();
  private readonly pin: VirtualCardState['pin'];
  private powered = false;
  private pulled = false;
  private silent = false;
  private verified = false;
  private currentDf = '';
  private currentEf: string | undefined;
  private pendingResponse: Uint8Array | undefined;
  private rsaInput: { ref: number; first: Uint8Array } | undefined;
  private rsaOutput: Uint8Array | undefined;
  private readonly removalListeners = new Set<() => void>();
  /** Called after every answered APDU (tests, traces). The command may hold a PIN: do not log it raw. */
  onExchange: ((command: Uint8Array, response: Uint8Array) => void) | undefined;

  constructor(state: VirtualCardState) {
    if (state?.format !== 'moica-virtual-card/1' || (state.generation !== 1 && state.generation !== 2)) {
      throw new MoicaError('usage', 'not a virtual card state (format moica-virtual-card/1)');
    }
    this.generation = state.generation;
    if (state.atr !== undefined && !/^(?:[0-9A-Fa-f]{2}){2,33}$/.test(state.atr)) throw new MoicaError('usage', 'the ATR must be 2-33 bytes of hex');
    this.atr = state.atr === undefined ? VIRTUAL_ATR : Uint8Array.from(Buffer.from(state.atr, 'hex'));
    this.pin = { ...state.pin };
    for (const [path, hex] of Object.entries(state.binaries)) this.binaries.set(path, Buffer.from(hex, 'hex'));
    for (const [path, records] of Object.entries(state.records)) {
      this.records.set(path, new Map(Object.entries(records).map(([n, hex]) => [Number(n), Buffer.from(hex, 'hex')])));
    }
    for (const key of state.keys) {
      this.keyPkcs8.set(key.keyReference, { keyId: key.keyId, pkcs8: key.pkcs8 });
      this.keys.set(key.keyReference, createPrivateKey({ key: Buffer.from(key.pkcs8, 'base64'), format: 'der', type: 'pkcs8' }));
    }
  }

  static fromState(state: VirtualCardState): VirtualCard {
    return new VirtualCard(state);
  }

  /** Everything a card keeps across power cycles: EF contents, tries, PIN digest, keys. JSON-safe. */
  toState(): VirtualCardState {
    const hex = (b: Uint8Array): string => Buffer.from(b).toString('hex');
    return {
      format: 'moica-virtual-card/1',
      generation: this.generation,
      ...(Buffer.from(this.atr).equals(Buffer.from(VIRTUAL_ATR)) ? {} : { atr: Buffer.from(this.atr).toString('hex').toUpperCase() }),
      pin: { ...this.pin },
      binaries: Object.fromEntries([...this.binaries].map(([p, b]) => [p, hex(b)])),
      records: Object.fromEntries([...this.records].map(([p, r]) => [p, Object.fromEntries([...r].map(([n, b]) => [String(n), hex(b)]))])),
      keys: [...this.keyPkcs8].map(([keyReference, k]) => ({ keyId: k.keyId, keyReference, pkcs8: k.pkcs8 })),
    };
  }

  // ------------------------------------------------------------------ power and presence

  /** Cold reset: clears the verified PIN and selection; a pulled or mute card is back once reinserted. */
  powerOn(): Uint8Array {
    this.powered = true;
    this.pulled = false;
    this.silent = false;
    this.clearVolatile();
    return this.atr;
  }

  powerOff(): void {
    this.powered = false;
    this.clearVolatile();
  }

  reset(): Uint8Array {
    return this.powerOn();
  }

  get isPowered(): boolean {
    return this.powered;
  }

  get isPulled(): boolean {
    return this.pulled;
  }

  get isVerified(): boolean {
    return this.verified;
  }

  get triesLeft(): number {
    return this.pin.triesLeft;
  }

  /** Listen for the card leaving the reader by itself (the pull knob). Returns an unsubscribe function. */
  onRemoved(listener: () => void): () => void {
    this.removalListeners.add(listener);
    return () => this.removalListeners.delete(listener);
  }

  /** The card is pulled while the (n+1)-th APDU from now is in flight; an UPDATE BINARY then lands in part. */
  pullAfter(apdus: number, options: { tornBytes?: number } = {}): void {
    this.faults.pullCountdown = apdus;
    this.faults.tornBytes = options.tornBytes;
  }

  /** The card goes mute from the (n+1)-th APDU from now until it is reset or powered off. */
  stopAnswering(afterApdus = 0): void {
    this.faults.muteCountdown = afterApdus;
  }

  // ------------------------------------------------------------------ test access to the EEPROM

  /** A copy of a transparent EF, by path below the root ("5030/4104"). */
  readFile(path: string): Uint8Array {
    const file = this.binaries.get(path);
    if (!file) throw new Error(`no EF ${path}`);
    return new Uint8Array(file);
  }

  /** Overwrite bytes of a transparent EF directly (to build broken cards in tests). */
  patchFile(path: string, offset: number, bytes: Uint8Array): void {
    const file = this.binaries.get(path);
    if (!file || offset + bytes.length > file.length) throw new Error(`cannot patch EF ${path} at ${offset}`);
    file.set(bytes, offset);
  }

  // ------------------------------------------------------------------ APDUs

  /** Response data + SW; an empty array when the card is gone or mute (what a reader would hand back). */
  handle(apdu: Uint8Array): Uint8Array {
    const reply = this.exchange(apdu);
    return reply.kind === 'answer' ? reply.bytes : new Uint8Array(0);
  }

  exchange(apdu: Uint8Array): CardReply {
    if (this.pulled) return { kind: 'pulled' };
    if (this.silent) return { kind: 'silent' };
    // A card is always powered by the reader before an APDU; be lenient with hosts that skip it.
    if (!this.powered) this.powerOn();
    this.stats.apdus++;
    if (this.faults.pullCountdown === 0) {
      this.faults.pullCountdown = -1;
      this.tear(apdu);
      this.pulled = true;
      this.powered = false;
      this.clearVolatile();
      for (const listener of [...this.removalListeners]) listener();
      return { kind: 'pulled' };
    }
    if (this.faults.pullCountdown > 0) this.faults.pullCountdown--;
    if (this.faults.muteCountdown === 0) {
      this.faults.muteCountdown = -1;
      this.silent = true;
      return { kind: 'silent' };
    }
    if (this.faults.muteCountdown > 0) this.faults.muteCountdown--;
    const bytes = this.process(apdu);
    this.onExchange?.(apdu, bytes);
    return { kind: 'answer', bytes };
  }

  private clearVolatile(): void {
    this.verified = false;
    this.currentDf = '';
    this.currentEf = undefined;
    this.pendingResponse = undefined;
    this.rsaInput = undefined;
    this.rsaOutput = undefined;
  }

  /** A write in flight when the card is pulled lands in part, like a real EEPROM page write. */
  private tear(apdu: Uint8Array): void {
    const command = parseCommand(apdu);
    if (!command || command.ins !== 0xd6 || !this.verified || !this.currentEf || !WRITABLE.has(this.currentEf)) return;
    const torn = Math.min(this.faults.tornBytes ?? Math.floor(command.data.length / 2), command.data.length);
    const file = this.binaries.get(this.currentEf);
    const offset = ((command.p1 & 0x7f) << 8) | command.p2;
    if (file && offset + torn <= file.length) file.set(command.data.subarray(0, torn), offset);
  }

  private process(apdu: Uint8Array): Uint8Array {
    const command = parseCommand(apdu);
    if (!command) return answer(SW.WRONG_LENGTH);
    const ownClass = this.generation === 1 ? 0x80 : 0x00;
    const isGetResponse = command.ins === 0xc0 && (command.cla === 0x00 || command.cla === ownClass);
    if (!isGetResponse) this.pendingResponse = undefined;
    this.stats.count(command.ins);
    if (command.ins === 0x20) return command.cla === 0x00 ? this.verify(command) : answer(SW.CLA);
    if (isGetResponse) return this.getResponse(command);
    if (command.cla !== ownClass) return answer(SW.CLA);
    switch (command.ins) {
      case 0xa4: return this.select(command);
      case 0xb0: return this.readBinary(command);
      case 0xb2: return this.readRecord(command);
      case 0xd6: return this.updateBinary(command);
      case 0xea: return this.rsaPrivate(command);
      case 0xc1: return this.rsaResult(command);
      default: return answer(SW.INS);
    }
  }

  /** Data answers may be routed through 61 xx / GET RESPONSE by the fault knob. */
  private dataAnswer(data: Uint8Array, sw: number = SW.OK): Uint8Array {
    if (sw === SW.OK && this.faults.getResponse > 0) {
      this.faults.getResponse--;
      this.pendingResponse = new Uint8Array(data);
      return answer(0x6100 | (data.length & 0xff));
    }
    return answer(sw, data);
  }

  private getResponse(command: CommandApdu): Uint8Array {
    const pending = this.pendingResponse;
    if (!pending) return answer(SW.CONDITIONS);
    const n = Math.min(command.le ?? 256, pending.length);
    const rest = pending.subarray(n);
    this.pendingResponse = rest.length > 0 ? rest : undefined;
    return answer(rest.length > 0 ? 0x6100 | (rest.length & 0xff) : SW.OK, pending.subarray(0, n));
  }

  private select(command: CommandApdu): Uint8Array {
    if (command.p1 === 0x04) {
      if (this.generation !== 2) return answer(SW.NOT_FOUND);
      if (Buffer.compare(Buffer.from(command.data), Buffer.from(GEN2_AID)) !== 0) return answer(SW.NOT_FOUND);
      return this.selectRoot();
    }
    if (command.p1 !== 0x00 || ![0x00, 0x04, 0x0c].includes(command.p2)) return answer(SW.WRONG_P1P2);
    if (command.data.length !== 2) return answer(SW.WRONG_LENGTH);
    const fid = ((command.data[0] ?? 0) << 8) | (command.data[1] ?? 0);
    if (fid === FID.MF || (fid === FID.APPLET && this.generation === 2)) return this.selectRoot();
    const name = hex4(fid);
    if (DIRECTORIES.has(name)) {
      this.currentDf = name;
      this.currentEf = undefined;
      return answer(SW.OK);
    }
    const path = `${this.currentDf}/${name}`;
    if (this.currentDf && (this.binaries.has(path) || this.records.has(path))) {
      this.currentEf = path;
      return answer(SW.OK);
    }
    return answer(SW.NOT_FOUND);
  }

  private selectRoot(): Uint8Array {
    this.currentDf = '';
    this.currentEf = undefined;
    return answer(SW.OK);
  }

  private readBinary(command: CommandApdu): Uint8Array {
    if (command.p1 & 0x80) return answer(SW.WRONG_P1P2); // short-EF addressing: not supported
    if (!this.currentEf) return answer(SW.NO_CURRENT_EF);
    const file = this.binaries.get(this.currentEf);
    if (!file) return answer(SW.INCOMPATIBLE_FILE);
    const le = command.le ?? 256;
    if (le > MAX_CHUNK) return answer(this.faults.overLong === '6Cxx' ? 0x6c00 | MAX_CHUNK : SW.WRONG_LENGTH);
    const offset = (command.p1 << 8) | command.p2;
    if (offset >= file.length) return answer(SW.WRONG_OFFSET);
    if (le > 16 && this.faults.sw6987 > 0) {
      this.faults.sw6987--;
      return answer(SW.SM_MISSING);
    }
    const n = Math.min(le, file.length - offset);
    if (this.faults.wrongLength > 0) {
      this.faults.wrongLength--;
      return answer(0x6c00 | n);
    }
    this.stats.recordRead(this.currentEf, offset, n);
    return this.dataAnswer(file.subarray(offset, offset + n), n < le ? SW.END_OF_FILE : SW.OK);
  }

  private readRecord(command: CommandApdu): Uint8Array {
    if (!this.currentEf) return answer(SW.NO_CURRENT_EF);
    const records = this.records.get(this.currentEf);
    if (!records) return answer(SW.INCOMPATIBLE_FILE);
    if (command.p2 !== 0x00 && command.p2 !== 0x04) return answer(SW.WRONG_P1P2);
    const body = records.get(command.p1);
    if (!body) return answer(SW.RECORD_NOT_FOUND);
    const le = command.le ?? 256;
    if (le !== RECORD_BODY + 1 && le !== 256) return answer(0x6c00 | (RECORD_BODY + 1));
    return this.dataAnswer(Uint8Array.from([command.p1, ...body]));
  }

  private updateBinary(command: CommandApdu): Uint8Array {
    if (command.p1 & 0x80) return answer(SW.WRONG_P1P2);
    if (!this.currentEf) return answer(SW.NO_CURRENT_EF);
    const file = this.binaries.get(this.currentEf);
    if (!file) return answer(SW.INCOMPATIBLE_FILE);
    if (!WRITABLE.has(this.currentEf)) return answer(SW.NOT_ALLOWED);
    if (!this.verified) return answer(SW.SECURITY);
    if (command.data.length === 0 || command.data.length > MAX_CHUNK) return answer(SW.WRONG_LENGTH);
    const offset = (command.p1 << 8) | command.p2;
    if (offset >= file.length) return answer(SW.WRONG_OFFSET);
    if (offset + command.data.length > file.length) return answer(SW.WRONG_LENGTH);
    file.set(command.data, offset);
    this.stats.bytesWritten += command.data.length;
    return answer(SW.OK);
  }

  private verify(command: CommandApdu): Uint8Array {
    if (command.p1 !== 0x00 || command.p2 !== 0x01) return answer(SW.REF_NOT_FOUND);
    if (this.pin.triesLeft === 0) return answer(SW.BLOCKED);
    if (command.data.length === 0) return answer(this.verified ? SW.OK : 0x63c0 | this.pin.triesLeft);
    if (command.data.length !== PIN_BLOCK) return answer(SW.WRONG_LENGTH);
    const digest = pinDigest(Buffer.from(this.pin.salt, 'hex'), command.data);
    if (digest === this.pin.hash) {
      this.pin.triesLeft = this.pin.tries;
      this.verified = true;
      return answer(SW.OK);
    }
    this.verified = false;
    this.pin.triesLeft--;
    return answer(this.pin.triesLeft === 0 ? SW.BLOCKED : 0x63c0 | this.pin.triesLeft);
  }

  private rsaPrivate(command: CommandApdu): Uint8Array {
    if (command.p1 !== 0x82 && command.p1 !== 0x02) return answer(SW.WRONG_P1P2);
    if (!this.verified) return answer(SW.SECURITY);
    const key = this.keys.get(command.p2);
    if (!key) return answer(SW.REF_NOT_FOUND);
    if (command.data.length !== RECORD_BODY) return answer(SW.WRONG_LENGTH);
    if (command.p1 === 0x82) {
      this.rsaInput = { ref: command.p2, first: new Uint8Array(command.data) };
      this.rsaOutput = undefined;
      return answer(SW.OK);
    }
    const input = this.rsaInput;
    this.rsaInput = undefined;
    if (!input || input.ref !== command.p2) return answer(SW.CONDITIONS);
    try {
      const block = Buffer.concat([input.first, command.data]);
      this.rsaOutput = new Uint8Array(privateDecrypt({ key, padding: constants.RSA_NO_PADDING }, block));
    } catch {
      return answer(SW.WRONG_DATA); // input not below the modulus
    }
    return this.dataAnswer(this.rsaOutput.subarray(0, RECORD_BODY));
  }

  private rsaResult(command: CommandApdu): Uint8Array {
    if (!this.verified) return answer(SW.SECURITY);
    const output = this.rsaOutput;
    if (!output) return answer(SW.CONDITIONS);
    const offset = (command.p1 << 8) | command.p2;
    const le = command.le ?? 256;
    if (offset >= output.length) return answer(SW.WRONG_P1P2);
    return this.dataAnswer(output.subarray(offset, Math.min(offset + le, output.length)));
  }
}

export { pinBlock };
