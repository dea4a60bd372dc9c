/**
 * A rewrite without a registry (issue 11 item 6): the new certificates come from the holder, as files
 * (`rewrite --certificate FILE`, DER or PEM) or downloaded by serial from the issuer's public download
 * (`rewrite --serial HEX`). They stand in for the registry's record: `suppliedRegistry` answers the step
 * machine's getCard/getCertificate from them, so every proof of check/rewrite.ts stays (issuer signature
 * from the card's CA, key = the card's key, sizes, backup, read-back) and nothing here is trusted before
 * those proofs pass.
 *
 * Slot from the key usage: digitalSignature / nonRepudiation → slot 0 (signature); keyEncipherment /
 * dataEncipherment → slot 1 (encryption). A certificate naming both or neither is refused.
 */
import 'reflect-metadata';
import { webcrypto } from 'node:crypto';
import * as x509 from '@peculiar/x509';
import type { CardInfo } from '../card/types.js';
import { MoicaError } from '../errors.js';
import type { RegistryCard } from '../registry/types.js';
import { normaliseSerial, serialsEqual } from '../domain/serial.js';
import type { RewriteRegistry } from './rewrite.js';

x509.cryptoProvider.set(webcrypto as unknown as Crypto);

/** A MOICA holder certificate is ~1-2 KB; a card area holds at most a few KB. */
export const MAX_CERTIFICATE_FILE_BYTES = 16 * 1024;
export const MAX_SUPPLIED = 2;

export interface SuppliedCertificate {
  slot: 0 | 1;
  der: Uint8Array;
  /** Upper-case hex, no leading zeros. */
  serialNumber: string;
  notBefore: Date;
  notAfter: Date;
  /** Where it came from, for the messages and the JSON: a file path or the download URL. */
  from: string;
}

const invalid = (from: string, why: string) =>
  new MoicaError('certificate-file-invalid', `${from}: ${why}. Nothing was written.`, { file: from });

/** DER, PEM (one CERTIFICATE block), or bare base64 of a DER certificate. */
export function certificateBytes(bytes: Uint8Array, from: string): Uint8Array {
  if (bytes.length === 0) throw invalid(from, 'the file is empty');
  if (bytes.length > MAX_CERTIFICATE_FILE_BYTES) throw invalid(from, `it is larger than ${MAX_CERTIFICATE_FILE_BYTES} bytes, not one certificate`);
  if (bytes[0] === 0x30) return bytes;
  const text = Buffer.from(bytes).toString('latin1');
  const blocks = [...text.matchAll(/-----BEGIN ([A-Z0-9 ]+)-----([\s\S]*?)-----END \1-----/g)];
  if (blocks.length > 0) {
    const certs = blocks.filter((b) => b[1] === 'CERTIFICATE' || b[1] === 'X509 CERTIFICATE');
    if (certs.length !== 1) throw invalid(from, certs.length === 0 ? 'the PEM holds no CERTIFICATE block' : 'the PEM holds more than one certificate (give one file per slot)');
    return new Uint8Array(Buffer.from(certs[0]![2]!.replace(/\s+/g, ''), 'base64'));
  }
  const bare = text.replace(/\s+/g, '');
  if (/^[A-Za-z0-9+/]+=*$/.test(bare)) {
    const der = new Uint8Array(Buffer.from(bare, 'base64'));
    if (der[0] === 0x30) return der;
  }
  throw invalid(from, 'it is not a certificate (neither DER nor PEM)');
}

