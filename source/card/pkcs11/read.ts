/**
 * A token read as a card: the card number from the token, the holder certificates from the certificate
 * objects with CKA_ID SIGN and KEYX, the CA certificates from the others. Reading never changes the token.
 */
import { MoicaError } from '../../errors.js';
import type { CaCertificate, CardInfo, HolderCertificate } from '../types.js';
import { isAuthority } from './certificate.js';
import { pkcs11Failure } from './failure.js';
import type { Handle, Pkcs11Module } from './module.js';
import { certificateObjects, currentAndStale, keyIdBytes, type CertificateObject } from './objects.js';
import { HOLDERS, SLOT_KEY_ID } from '../layout.js';
import { tokenCardNumber, type TokenSummary } from './token.js';

/** PKCS#11 does not tell a gen1 card from a gen2 one; 1 stands for "unknown" here (see README in this folder). */
const GENERATION_UNKNOWN = 1;
const CKA_CERTIFICATE_CATEGORY_AUTHORITY = 2;

export function readToken(m: Pkcs11Module, token: TokenSummary): CardInfo {
  const number = tokenCardNumber(token);
  let session: Handle;
  try {
    session = m.api.C_OpenSession(token.slot, m.lib.CKF_SERIAL_SESSION);
  } catch (e) {
    throw pkcs11Failure(m.lib, e, 'open session');
  }
  try {
    return cardFromObjects(token, number, certificateObjects(m, session));
  } finally {
    try { m.api.C_CloseSession(session); } catch { /* the read is done; a failed close changes nothing */ }
  }
}

export function cardFromObjects(token: TokenSummary, number: string, objects: CertificateObject[]): CardInfo {
  const certificates: HolderCertificate[] = [];
  for (const slot of [0, 1] as const) {
    const id = keyIdBytes(slot);
    const { current } = currentAndStale(objects.filter((o) => o.id.equals(id)));
    if (!current) continue;
    certificates.push({
      slot, usage: HOLDERS[slot]!.usage, keyId: SLOT_KEY_ID[slot],
      serialNumber: current.serialNumber, subject: current.cert.subject, issuer: current.cert.issuer,
      notBefore: current.cert.notBefore, notAfter: current.cert.notAfter,
      // Each certificate object is written whole (C_CreateObject is atomic), so what is reported is whole.
      consistent: true,
    });
  }
  if (certificates.length === 0) {
    throw new MoicaError('not-moica', `PKCS#11 token "${token.label}" holds no certificate with key id SIGN or KEYX.`);
  }
  const holderIds = [keyIdBytes(0), keyIdBytes(1)];
  const caCertificates: CaCertificate[] = objects
    .filter((o) => !holderIds.some((id) => id.equals(o.id)))
    .filter((o) => o.category === CKA_CERTIFICATE_CATEGORY_AUTHORITY || isAuthority(o.cert))
    .map((o) => ({ subject: o.cert.subject, serialNumber: o.serialNumber, der: o.der }));
  return {
    reader: `PKCS#11: ${token.label}`, atr: '', generation: GENERATION_UNKNOWN, virtual: false, number,
    certificates, caCertificates, consistent: true,
  };
}
