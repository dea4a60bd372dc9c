/**
 * Puts a backup back on the card: each backed-up certificate is written (body, then directory entry)
 * and read back. The caller has verified the PIN on this writer; the backup must be this card's.
 */
import type { CardWriter } from '../card/types.js';
import { MoicaError } from '../errors.js';
import { fileBackupStore, type BackupStore } from './backup.js';

export interface RestoreOptions {
  store?: BackupStore;
  /** The card in the reader: a backup of another card is refused. */
  cardNumber?: string;
}

export async function restoreBackup(file: string, writer: CardWriter, options: RestoreOptions = {}): Promise<{ slots: Array<0 | 1> }> {
  const backup = await (options.store ?? fileBackupStore()).load(file);
  if (options.cardNumber !== undefined && backup.cardNumber !== options.cardNumber) {
    throw new MoicaError('rewrite-not-allowed', `The backup is of card ${backup.cardNumber}, not of the card in the reader (${options.cardNumber}).`);
  }
  const slots: Array<0 | 1> = [];
  for (const cert of backup.certificates) {
    const der = Uint8Array.from(Buffer.from(cert.der, 'base64'));
    await writer.writeCertificate(cert.slot, der);
    if (!Buffer.from(await writer.readCertificate(cert.slot)).equals(Buffer.from(der))) {
      throw new MoicaError('rewrite-failed', `Certificate ${cert.slot} reads back different from the backup.`, { slot: cert.slot, backup: file });
    }
    slots.push(cert.slot);
  }
  return { slots };
}
