/**
 * The two PKCS#15 directories a MOICA card keeps in DF 5030: the CDF (4104, certificates) and the PuKDF
 * (4101, public keys). Parsed with asn1js. Directory EFs hold DER records, then padding, and their used
 * length (2 bytes, little-endian) in their last two bytes (moica-card.md §1).
 */
import * as asn1js from 'asn1js';
import { nameText } from './x500-name.js';
import { MoicaError } from '../errors.js';
import { serialFromIntegerBytes } from '../domain/serial.js';
import { pathFids } from './session.js';
import { readHeader } from './tlv.js';

export interface FileSlice {
  /** FIDs from the root (3F00 … or 7FFF …). */
  path: number[];
  index: number;
  /** undefined: to the end of the object (its DER says how long). */
  length: number | undefined;
}

export interface CdfEntry {
  label: string;
  /** The iD: 'SIGN' / 'KEYX' for the holder's certificates. */
  id: Uint8Array;
  authority: boolean;
  location: FileSlice;
  /** Upper-case hex without leading zeros; undefined when the entry has none. */
  serialNumber: string | undefined;
  subject: string | undefined;
  issuer: string | undefined;
  /** Where the entry sits in the directory EF (for the rewrite of its serial and length). */
  offset: number;
  der: Uint8Array;
}

export interface PublicKeyEntry {
  label: string;
  id: Uint8Array;
  keyReference: number | undefined;
  location: FileSlice;
  modulusLength: number | undefined;
}

const invalid = (what: string) => new MoicaError('card-answer-invalid', `The card's ${what} is not valid PKCS#15.`);

type Block = asn1js.AsnType;

function kids(b: Block): Block[] {
  const v = (b as { valueBlock?: { value?: unknown } }).valueBlock?.value;
  return Array.isArray(v) ? (v as Block[]) : [];
}

function isTag(b: Block | undefined, tagClass: number, tagNumber: number): boolean {
  return b !== undefined && b.idBlock.tagClass === tagClass && b.idBlock.tagNumber === tagNumber;
}
const UNIVERSAL = 1;
const CONTEXT = 3;
const isSeq = (b: Block | undefined) => isTag(b, UNIVERSAL, 16);

function bytesOf(b: Block): Uint8Array {
  return new Uint8Array((b as { valueBlock: { valueHexView: Uint8Array } }).valueBlock.valueHexView);
}

function intOf(b: Block): number {
  return bytesOf(b).reduce((n, x) => n * 256 + x, 0);
}


function nameOf(b: Block): string | undefined {
  try {
    return nameText(b);
  } catch {
    return undefined;
  }
}

/**
 * The records of a directory EF: DER elements from the start until padding (00 or FF), the used-length
 * trailer of a full EF, or the end. Bytes there that are none of these (a record cut short, garbage left by
 * a torn write) make the directory invalid: a directory that silently lost its last records would list a
 * card with fewer certificates than it holds.
 */
export function splitRecords(bytes: Uint8Array): Array<{ offset: number; der: Uint8Array }> {
  const out: Array<{ offset: number; der: Uint8Array }> = [];
  let p = 0;
  while (p < bytes.length && bytes[p] !== 0x00 && bytes[p] !== 0xff) {
    // A full EF: the used-length trailer right after the last record.
    if (p === bytes.length - 2 && (bytes[p]! | (bytes[p + 1]! << 8)) === p) break;
    const h = readHeader(bytes, p);
    if (h === undefined || h.end > bytes.length) throw invalid('directory');
    out.push({ offset: p, der: bytes.subarray(p, h.end) });
    p = h.end;
  }
  return out;
}

/** Where the records end (the first byte of padding, or the end). */
export function recordsLength(bytes: Uint8Array): number {
  const records = splitRecords(bytes);
  const last = records.at(-1);
  return last === undefined ? 0 : last.offset + last.der.length;
}

/**
 * The used length a whole directory EF keeps in its last two bytes (little-endian). Readers may stop there,
 * so a writer keeps it at least the records' end at every step; zeros between the records' end and the used
 * length are padding (a state a growing commit passes through).
 */
