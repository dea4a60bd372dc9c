/**
 * Does a certificate carry the key the card holds? A certificate for another key, written to the card,
 * would leave the holder with a certificate nothing on the card can use: the writer refuses it.
 */
import { createPublicKey } from 'node:crypto';
import { parseCertificate } from './certificate.js';

export function certificateMatchesKey(certDer: Uint8Array, spkiDer: Uint8Array): boolean {
  const certKey = Buffer.from(parseCertificate(certDer, 'the new certificate').publicKey.rawData);
  try {
    // KeyObject.equals compares the keys, not their encodings (a NULL parameter or not, etc.).
    return createPublicKey({ key: certKey, format: 'der', type: 'spki' })
      .equals(createPublicKey({ key: Buffer.from(spkiDer), format: 'der', type: 'spki' }));
  } catch {
    return false;
  }
}
