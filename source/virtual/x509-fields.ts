/** The raw TBSCertificate fields the CDF repeats: serial number, issuer and subject as their exact DER. */
import * as asn1js from 'asn1js';
import { MoicaError } from '../errors.js';

export interface CertificateFields {
  serialNumber: string;
  issuer: Uint8Array;
  subject: Uint8Array;
}

export function certificateFields(der: Uint8Array): CertificateFields {
  const parsed = asn1js.fromBER(der);
  const certificate = parsed.result;
  const tbs = certificate instanceof asn1js.Sequence ? certificate.valueBlock.value[0] : undefined;
  if (parsed.offset === -1 || !(tbs instanceof asn1js.Sequence)) {
    throw new MoicaError('card-answer-invalid', 'not an X.509 certificate');
  }
  const fields = tbs.valueBlock.value;
  const skip = fields[0]?.idBlock.tagClass === 3 ? 1 : 0; // [0] version
  const serial = fields[skip];
  const issuer = fields[skip + 2];
  const subject = fields[skip + 4];
  if (!(serial instanceof asn1js.Integer) || !issuer || !subject) {
    throw new MoicaError('card-answer-invalid', 'certificate without serial, issuer or subject');
  }
  const serialHex = Buffer.from(serial.valueBlock.valueHexView).toString('hex').toUpperCase().replace(/^0+(?=.)/, '');
  return {
    serialNumber: serialHex,
    issuer: new Uint8Array(issuer.valueBeforeDecodeView),
    subject: new Uint8Array(subject.valueBeforeDecodeView),
  };
}