export function usedLength(file: Uint8Array): number {
  return file.length < 2 ? 0 : file[file.length - 2]! | (file[file.length - 1]! << 8);
}

/** Path ::= SEQUENCE { path OCTET STRING, index INTEGER OPTIONAL, length [0] INTEGER OPTIONAL } */
function parsePath(b: Block): FileSlice | undefined {
  const [p, ...rest] = kids(b);
  if (!isTag(p, UNIVERSAL, 4)) return undefined;
  let index = 0;
  let length: number | undefined;
  for (const r of rest) {
    if (isTag(r, UNIVERSAL, 2)) index = intOf(r);
    else if (isTag(r, CONTEXT, 0)) length = bytesOf(r).length > 0 ? intOf(r) : undefined;
  }
  return { path: pathFids(bytesOf(p!)), index, length };
}

/**
 * The attributes inside `[1] typeAttributes`, tagged implicitly (A1 holds them directly) or explicitly
 * (A1 holds a SEQUENCE that holds them; OpenSC: Taiwanese cards "erroneously use explicit tagging").
 */
function typeAttributes(entry: Block): Block[] | undefined {
  const a1 = kids(entry).find((k) => isTag(k, CONTEXT, 1));
  if (a1 === undefined) return undefined;
  const inner = kids(a1);
  const first = inner[0];
  // Implicit: the first attribute is the ObjectValue, a Path whose first element is an OCTET STRING.
  if (inner.length === 1 && isSeq(first) && isSeq(kids(first!)[0])) return kids(first!);
  return inner;
}

function decodeRecord(der: Uint8Array, what: string): Block {
  let decoded: ReturnType<typeof asn1js.fromBER>;
  try {
    decoded = asn1js.fromBER(der);
  } catch {
    // asn1js throws, rather than reporting an error, on a malformed time string inside the record.
    throw invalid(what);
  }
  const { offset, result } = decoded;
  if (offset === -1 || offset !== der.length) throw invalid(what);
  return result;
}

function commonLabel(entry: Block): string {
  const common = kids(entry)[0];
  const label = kids(common ?? entry).find((k) => isTag(k, UNIVERSAL, 12));
  return label ? (label as asn1js.Utf8String).valueBlock.value.replace(/[\0\s]+$/, '') : '';
}

export function parseCdfEntry(der: Uint8Array, offset = 0): CdfEntry {
  const entry = decodeRecord(der, 'certificate directory');
  const [, commonCert] = kids(entry);
  if (!isSeq(entry) || !isSeq(commonCert)) throw invalid('certificate directory');
  const certKids = kids(commonCert!);
  const id = certKids[0] && isTag(certKids[0], UNIVERSAL, 4) ? bytesOf(certKids[0]) : new Uint8Array();
  const auth = certKids.find((k) => isTag(k, UNIVERSAL, 1)) as asn1js.Boolean | undefined;
  const attrs = typeAttributes(entry);
  if (attrs === undefined || attrs.length === 0) throw invalid('certificate directory');
  const value = attrs[0]!;
  // ObjectValue: indirect ReferencedValue (a Path); a Path may also come wrapped once more.
  const location = parsePath(isSeq(kids(value)[0]) ? kids(value)[0]! : value);
  if (location === undefined) throw invalid('certificate directory');
  let subject: string | undefined;
  let issuer: string | undefined;
  let serialNumber: string | undefined;
  for (const a of attrs.slice(1)) {
    if (isSeq(a)) subject = nameOf(a);
    else if (isTag(a, CONTEXT, 0)) {
      const inner = kids(a)[0];
      issuer = inner && isSeq(inner) ? nameOf(inner) : nameOf(new asn1js.Sequence({ value: kids(a) }));
    } else if (isTag(a, UNIVERSAL, 2)) serialNumber = serialFromIntegerBytes(bytesOf(a));
  }
  return {
    label: commonLabel(entry),
    id,
    authority: auth?.getValue() ?? false,
    location,
    serialNumber,
    subject,
    issuer,
    offset,
    der: der.slice(),
  };
}

