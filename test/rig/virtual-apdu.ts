/** Helpers for the virtual card tests: APDUs from hex, answers split into data and SW, CDF parsing. */
import * as asn1js from 'asn1js';
import type { VirtualCard } from '../../source/virtual/card.js';

export interface Answer {
  data: Buffer;
  sw: number;
  swHex: string;
}

export function send(card: VirtualCard, hex: string): Answer {
  const bytes = Buffer.from(card.handle(Buffer.from(hex.replace(/\s+/g, ''), 'hex')));
  if (bytes.length < 2) throw new Error(`no answer to ${hex}`);
  const sw = bytes.readUInt16BE(bytes.length - 2);
  return { data: bytes.subarray(0, bytes.length - 2), sw, swHex: sw.toString(16).toUpperCase().padStart(4, '0') };
}

export const hex = (n: number, width = 2): string => n.toString(16).toUpperCase().padStart(width, '0');

/** SELECT a path of FIDs from the root with the card's own class byte. */
export function selectPath(card: VirtualCard, ...fids: string[]): void {
  for (const fid of fids) {
    const answer = card.generation === 1 ? send(card, `80A4000002${fid}`) : send(card, `00A4000402${fid}00`);
    if (answer.sw !== 0x9000) throw new Error(`SELECT ${fid} → ${answer.swHex}`);
  }
}

/** READ BINARY of a whole range in C8-byte chunks. */
export function readRange(card: VirtualCard, offset: number, length: number): Buffer {
  const cla = card.generation === 1 ? '80' : '00';
  const parts: Buffer[] = [];
  for (let done = 0; done < length;) {
    const n = Math.min(0xc8, length - done);
    const answer = send(card, `${cla}B0${hex(offset + done, 4)}${hex(n)}`);
    if (answer.sw !== 0x9000) throw new Error(`READ BINARY at ${offset + done} → ${answer.swHex}`);
    parts.push(answer.data);
    done += n;
  }
  return Buffer.concat(parts);
}

/** A directory EF's used bytes: the length is in its last two bytes, little-endian. */
export function readDirectory(card: VirtualCard, fid: string, size: number): Buffer {
  selectPath(card, '3F00', '5030', fid);
  const trailer = readRange(card, size - 2, 2);
  return readRange(card, 0, trailer.readUInt16LE(0));
}

export function parseEntries(bytes: Uint8Array): asn1js.Sequence[] {
  const entries: asn1js.Sequence[] = [];
  let offset = 0;
  while (offset < bytes.length) {
    const parsed = asn1js.fromBER(bytes.subarray(offset));
    if (parsed.offset === -1 || !(parsed.result instanceof asn1js.Sequence)) throw new Error('bad directory entry');
    entries.push(parsed.result);
    offset += parsed.offset;
  }
  return entries;
}

export function children(block: asn1js.AsnType): asn1js.AsnType[] {
  return (block as asn1js.Constructed).valueBlock.value;
}

export function octets(block: asn1js.AsnType | undefined): Buffer {
  return Buffer.from((block as asn1js.OctetString).valueBlock.valueHexView);
}

export function der(block: asn1js.AsnType | undefined): Buffer {
  return Buffer.from((block as asn1js.BaseBlock).valueBeforeDecodeView);
}

/** The attribute fields inside [1] typeAttributes, whether tagged explicitly or implicitly. */
export function typeAttributeFields(entry: asn1js.Sequence): { explicit: boolean; fields: asn1js.AsnType[] } {
  const tagged = children(entry)[2];
  if (!tagged || tagged.idBlock.tagClass !== 3 || tagged.idBlock.tagNumber !== 1) throw new Error('no [1]');
  const inner = children(tagged);
  const first = inner[0];
  // explicit: [1] { SEQUENCE { Path, … } }; implicit: [1] { Path, … } where Path starts with an OCTET STRING
  const explicit = inner.length === 1 && first instanceof asn1js.Sequence && children(first)[0] instanceof asn1js.Sequence;
  return { explicit, fields: explicit ? children(first as asn1js.Sequence) : inner };
}
