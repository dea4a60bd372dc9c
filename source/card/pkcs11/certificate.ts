/** Certificate DER as the rest of the project sees it: serials upper-case hex without leading zeros. */
// @peculiar/x509 2 needs a Reflect polyfill loaded before it.
import 'reflect-metadata';
import { X509Certificate } from '@peculiar/x509';
import * as asn1js from 'asn1js';
import { MoicaError } from '../../errors.js';
import { serialFromDigits } from '../../domain/serial.js';

export function parseCertificate(der: Uint8Array, where: string): X509Certificate {
  try {
    return new X509Certificate(Uint8Array.from(der));
  } catch (e) {
    throw new MoicaError('card-answer-invalid', `The certificate in ${where} is not valid DER X.509.`, {}, { cause: e });
  }
}

/** Upper-case hex without leading zeros ("0" for zero), as registry-api.md writes serial numbers. */
export function serialOf(cert: X509Certificate): string {
  return serialFromDigits(cert.serialNumber);
}

export function isAuthority(cert: X509Certificate): boolean {
  if (cert.subject === cert.issuer) return true;
  const bc = cert.getExtension('2.5.29.19') as { ca?: boolean } | null;
  return bc?.ca === true;
}

/**
 * The DER of the serial, issuer and subject exactly as the certificate holds them, for the object's
 * CKA_SERIAL_NUMBER / CKA_ISSUER / CKA_SUBJECT (re-encoding a Name could change its string types).
 */
export function rawTbsFields(der: Uint8Array): { serialNumber: Buffer; issuer: Buffer; subject: Buffer } {
  const parsed = asn1js.fromBER(der);
  const tbs = parsed.offset === -1 ? undefined : (parsed.result as asn1js.Sequence).valueBlock.value?.[0];
  const parts = tbs instanceof asn1js.Sequence ? tbs.valueBlock.value : [];
  // [0] EXPLICIT version is optional (absent in v1 certificates).
  const at = parts[0]?.idBlock.tagClass === 3 ? 1 : 0;
  const [serial, , issuer, , subject] = parts.slice(at);
  if (!serial || !issuer || !subject) throw new MoicaError('card-answer-invalid', 'The certificate\'s TBSCertificate is malformed.');
  const raw = (b: asn1js.AsnType) => Buffer.from(b.valueBeforeDecodeView);
  return { serialNumber: raw(serial), issuer: raw(issuer), subject: raw(subject) };
}