export function parseCdf(bytes: Uint8Array): CdfEntry[] {
  return splitRecords(bytes).map((r) => parseCdfEntry(r.der, r.offset));
}

export function parsePukdf(bytes: Uint8Array): PublicKeyEntry[] {
  return splitRecords(bytes).map((r) => {
    const entry = decodeRecord(r.der, 'public key directory');
    const [, commonKey] = kids(entry);
    if (!isSeq(commonKey)) throw invalid('public key directory');
    const keyKids = kids(commonKey!);
    const id = keyKids[0] && isTag(keyKids[0], UNIVERSAL, 4) ? bytesOf(keyKids[0]) : new Uint8Array();
    const ref = keyKids.find((k) => isTag(k, UNIVERSAL, 2));
    const attrs = typeAttributes(entry);
    const value = attrs?.[0];
    const location = value && parsePath(isSeq(kids(value)[0]) ? kids(value)[0]! : value);
    if (location === undefined) throw invalid('public key directory');
    const modulus = attrs?.find((a) => isTag(a, UNIVERSAL, 2));
    return {
      label: commonLabel(entry),
      id,
      keyReference: ref ? intOf(ref) : undefined,
      location,
      modulusLength: modulus ? intOf(modulus) : undefined,
    };
  });
}

export function idText(id: Uint8Array): string {
  return Buffer.from(id).toString('latin1');
}

/**
 * The CDF encoder, beside its parser: the CDF file with one entry's serialNumber and Path length replaced (asn1js re-encodes the entry), the
 * records after it moved, padding zeroed and the used-length trailer updated.
 */
export function rewriteCdf(file: Uint8Array, entry: CdfEntry, serial: Uint8Array, length: number): Uint8Array {
  const records = splitRecords(file);
  const oldUsed = records.reduce((n, r) => Math.max(n, r.offset + r.der.length), 0);
  const parts = records.map((r) => (r.offset === entry.offset ? reencodeEntry(r.der, serial, length) : r.der));
  const used = parts.reduce((n, p) => n + p.length, 0);
  if (used > file.length - 2) throw new MoicaError('rewrite-failed', 'The new certificate directory does not fit its file.');
  const out = file.slice();
  out.fill(0, 0, Math.max(oldUsed, used));
  let p = 0;
  for (const part of parts) {
    out.set(part, p);
    p += part.length;
  }
  out[file.length - 2] = used & 0xff;
  out[file.length - 1] = used >> 8;
  return out;
}

function reencodeEntry(der: Uint8Array, serial: Uint8Array, length: number): Uint8Array {
  const { result } = asn1js.fromBER(der);
  const a1 = (result as asn1js.Sequence).valueBlock.value.find((k) => k.idBlock.tagClass === 3 && k.idBlock.tagNumber === 1) as asn1js.Constructed | undefined;
  if (a1 === undefined) throw new MoicaError('card-answer-invalid', 'A CDF entry has no typeAttributes.');
  const inner = a1.valueBlock.value;
  const explicit = inner.length === 1 && inner[0] instanceof asn1js.Sequence && inner[0].valueBlock.value[0] instanceof asn1js.Sequence;
  const attrs = explicit ? (inner[0] as asn1js.Sequence).valueBlock.value : inner;
  const path = attrs[0] as asn1js.Sequence;
  const pathKids = path.valueBlock.value;
  const lengthAt = pathKids.findIndex((k) => k.idBlock.tagClass === 3 && k.idBlock.tagNumber === 0);
  const lengthBlock = new asn1js.Primitive({ idBlock: { tagClass: 3, tagNumber: 0 }, valueHex: new asn1js.Integer({ value: length }).valueBlock.valueHexView });
  if (lengthAt >= 0) pathKids[lengthAt] = lengthBlock;
  else pathKids.push(lengthBlock);
  const serialAt = attrs.findIndex((k) => k instanceof asn1js.Integer);
  const serialBlock = new asn1js.Integer({ valueHex: serial });
  if (serialAt >= 0) attrs[serialAt] = serialBlock;
  else attrs.push(serialBlock);
  return new Uint8Array(result.toBER(false));
}
