/**
 * PKCS#1 v1.5 signatures over SHA-256 (RFC 8017 §9.2): the DigestInfo prefix once, for both writers (the
 * virtual card's raw RSA operation takes the whole block; a PKCS#11 CKM_RSA_PKCS mechanism takes the
 * DigestInfo and pads itself).
 */
import { createHash } from 'node:crypto';

/** DER of DigestInfo { sha256, NULL } without the digest: 30 31 30 0d 06 09 60 86 48 01 65 03 04 02 01 05 00 04 20. */
export const SHA256_DIGEST_INFO = Uint8Array.from([0x30, 0x31, 0x30, 0x0d, 0x06, 0x09, 0x60, 0x86, 0x48, 0x01, 0x65, 0x03, 0x04, 0x02, 0x01, 0x05, 0x00, 0x04, 0x20]);
/** The card's RSA-2048 block. */
export const RSA_BLOCK = 256;

/** PKCS#1 v1.5 signature block (00 01 FF…FF 00 DigestInfo) over SHA-256(message). */
export function pkcs1Block(message: Uint8Array): Uint8Array {
  const digest = createHash('sha256').update(message).digest();
  const block = new Uint8Array(RSA_BLOCK).fill(0xff);
  block[0] = 0x00;
  block[1] = 0x01;
  const t = SHA256_DIGEST_INFO.length + digest.length;
  block[RSA_BLOCK - t - 1] = 0x00;
  block.set(SHA256_DIGEST_INFO, RSA_BLOCK - t);
  block.set(digest, RSA_BLOCK - digest.length);
  return block;
}
