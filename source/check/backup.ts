/**
 * The backup of a rewrite: what it must hold and its format, pure. Before a rewrite, the card's current
 * certificates, the writer's extras (the CDF: the directory's journal) and the registry's answer go into
 * one backup; this module says what a backup is (the zod schema), how it is named, encoded and decoded.
 * Where it is kept (files written atomically, fsynced) is the store's job: engine/backup-store.ts.
 */
import * as z from '../zod.js';
import { MoicaError } from '../errors.js';

const base64 = z.string().check(z.regex(/^[A-Za-z0-9+/]*={0,2}$/));
const slot = z.union([z.literal(0), z.literal(1)]);

export const cardBackupSchema = z.object({
  version: z.literal(1),
  cardNumber: z.string().check(z.minLength(1), z.maxLength(64)),
  createdAt: z.string(),
  reader: z.string(),
  atr: z.string(),
  writer: z.enum(['virtual-apdu', 'pkcs11']),
  certificates: z.array(z.object({ slot, serialNumber: z.nullable(z.string()), der: base64 })).check(z.maxLength(2)),
  extras: z.record(z.string(), base64),
  registry: z.object({
    cardNumber: z.string(),
    certificates: z.array(z.object({
      slot, usage: z.enum(['signature', 'encryption']), serialNumber: z.string(),
      status: z.enum(['valid', 'revoked', 'suspended', 'expired']),
      notBefore: z.string(), notAfter: z.string(), renewedFrom: z.nullable(z.string()),
    })),
  }),
});
export type CardBackup = z.infer<typeof cardBackupSchema>;

/** Where backups are kept: the step machine and restoreBackup take one (engine/backup-store.ts: files). */
export interface BackupStore {
  /** Stores a backup; resolves to where it is (a file path for the fs store). Fails with 'backup-failed'. */
  save(backup: CardBackup): Promise<string>;
  load(location: string): Promise<CardBackup>;
  /** The newest backup of a card (by its creation time), or undefined when there is none. */
  latest(cardNumber: string): Promise<{ location: string; backup: CardBackup } | undefined>;
}

/** Card number + UTC timestamp, e.g. TP03130708163649-20261127T233334123Z.json. */
export function backupFileName(cardNumber: string, at: Date, attempt = 0): string {
  const stamp = at.toISOString().replace(/[-:.]/g, '');
  return `${cardNumber.replace(/[^A-Za-z0-9]/g, '_')}-${stamp}${attempt ? `-${attempt}` : ''}.json`;
}

/** Of a directory's names, the backups that may be this card's, newest first. */
export function backupNamesNewestFirst(names: readonly string[], cardNumber: string): string[] {
  const prefix = `${backupFileName(cardNumber, new Date(0)).split('-')[0]}-`;
  // Names sort by their UTC stamp; a same-millisecond attempt number sorts after its plain twin.
  return names.filter((n) => n.startsWith(prefix) && n.endsWith('.json'))
    .map((n) => ({ n, key: n.slice(prefix.length, -'.json'.length).split('-') }))
    .sort((a, b) => (a.key[0]! === b.key[0]! ? Number(b.key[1] ?? 0) - Number(a.key[1] ?? 0) : a.key[0]! < b.key[0]! ? 1 : -1))
    .map(({ n }) => n);
}

/** The bytes of a backup as stored: pretty-printed JSON with a final newline. */
export function encodeBackup(backup: CardBackup): string {
  return `${JSON.stringify(backup, null, 2)}\n`;
}

export function parseBackup(text: string, location: string): CardBackup {
  let json: unknown;
  try {
    json = JSON.parse(text);
  } catch {
    throw new MoicaError('usage', `${location} is not a moica-check backup (not JSON).`, { file: location });
  }
  const parsed = cardBackupSchema.safeParse(json);
  if (!parsed.success) throw new MoicaError('usage', `${location} is not a moica-check backup.`, { file: location });
  return parsed.data;
}

/** The writer's extras as held in a backup (base64) → the bytes the writer puts back. */
export function decodeExtras(backup: CardBackup): Record<string, Uint8Array> {
  return Object.fromEntries(Object.entries(backup.extras).map(([name, b64]) => [name, Uint8Array.from(Buffer.from(b64, 'base64'))]));
}

/** The writer's extras as bytes → base64, as a backup holds them. */
export function encodeExtras(extras: Record<string, Uint8Array>): Record<string, string> {
  return Object.fromEntries(Object.entries(extras).map(([name, bytes]) => [name, Buffer.from(bytes).toString('base64')]));
}
