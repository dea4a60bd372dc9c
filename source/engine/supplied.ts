/**
 * The new certificates of a rewrite without a registry, gathered from where the holder has them: files
 * (`--certificate FILE`, or a path typed in the TUI) and serials downloaded from the issuer
 * (`--serial HEX`). Then checked as a set (at most two, one per slot, slots the card holds) and wrapped
 * as the step machine's registry (check/supplied.ts suppliedRegistry).
 */
import { open } from 'node:fs/promises';
import 'reflect-metadata';
import * as x509 from '@peculiar/x509';
import { MoicaError, isMoicaError } from '../errors.js';
import type { CardInfo } from '../card/types.js';
import { MAX_CERTIFICATE_FILE_BYTES, certificateBytes, checkSupplied, suppliedCertificate, suppliedRegistry, type SuppliedCertificate } from '../check/supplied.js';
import type { Network } from './check.js';

/** Reads one certificate file (bounded: a file larger than a certificate is refused unread). */
export async function readCertificateFile(path: string): Promise<SuppliedCertificate> {
  return suppliedCertificate(await readBoundedFile(path), path);
}

/**
 * `--ocsp-responder FILE`: a delegated OCSP responder's certificate to trust (DER or PEM), for a responder
 * whose answers embed none. Checked up front (a file that is not one certificate is a usage-class error,
 * exit 2); the OCSP verification then holds it to the same rules as an embedded one (OCSPSigning EKU,
 * issued by the card's CA).
 */
export async function readResponderCertificates(paths: readonly string[]): Promise<Uint8Array[]> {
  const out: Uint8Array[] = [];
  for (const path of paths) {
    const der = certificateBytes(await readBoundedFile(path), path);
    try {
      new x509.X509Certificate(Uint8Array.from(der));
    } catch (e) {
      throw new MoicaError('certificate-file-invalid', `${path}: it is not a certificate (it does not parse as X.509).`, { file: path }, { cause: e });
    }
    out.push(der);
  }
  return out;
}

async function readBoundedFile(path: string): Promise<Uint8Array> {
  let bytes: Uint8Array;
  try {
    const file = await open(path, 'r');
    try {
      const stat = await file.stat();
      if (!stat.isFile()) throw new MoicaError('certificate-file-unreadable', `${path} is not a regular file.`, { file: path });
      if (stat.size > MAX_CERTIFICATE_FILE_BYTES) {
        throw new MoicaError('certificate-file-invalid', `${path}: it is larger than ${MAX_CERTIFICATE_FILE_BYTES} bytes, not one certificate. Nothing was written.`, { file: path });
      }
      const buffer = Buffer.alloc(MAX_CERTIFICATE_FILE_BYTES + 1);
      const { bytesRead } = await file.read(buffer, 0, buffer.length, 0);
      bytes = new Uint8Array(buffer.subarray(0, bytesRead));
    } finally {
      await file.close();
    }
  } catch (e) {
    if (isMoicaError(e)) throw e;
    const code = (e as { code?: string }).code ?? '';
    throw new MoicaError('certificate-file-unreadable', `${path} cannot be read${code ? ` (${code})` : ''}.`, { file: path, errno: code }, { cause: e });
  }
  return bytes;
}

export async function readCertificateFiles(paths: readonly string[]): Promise<SuppliedCertificate[]> {
  const out: SuppliedCertificate[] = [];
  for (const path of paths) out.push(await readCertificateFile(path));
  return out;
}

export async function downloadSerials(serials: readonly string[], timeoutMs: number): Promise<SuppliedCertificate[]> {
  const { downloadCertificate } = await import('../registry/issuer-download.js');
  const out: SuppliedCertificate[] = [];
  for (const serial of serials) out.push(await downloadCertificate(serial, { timeoutMs, maxBytes: MAX_CERTIFICATE_FILE_BYTES, parse: suppliedCertificate }));
  return out;
}

/** The set checked against the card: one per slot, only slots the card holds. */
export function checkAgainstCard(card: CardInfo, supplied: SuppliedCertificate[]): SuppliedCertificate[] {
  const checked = checkSupplied(supplied);
  for (const s of checked) {
    if (!card.certificates.some((c) => c.slot === s.slot)) {
      throw new MoicaError('certificate-file-invalid', `${s.from} is for slot ${s.slot}, which this card does not hold. Nothing was written.`, { slot: s.slot });
    }
  }
  return checked;
}

/** The network for the step machine: the supplied certificates stand in for the registry. */
export function suppliedNetwork(net: Network, card: CardInfo, supplied: SuppliedCertificate[]): Network {
  return { ...net, registry: suppliedRegistry(card, supplied) };
}

/** JSON of what was given (never the bytes). */
export function suppliedJson(supplied: SuppliedCertificate[]): Array<Record<string, unknown>> {
  return supplied.map((s) => ({ slot: s.slot, serialNumber: s.serialNumber, notBefore: s.notBefore, notAfter: s.notAfter, from: s.from }));
}
