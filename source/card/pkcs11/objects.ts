/**
 * The token's objects the card is made of: certificate objects keyed by CKA_ID (SIGN, KEYX, or a CA
 * certificate's own id), and the key pair objects with the same CKA_ID.
 */
import { createPublicKey } from 'node:crypto';
import type { X509Certificate } from '@peculiar/x509';
import { MoicaError } from '../../errors.js';
import { compareSerials } from '../../domain/serial.js';
import { SLOT_KEY_ID } from '../layout.js';
import { parseCertificate, serialOf } from './certificate.js';
import { ckrCode, pkcs11Failure } from './failure.js';
import type { Handle, Pkcs11Module } from './module.js';

export function keyIdBytes(slot: 0 | 1): Buffer {
  return Buffer.from(SLOT_KEY_ID[slot], 'ascii');
}

export function findObjects(m: Pkcs11Module, session: Handle, template: { type: number; value: number | Buffer }[]): Handle[] {
  try {
    m.api.C_FindObjectsInit(session, template);
    try {
      const found: Handle[] = [];
      for (;;) {
        const batch = m.api.C_FindObjects(session, 32);
        if (batch.length === 0) return found;
        found.push(...batch);
      }
    } finally {
      m.api.C_FindObjectsFinal(session);
    }
  } catch (e) {
    throw pkcs11Failure(m.lib, e, 'object search');
  }
}

/** One attribute's value; undefined where the module does not know or will not tell it. */
export function readAttribute(m: Pkcs11Module, session: Handle, object: Handle, type: number): Buffer | undefined {
  try {
    return m.api.C_GetAttributeValue(session, object, [{ type }])[0]?.value;
  } catch (e) {
    const code = ckrCode(m.lib, e);
    if (code === m.lib.CKR_ATTRIBUTE_TYPE_INVALID || code === m.lib.CKR_ATTRIBUTE_SENSITIVE) return undefined;
    throw pkcs11Failure(m.lib, e, 'attribute read');
  }
}

export interface CertificateObject {
  handle: Handle;
  id: Buffer;
  label: string;
  der: Uint8Array;
  cert: X509Certificate;
  serialNumber: string;
  /** CKA_CERTIFICATE_CATEGORY: 2 is "authority"; undefined where the module has no such attribute. */
  category: number | undefined;
}

export function certificateObjects(m: Pkcs11Module, session: Handle, id?: Buffer): CertificateObject[] {
  const template: { type: number; value: number | Buffer }[] = [{ type: m.lib.CKA_CLASS, value: m.lib.CKO_CERTIFICATE }];
  if (id) template.push({ type: m.lib.CKA_ID, value: id });
  return findObjects(m, session, template).map((handle) => {
    const value = readAttribute(m, session, handle, m.lib.CKA_VALUE);
    const objectId = readAttribute(m, session, handle, m.lib.CKA_ID) ?? Buffer.alloc(0);
    if (!value) throw new MoicaError('card-answer-invalid', `The token's certificate object ${objectId.toString('hex')} has no value.`);
    const cert = parseCertificate(value, `the token's certificate object ${objectId.toString('hex')}`);
    const category = readAttribute(m, session, handle, m.lib.CKA_CERTIFICATE_CATEGORY);
    return {
      handle, id: objectId, label: (readAttribute(m, session, handle, m.lib.CKA_LABEL) ?? Buffer.alloc(0)).toString('utf8'),
      der: new Uint8Array(value), cert, serialNumber: serialOf(cert),
      category: category && category.length > 0 ? category.readUIntLE(0, Math.min(category.length, 6)) : undefined,
    };
  });
}

/**
 * Two certificate objects for one CKA_ID are a write that stopped between "create the new one" and
 * "destroy the old one". The current one is the newest (latest notBefore, then the larger serial): the new
 * certificate a rewrite brings is the one the registry issued last. The rest are stale and get destroyed by
 * the next logged-in session (writer.ts).
 */
export function currentAndStale(objects: CertificateObject[]): { current: CertificateObject | undefined; stale: CertificateObject[] } {
  const sorted = [...objects].sort((a, b) => b.cert.notBefore.getTime() - a.cert.notBefore.getTime()
    || compareSerials(b.serialNumber, a.serialNumber));
  return { current: sorted[0], stale: sorted.slice(1) };
}

/** SPKI DER of the RSA public key object with this CKA_ID, or undefined when the token has none. */
export function publicKeyInfo(m: Pkcs11Module, session: Handle, id: Buffer): Uint8Array | undefined {
  const [handle] = findObjects(m, session, [{ type: m.lib.CKA_CLASS, value: m.lib.CKO_PUBLIC_KEY }, { type: m.lib.CKA_ID, value: id }]);
  if (!handle) return undefined;
  const modulus = readAttribute(m, session, handle, m.lib.CKA_MODULUS);
  const exponent = readAttribute(m, session, handle, m.lib.CKA_PUBLIC_EXPONENT);
  if (!modulus || !exponent) return undefined;
  try {
    const jwk = { kty: 'RSA', n: unsigned(modulus).toString('base64url'), e: unsigned(exponent).toString('base64url') };
    return new Uint8Array(createPublicKey({ key: jwk, format: 'jwk' }).export({ type: 'spki', format: 'der' }));
  } catch (e) {
    throw new MoicaError('card-answer-invalid', `The token's public key ${id.toString('ascii')} is not a valid RSA key.`, {}, { cause: e });
  }
}

/** Some modules return big integers with a leading 00 byte; JWK wants none. */
function unsigned(b: Buffer): Buffer {
  let i = 0;
  while (i < b.length - 1 && b[i] === 0) i++;
  return b.subarray(i);
}
