/**
 * Public keys as gen1 cards keep them (moica-card.md §3): READ RECORD answers the record number, then 128
 * bytes. Record ref: the exponent in bytes 1-4; ref+1: zeros; ref+2 and ref+3: the modulus as 32-bit words
 * in reverse order. Turned into a SubjectPublicKeyInfo DER so the rest of the tool can compare keys.
 */
import * as asn1js from 'asn1js';
import { MoicaError } from '../errors.js';
import { concat } from './apdu.js';

export const KEY_RECORD_LENGTH = 0x81;
const RSA_ENCRYPTION = '1.2.840.113549.1.1.1';

const invalid = (why: string) => new MoicaError('card-answer-invalid', `A public key record on the card is not valid: ${why}.`);

function body(record: Uint8Array, expected: number): Uint8Array {
  if (record.length !== KEY_RECORD_LENGTH) throw invalid(`${record.length} bytes instead of ${KEY_RECORD_LENGTH}`);
  if (record[0] !== expected) throw invalid(`record ${record[0]} where ${expected} was asked`);
  return record.subarray(1);
}

/** Reverses the order of the 4-byte groups. */
export function reverseWords(bytes: Uint8Array): Uint8Array {
  if (bytes.length % 4 !== 0) throw invalid('modulus length not a multiple of 4');
  const out = new Uint8Array(bytes.length);
  for (let i = 0; i < bytes.length; i += 4) out.set(bytes.subarray(i, i + 4), bytes.length - 4 - i);
  return out;
}

function unsigned(bytes: Uint8Array): bigint {
  const hex = Buffer.from(bytes).toString('hex');
  return hex === '' ? 0n : BigInt(`0x${hex}`);
}

/** `records`: the answers to READ RECORD ref, ref+2, ref+3 (ref+1 holds zeros and is not needed). */
export function spkiFromKeyRecords(ref: number, exponentRecord: Uint8Array, modulusLow: Uint8Array, modulusHigh: Uint8Array): Uint8Array {
  const exponent = unsigned(body(exponentRecord, ref).subarray(0, 4));
  const modulus = unsigned(reverseWords(concat([body(modulusLow, ref + 2), body(modulusHigh, ref + 3)])));
  if (exponent < 3n || modulus === 0n) throw invalid('empty key');
  return spkiDer(modulus, exponent);
}

export function spkiDer(modulus: bigint, exponent: bigint): Uint8Array {
  const rsaPublicKey = new asn1js.Sequence({
    value: [asn1js.Integer.fromBigInt(modulus), asn1js.Integer.fromBigInt(exponent)],
  });
  const spki = new asn1js.Sequence({
    value: [
      new asn1js.Sequence({ value: [new asn1js.ObjectIdentifier({ value: RSA_ENCRYPTION }), new asn1js.Null()] }),
      new asn1js.BitString({ valueHex: rsaPublicKey.toBER(false) }),
    ],
  });
  return new Uint8Array(spki.toBER(false));
}
