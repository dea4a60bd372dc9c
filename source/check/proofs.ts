/**
 * Before a PIN is asked or a byte written, each certificate the registry serves must prove it belongs on
 * this card: its serial is the registry's, it was issued by the card's issuing CA (same name, and a
 * signature that verifies with the CA certificate read from the card), and its key is the card's key.
 * After the PIN, the card proves it holds the private key (a signature the new certificate verifies).
 */
import 'reflect-metadata';
import { webcrypto } from 'node:crypto';
import * as x509 from '@peculiar/x509';
import * as pkijs from 'pkijs';
import { MoicaError } from '../errors.js';
import { serialsEqual } from '../domain/serial.js';

x509.cryptoProvider.set(webcrypto as unknown as Crypto);

export type ProofFailure = 'not-a-certificate' | 'serial' | 'issuer-name' | 'issuer-signature' | 'issuer-unknown' | 'key' | 'key-proof';

export interface CertificateToProve {
  slot: 0 | 1;
  der: Uint8Array;
  /** The registry's serial for the slot. */
  serialNumber: string;
  /** The card's key for the slot (SubjectPublicKeyInfo DER, from writer.publicKey). */
  cardPublicKey: Uint8Array;
  /** CA certificates read from the card (DER). */
  caCertificates: Uint8Array[];
  /** The certificate the card holds now, used for the issuer name when the card carries no issuing CA. */
  currentCertificate: () => Promise<Uint8Array | null>;
}

function refuse(slot: 0 | 1, reason: ProofFailure, message: string): MoicaError {
  return new MoicaError('rewrite-refused', `Certificate ${slot} from the registry was refused: ${message}. Nothing was written.`, { slot, reason });
}

function parse(der: Uint8Array): x509.X509Certificate | null {
  try {
    return new x509.X509Certificate(Uint8Array.from(der));
  } catch {
    return null;
  }
}

type Bytes = ArrayBuffer | Uint8Array;
const view = (b: Bytes) => (b instanceof Uint8Array ? b : new Uint8Array(b));
const sameBytes = (a: Bytes, b: Bytes) => Buffer.from(view(a)).equals(Buffer.from(view(b)));

export async function proveCertificate(input: CertificateToProve): Promise<x509.X509Certificate> {
  const { slot } = input;
  const cert = parse(input.der);
  if (!cert) throw refuse(slot, 'not-a-certificate', 'it is not an X.509 certificate');
  if (!serialsEqual(cert.serialNumber, input.serialNumber)) {
    throw refuse(slot, 'serial', `its serial number ${cert.serialNumber.toUpperCase()} is not the registry's ${input.serialNumber}`);
  }
  await proveIssuer(cert, input);
  if (!sameKey(cert.publicKey.rawData, input.cardPublicKey)) throw refuse(slot, 'key', 'its public key is not the card\'s key');
  return cert;
}

async function proveIssuer(cert: x509.X509Certificate, input: CertificateToProve): Promise<void> {
  const issuerName = cert.issuerName.toArrayBuffer();
  // The card's issuing CA: a CA certificate on the card that is not self-signed (the other is the root).
  const issuing = input.caCertificates.map(parse).filter((ca): ca is x509.X509Certificate =>
    ca !== null && !sameBytes(ca.subjectName.toArrayBuffer(), ca.issuerName.toArrayBuffer()));
  if (issuing.length > 0) {
    // MOICA's CAs share one name (registry-api.md): the name narrows, the signature decides.
    const named = issuing.filter((ca) => sameBytes(ca.subjectName.toArrayBuffer(), issuerName));
    if (named.length === 0) throw refuse(input.slot, 'issuer-name', `it was issued by ${cert.issuer}, not by the card's CA`);
    for (const ca of named) {
      if (await cert.verify({ publicKey: ca.publicKey, signatureOnly: true })) return;
    }
    throw refuse(input.slot, 'issuer-signature', 'its signature does not verify with the card\'s CA certificate');
  }
  const current = parse((await input.currentCertificate().catch(() => null)) ?? new Uint8Array());
  if (!current) throw refuse(input.slot, 'issuer-unknown', 'the card carries no CA certificate and no readable certificate to compare the issuer with');
  if (!sameBytes(current.issuerName.toArrayBuffer(), issuerName)) {
    throw refuse(input.slot, 'issuer-name', `it was issued by ${cert.issuer}, not by ${current.issuer}`);
  }
}

/** Same key: the bytes, or else the same algorithm and key bits (encoders differ on NULL parameters). */
function sameKey(a: Bytes, b: Bytes): boolean {
  if (sameBytes(a, b)) return true;
  try {
    const [x, y] = [pkijs.PublicKeyInfo.fromBER(Uint8Array.from(view(a))), pkijs.PublicKeyInfo.fromBER(Uint8Array.from(view(b)))];
    return x.algorithm.algorithmId === y.algorithm.algorithmId &&
      sameBytes(x.subjectPublicKey.valueBlock.valueHexView, y.subjectPublicKey.valueBlock.valueHexView);
  } catch {
    return false;
  }
}

/** The card's signature over `message` verifies with the new certificate's key: the card holds that key. */
export async function proveKeyHeld(slot: 0 | 1, cert: x509.X509Certificate, message: Uint8Array, signature: Uint8Array): Promise<void> {
  let ok = false;
  try {
    const key = await webcrypto.subtle.importKey('spki', cert.publicKey.rawData, { name: 'RSASSA-PKCS1-v1_5', hash: 'SHA-256' }, false, ['verify']);
    ok = await webcrypto.subtle.verify('RSASSA-PKCS1-v1_5', key, signature, message);
  } catch {
    ok = false;
  }
  if (!ok) throw refuse(slot, 'key-proof', 'the card\'s signature does not verify with the new certificate\'s key');
}
