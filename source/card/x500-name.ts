/**
 * An X.500 Name (DER) as the one line of text the app shows and prints ("C=TW, CN=王小明, 2.5.4.5=…").
 *
 * The text is exactly what @peculiar/x509's `new Name(der).toString()` gives (test/card/x500-name.test.ts
 * compares the two over every name the tests' PKI makes and a generated corpus of every string type,
 * escape, multi-valued RDN and malformed shape): the same short names, the same escaping, `#hex` for a
 * value that is no string type. The DER is decoded by asn1js, the library @peculiar/asn1-schema decodes
 * with, so each value's text is the one that library gives. Written here because the card read needs
 * nothing else of @peculiar/x509, and loading it (its ASN.1 schema classes, tsyringe, reflect-metadata)
 * cost ≈ 45 ms of every start that reads a card (issue 15): the card code loads only asn1js.
 */
import * as asn1js from 'asn1js';

/** @peculiar/x509's short names (its NameIdentifier table); any other type is written as its OID. */
const SHORT_NAMES: Readonly<Record<string, string>> = {
  '2.5.4.3': 'CN',
  '2.5.4.7': 'L',
  '2.5.4.8': 'ST',
  '2.5.4.10': 'O',
  '2.5.4.11': 'OU',
  '2.5.4.6': 'C',
  '0.9.2342.19200300.100.1.25': 'DC',
  '1.2.840.113549.1.9.1': 'E',
  '2.5.4.42': 'G',
  '2.5.4.43': 'I',
  '2.5.4.4': 'SN',
  '2.5.4.12': 'T',
};

/** The string types a Name's AttributeValue CHOICE holds as text (DirectoryString and IA5String). */
const STRING_TYPES = [asn1js.BmpString, asn1js.PrintableString, asn1js.TeletexString, asn1js.UniversalString, asn1js.Utf8String, asn1js.IA5String] as const;

/** @peculiar/x509's escaping, as it is (only the first CR, LF or TAB is hex-escaped). */
function escape(text: string): string {
  return text
    .replace(/([,+"\\<>;])/g, '\\$1')
    .replace(/^([ #])/, '\\$1')
    .replace(/([ ]$)/, '\\$1')
    .replace(/([\r\n\t])/, (_m, c: string) => `\\${Buffer.from(c, 'utf8').toString('hex').toUpperCase()}`);
}

class MalformedName extends Error {}

function valueText(value: asn1js.AsnType): string {
  for (const type of STRING_TYPES) if (value instanceof type) return escape(value.valueBlock.value);
  // NULL: no value at all; any other type: the value's own encoding, in hex.
  if (value instanceof asn1js.Null) return '';
  return `#${Buffer.from(value.valueBeforeDecodeView).toString('hex')}`;
}

function attributeText(atv: asn1js.AsnType): string {
  if (!(atv instanceof asn1js.Sequence) || atv.valueBlock.value.length !== 2) throw new MalformedName();
  const [type, value] = atv.valueBlock.value as [asn1js.AsnType, asn1js.AsnType];
  if (!(type instanceof asn1js.ObjectIdentifier)) throw new MalformedName();
  const oid = type.valueBlock.toString();
  return `${SHORT_NAMES[oid] ?? oid}=${valueText(value)}`;
}

/** The Name's text; throws on anything that is not a DER Name (a SEQUENCE OF SET OF {OID, value}). */
export function x500NameText(der: Uint8Array): string {
  const decoded = asn1js.fromBER(der);
  if (decoded.offset === -1 || decoded.result.error !== '') throw new MalformedName();
  return nameText(decoded.result);
}

/**
 * The same text of a Name asn1js has already decoded (a PKCS#15 record's subject or issuer: the record's
 * own decoding, not a second one of its bytes); throws as x500NameText does.
 */
export function nameText(name: asn1js.AsnType): string {
  if (!(name instanceof asn1js.Sequence) || name.error !== '') throw new MalformedName();
  return name.valueBlock.value
    .map((rdn) => {
      if (!(rdn instanceof asn1js.Set)) throw new MalformedName();
      return rdn.valueBlock.value.map(attributeText).join('+');
    })
    .join(', ');
}
