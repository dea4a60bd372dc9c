/**
 * The virtual card's PKCS#15 directory entries (CDF in EF 4104, PuKDF in EF 4101), encoded with asn1js
 * the way Taiwanese cards lay them out. The layout is documented in card.ts.
 */
import * as asn1js from 'asn1js';
import { MoicaError } from '../errors.js';
import { serialToIntegerOctets } from './serial.js';

/** Real Taiwanese cards wrap typeAttributes [1] around a SEQUENCE (explicit); PKCS#15 says implicit. */
export type Tagging = 'explicit' | 'implicit';

/** A CDF entry as the emulator encodes it (its own shape on purpose; the driver parses into card/pkcs15.ts CdfEntry). */
export interface VirtualCdfEntry {
  label: string;
  /** iD: 'SIGN' / 'KEYX' for the holder's certificates, anything else for CA certificates. */
  id: Uint8Array;
  authority: boolean;
  /** File path, e.g. 3F00 5030 08F2 (gen1) or 7FFF 5030 08F2 (gen2). */
  path: Uint8Array;
  /** Offset of the certificate in the file, and its length. */
  index: number;
  length: number;
  /** DER of the certificate's subject and issuer Names. */
  subject: Uint8Array;
  issuer: Uint8Array;
  serialNumber: string;
}

export interface PukdfEntry {
  label: string;
  id: Uint8Array;
  /** Path of the key record EF (0810 / 0811). */
  path: Uint8Array;
  keyReference: number;
  modulusBits: number;
}

function ber(bytes: Uint8Array): asn1js.AsnType {
  const parsed = asn1js.fromBER(bytes);
  if (parsed.offset === -1) throw new Error(`invalid DER: ${parsed.result.error}`);
  return parsed.result;
}

function integer(value: number): asn1js.Integer {
  return new asn1js.Integer({ value });
}

/** [1] typeAttributes around the attribute fields, either as [1] { SEQUENCE { … } } or [1] { … }. */
function typeAttributes(fields: asn1js.AsnType[], tagging: Tagging): asn1js.Constructed {
  const value = tagging === 'explicit' ? [new asn1js.Sequence({ value: fields })] : fields;
  return new asn1js.Constructed({ idBlock: { tagClass: 3, tagNumber: 1 }, value });
}

function pathValue(path: Uint8Array, index?: number, length?: number): asn1js.Sequence {
  const value: asn1js.AsnType[] = [new asn1js.OctetString({ valueHex: path })];
  if (index !== undefined) value.push(integer(index));
  if (length !== undefined) {
    // length [0] INTEGER, implicitly tagged: 80 <len> <integer octets>
    const octets = new asn1js.Integer({ value: length }).valueBlock.valueHexView;
    value.push(new asn1js.Primitive({ idBlock: { tagClass: 3, tagNumber: 0 }, valueHex: octets }));
  }
  return new asn1js.Sequence({ value });
}

export function encodeCdfEntry(entry: VirtualCdfEntry, tagging: Tagging): Uint8Array {
  const classAttributes: asn1js.AsnType[] = [new asn1js.OctetString({ valueHex: entry.id })];
  if (entry.authority) classAttributes.push(new asn1js.Boolean({ value: true }));
  const object = new asn1js.Sequence({
    value: [
      new asn1js.Sequence({ value: [new asn1js.Utf8String({ value: entry.label })] }),
      new asn1js.Sequence({ value: classAttributes }),
      typeAttributes([
        pathValue(entry.path, entry.index, entry.length),
        ber(entry.subject),
        // issuer [0] Name: a tagged CHOICE, so the tag wraps the Name (explicit)
        new asn1js.Constructed({ idBlock: { tagClass: 3, tagNumber: 0 }, value: [ber(entry.issuer)] }),
        new asn1js.Integer({ valueHex: serialToIntegerOctets(entry.serialNumber) }),
      ], tagging),
    ],
  });
  return new Uint8Array(object.toBER());
}

export function encodePukdfEntry(entry: PukdfEntry, tagging: Tagging): Uint8Array {
  // usage: verify (bit 6) for SIGN, encrypt + wrap (bits 0 and 4) for KEYX
  const isSign = new TextDecoder().decode(entry.id) === 'SIGN';
  const usage = isSign ? Uint8Array.of(0x01, 0x02) : Uint8Array.of(0x03, 0x88);
  const object = new asn1js.Sequence({
    value: [
      new asn1js.Sequence({ value: [new asn1js.Utf8String({ value: entry.label })] }),
      new asn1js.Sequence({
        value: [
          new asn1js.OctetString({ valueHex: entry.id }),
          new asn1js.BitString({ valueHex: usage.subarray(1), unusedBits: usage[0] ?? 0 }),
          new asn1js.Boolean({ value: true }), // native
          integer(entry.keyReference),
        ],
      }),
      typeAttributes([pathValue(entry.path), integer(entry.modulusBits)], tagging),
    ],
  });
  return new Uint8Array(object.toBER());
}

/**
 * A directory EF: the entries, zero padding, and the used length in the last two bytes, little-endian.
 */
export function directoryFile(entries: Uint8Array[], size: number): Uint8Array {
  const used = entries.reduce((sum, e) => sum + e.length, 0);
  if (used > size - 2) throw new MoicaError('usage', `directory entries (${used} bytes) do not fit an EF of ${size}`);
  const file = new Uint8Array(size);
  let offset = 0;
  for (const entry of entries) {
    file.set(entry, offset);
    offset += entry.length;
  }
  file[size - 2] = used & 0xff;
  file[size - 1] = used >> 8;
  return file;
}
