/**
 * The start of a holder certificate, read only as far as the tool needs: TBSCertificate up to `validity`
 * (moica-card.md §1: ~250 bytes instead of ~1.5 KB). asn1js cannot take a truncated DER, so the headers are
 * walked with tlv.ts and each complete field is then decoded with asn1js (names by card/x500-name.ts).
 */
import * as asn1js from 'asn1js';
import { x500NameText } from './x500-name.js';
import { MoicaError } from '../errors.js';
import { serialFromIntegerBytes } from '../domain/serial.js';
import { readHeader, type Tlv } from './tlv.js';

export interface CertificateHeader {
  serialNumber: string;
  issuer: string;
  notBefore: Date;
  notAfter: Date;
  /** Present when the bytes read reach the end of the subject. */
  subject: string | undefined;
  /** Length of the whole certificate, from its outer header. */
  totalLength: number;
}

export type HeaderParse = { done: CertificateHeader } | { needBytes: number };

const MAX_HEADER = 6;
const invalid = () => new MoicaError('card-answer-invalid', 'A certificate on the card is not valid DER.');

/**
 * Parses as much as `bytes` allows. When `validity` is not complete yet, says how many bytes from the start
 * the next step needs (at least; the caller may read more).
 */
export function parseCertificateHeader(bytes: Uint8Array): HeaderParse {
  const parsed = parseAsFarAsPossible(bytes);
  // A header that does not parse although its bytes are all there is broken, not short: asking for
  // "more" bytes the caller already has would have it read the same range forever.
  if ('needBytes' in parsed && parsed.needBytes <= bytes.length) throw invalid();
  return parsed;
}

function parseAsFarAsPossible(bytes: Uint8Array): HeaderParse {
  const outer = readHeader(bytes, 0);
  if (outer === undefined) return { needBytes: MAX_HEADER };
  if (outer.tag !== 0x30) throw invalid();
  const tbs = readHeader(bytes, outer.headerLength);
  if (tbs === undefined) return { needBytes: outer.headerLength + MAX_HEADER };
  if (tbs.tag !== 0x30) throw invalid();
  let p = tbs.start + tbs.headerLength;
  const first = readHeader(bytes, p);
  if (first === undefined) return { needBytes: p + MAX_HEADER };
  if (first.tag === 0xa0) p = first.end; // version: only its end matters
  // serialNumber, signature, issuer, validity: each must be whole.
  const fields: Tlv[] = [];
  for (let i = 0; i < 4; i++) {
    const h = readHeader(bytes, p);
    if (h === undefined) return { needBytes: p + MAX_HEADER };
    if (h.end > bytes.length) return { needBytes: h.end };
    if (h.end > tbs.end) throw invalid();
    fields.push(h);
    p = h.end;
  }
  const [serial, , issuer, validity] = fields as [Tlv, Tlv, Tlv, Tlv];
  if (serial.tag !== 0x02 || issuer.tag !== 0x30 || validity.tag !== 0x30) throw invalid();
  const subject = readHeader(bytes, p);
  const [notBefore, notAfter] = validityDates(bytes.subarray(validity.start, validity.end));
  const subjectComplete = subject !== undefined && subject.tag === 0x30 && subject.end <= bytes.length && subject.end <= tbs.end;
  return {
    done: {
      serialNumber: serialFromIntegerBytes(bytes.subarray(serial.start + serial.headerLength, serial.end)),
      issuer: nameText(bytes.subarray(issuer.start, issuer.end)),
      notBefore,
      notAfter,
      subject: subjectComplete ? nameText(bytes.subarray(subject.start, subject.end)) : undefined,
      totalLength: outer.end,
    },
  };
}

function nameText(der: Uint8Array): string {
  try {
    return x500NameText(der);
  } catch {
    throw invalid();
  }
}

function validityDates(der: Uint8Array): [Date, Date] {
  let decoded: ReturnType<typeof asn1js.fromBER>;
  try {
    decoded = asn1js.fromBER(der);
  } catch {
    // asn1js throws on a malformed UTCTime / GeneralizedTime string instead of reporting it.
    throw invalid();
  }
  const { offset, result } = decoded;
  const times = (result as asn1js.Sequence).valueBlock?.value ?? [];
  if (offset === -1 || times.length !== 2) throw invalid();
  const dates = times.map((t) => {
    if (t instanceof asn1js.UTCTime || t instanceof asn1js.GeneralizedTime) return t.toDate();
    throw invalid();
  });
  if (dates.some((d) => Number.isNaN(d.getTime()))) throw invalid();
  return [dates[0]!, dates[1]!];
}