/** Parses one certificate and takes its slot from the key usage. */
export function suppliedCertificate(bytes: Uint8Array, from: string): SuppliedCertificate {
  const der = certificateBytes(bytes, from);
  let cert: x509.X509Certificate;
  try {
    cert = new x509.X509Certificate(Uint8Array.from(der));
  } catch {
    throw invalid(from, 'it is not an X.509 certificate');
  }
  const ku = cert.getExtension(x509.KeyUsagesExtension);
  if (ku === null) throw invalid(from, 'it has no key usage, so its slot (signature or encryption) is not known');
  const F = x509.KeyUsageFlags;
  const signs = (ku.usages & (F.digitalSignature | F.nonRepudiation)) !== 0;
  const enciphers = (ku.usages & (F.keyEncipherment | F.dataEncipherment)) !== 0;
  if (signs === enciphers) {
    throw invalid(from, signs ? 'its key usage names both signature and encryption, so its slot is not known' : 'its key usage names neither signature nor encryption');
  }
  if ((ku.usages & F.keyCertSign) !== 0) throw invalid(from, 'it is a CA certificate, not a holder certificate');
  return {
    slot: signs ? 0 : 1,
    der,
    serialNumber: normaliseSerial(cert.serialNumber, 'certificate-file-invalid'),
    notBefore: cert.notBefore,
    notAfter: cert.notAfter,
    from,
  };
}

/** At most two, one per slot. */
export function checkSupplied(supplied: SuppliedCertificate[]): SuppliedCertificate[] {
  if (supplied.length === 0) throw new MoicaError('usage', 'No certificate was given.');
  if (supplied.length > MAX_SUPPLIED) {
    throw new MoicaError('usage', `At most ${MAX_SUPPLIED} certificates (one per slot) can be given; ${supplied.length} were.`);
  }
  const [a, b] = supplied;
  if (b !== undefined && a!.slot === b.slot) {
    throw new MoicaError('certificate-file-invalid', `${a!.from} and ${b.from} are both for slot ${a!.slot} (${a!.slot === 0 ? 'signature' : 'encryption'}): give one certificate per slot. Nothing was written.`, { slot: a!.slot });
  }
  return [...supplied].sort((x, y) => x.slot - y.slot);
}

/** Every supplied certificate is what the card already holds in its slot: nothing to rewrite. */
export function alreadyOnCard(card: CardInfo, supplied: SuppliedCertificate[]): boolean {
  return supplied.every((s) => card.certificates.some((c) => c.slot === s.slot && c.consistent && serialsEqual(c.serialNumber, s.serialNumber)));
}

/**
 * The step machine's registry, answered from the supplied certificates: the card's record lists the
 * supplied certificate in its slot and the card's own certificate in a slot nothing was supplied for
 * (its status then comes from OCSP as usual). There is no registry to record the attempt in: postRewrite
 * rejects, so the result says `recorded: false`.
 */
export function suppliedRegistry(card: CardInfo, supplied: SuppliedCertificate[]): RewriteRegistry & { baseUrl: string } {
  const record = (): RegistryCard => ({
    cardNumber: card.number,
    certificates: card.certificates.map((held) => {
      const given = supplied.find((s) => s.slot === held.slot);
      if (given === undefined) {
        return {
          slot: held.slot, usage: held.usage, serialNumber: held.serialNumber, status: 'valid' as const,
          notBefore: held.notBefore ?? new Date(0), notAfter: held.notAfter ?? new Date(0), renewedFrom: null,
        };
      }
      const renewed = !serialsEqual(given.serialNumber, held.serialNumber);
      return {
        slot: held.slot, usage: held.usage, serialNumber: given.serialNumber, status: 'valid' as const,
        notBefore: given.notBefore, notAfter: given.notAfter, renewedFrom: renewed ? held.serialNumber : null,
      };
    }),
  });
  return {
    baseUrl: 'supplied',
    async getCard(cardNumber) {
      if (cardNumber !== card.number) {
        throw new MoicaError('rewrite-not-allowed', `The card in the reader (${cardNumber}) is not the card the certificates were given for (${card.number}).`);
      }
      return record();
    },
    async getCertificate(serialNumber) {
      const given = supplied.find((s) => serialsEqual(s.serialNumber, serialNumber));
      if (given === undefined) throw new MoicaError('internal', `No certificate ${serialNumber} was given.`);
      return given.der;
    },
    async postRewrite() {
      throw new MoicaError('usage', 'No registry to record the rewrite in.');
    },
  };
}
