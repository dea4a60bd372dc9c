/**
 * Puts a backup back on the card: the writer's extras first (the CDF, the journal of the rewrite: this
 * makes a card whose directory a torn commit broke readable again), then each backed-up certificate
 * (body, then directory entry) and its read-back. The backup must be this card's (same card number).
 *
 * Proofs before the PIN, as in the rewrite: every certificate to write must carry this card's key for its
 * slot. The directory bytes need none: they are bytes this tool read from this very card.
 *
 * No command runs this (cli.md has none that rolls a card back; a torn directory is put back by the
 * rewrite's own step, check/rewrite.ts restoreDirectory, with the same decoding, decodeExtras). It is kept
 * as the proof that a backup holds everything the card had: its tests put the old certificates back from
 * a rewrite's backup and from every torn directory of the pull loop (test/check/backup.test.ts,
 * test/e2e/pull-loop.test.ts).
 */
import 'reflect-metadata';
import * as x509 from '@peculiar/x509';
import type { CardWriter } from '../card/types.js';
import { MoicaError } from '../errors.js';
import { decodeExtras, type BackupStore } from './backup.js';
import { checkPinFormat } from '../card/pin.js';
import { proveCertificate } from './proofs.js';

export interface RestoreOptions {
  /** Where the backup is read from (engine/backup-store.ts: files). */
  store: BackupStore;
  /** The card in the reader: a backup of another card is refused. */
  cardNumber?: string;
  /** Asked once the proofs passed; without it the caller has verified the PIN on this writer already. */
  askPin?(): Promise<Uint8Array>;
}

export async function restoreBackup(file: string, writer: CardWriter, options: RestoreOptions): Promise<{ slots: Array<0 | 1> }> {
  const backup = await options.store.load(file);
  if (options.cardNumber !== undefined && backup.cardNumber !== options.cardNumber) {
    throw new MoicaError('rewrite-not-allowed', `The backup is of card ${backup.cardNumber}, not of the card in the reader (${options.cardNumber}).`);
  }
  const certificates = [];
  for (const cert of backup.certificates) {
    const der = Uint8Array.from(Buffer.from(cert.der, 'base64'));
    // The backup came off this card: the certificate is its own issuer reference, and a backup of an
    // inconsistent slot names the directory's serial, not the body's. What must hold: a certificate, the card's key.
    await proveCertificate({
      slot: cert.slot, der, serialNumber: serialOf(der), caCertificates: [],
      cardPublicKey: await writer.publicKey(cert.slot), currentCertificate: async () => der,
    });
    certificates.push({ slot: cert.slot, der });
  }
  if (options.askPin !== undefined) {
    const pin = await options.askPin();
    try {
      checkPinFormat(pin);
      await writer.verifyPin(pin);
    } finally {
      pin.fill(0);
    }
  }
  if (writer.restoreExtras !== undefined && Object.keys(backup.extras).length > 0) {
    await writer.restoreExtras(decodeExtras(backup));
  }
  const slots: Array<0 | 1> = [];
  for (const { slot, der } of certificates) {
    await writer.writeCertificate(slot, der);
    if (!Buffer.from(await writer.readCertificate(slot)).equals(Buffer.from(der))) {
      throw new MoicaError('rewrite-failed', `Certificate ${slot} reads back different from the backup.`, { slot, backup: file });
    }
    slots.push(slot);
  }
  return { slots };
}

function serialOf(der: Uint8Array): string {
  try {
    return new x509.X509Certificate(Uint8Array.from(der)).serialNumber;
  } catch {
    return ''; // proveCertificate refuses it as not a certificate
  }
}
