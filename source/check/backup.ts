/**
 * The backup store: the one piece of I/O in check/. Before a rewrite, the card's current certificates,
 * the writer's extras and the registry's answer go into one JSON file per rewrite, written atomically
 * (temp file, fsync, no-clobber link, directory fsync) so a crash leaves either no file or a whole one.
 */
import { randomUUID } from 'node:crypto';
import { link, mkdir, open, readdir, readFile, unlink } from 'node:fs/promises';
import { homedir } from 'node:os';
import { join } from 'node:path';
import { z } from 'zod';
import { MoicaError } from '../errors.js';

const base64 = z.string().regex(/^[A-Za-z0-9+/]*={0,2}$/);
const slot = z.union([z.literal(0), z.literal(1)]);

export const cardBackupSchema = z.object({
  version: z.literal(1),
  cardNumber: z.string().min(1).max(64),
  createdAt: z.string(),
  reader: z.string(),
  atr: z.string(),
  writer: z.enum(['virtual-apdu', 'pkcs11']),
  certificates: z.array(z.object({ slot, serialNumber: z.string().nullable(), der: base64 })).max(2),
  extras: z.record(z.string(), base64),
  registry: z.object({
    cardNumber: z.string(),
    certificates: z.array(z.object({
      slot, usage: z.enum(['signature', 'encryption']), serialNumber: z.string(),
      status: z.enum(['valid', 'revoked', 'suspended', 'expired']),
      notBefore: z.string(), notAfter: z.string(), renewedFrom: z.string().nullable(),
    })),
  }),
});
export type CardBackup = z.infer<typeof cardBackupSchema>;

export interface BackupStore {
  /** Stores a backup; resolves to where it is (a file path for the fs store). Fails with 'backup-failed'. */
  save(backup: CardBackup): Promise<string>;
  load(location: string): Promise<CardBackup>;
  /** The newest backup of a card (by its creation time), or undefined when there is none. */
  latest(cardNumber: string): Promise<{ location: string; backup: CardBackup } | undefined>;
}

/** $XDG_DATA_HOME/moica-check/backups, else ~/.local/share/moica-check/backups. */
export function defaultBackupDir(env: NodeJS.ProcessEnv = process.env): string {
  const data = env.XDG_DATA_HOME && env.XDG_DATA_HOME.startsWith('/') ? env.XDG_DATA_HOME : join(homedir(), '.local', 'share');
  return join(data, 'moica-check', 'backups');
}

/** Card number + UTC timestamp, e.g. TP03130708163649-20261127T233334123Z.json. */
export function backupFileName(cardNumber: string, at: Date, attempt = 0): string {
  const stamp = at.toISOString().replace(/[-:.]/g, '');
  return `${cardNumber.replace(/[^A-Za-z0-9]/g, '_')}-${stamp}${attempt ? `-${attempt}` : ''}.json`;
}

export function fileBackupStore(dir: string = defaultBackupDir()): BackupStore {
  return {
    async save(backup) {
      try {
        await mkdir(dir, { recursive: true, mode: 0o700 });
        const tmp = join(dir, `.${randomUUID()}.tmp`);
        const file = await open(tmp, 'wx', 0o600);
        try {
          await file.writeFile(`${JSON.stringify(backup, null, 2)}\n`);
          await file.sync();
        } finally {
          await file.close();
        }
        try {
          const target = await linkNoClobber(tmp, dir, backup.cardNumber, new Date(backup.createdAt));
          await syncDirectory(dir);
          return target;
        } finally {
          await unlink(tmp).catch(() => {});
        }
      } catch (e) {
        throw new MoicaError('backup-failed', `Could not write the backup in ${dir}: ${(e as Error).message}`, { dir }, { cause: e });
      }
    },
    async load(location) {
      let text: string;
      try {
        text = await readFile(location, 'utf8');
      } catch (e) {
        throw new MoicaError('usage', `Cannot read the backup ${location}: ${(e as Error).message}`, { file: location });
      }
      return parseBackup(text, location);
    },
    async latest(cardNumber) {
      let names: string[];
      try {
        names = await readdir(dir);
      } catch {
        return undefined;
      }
      const prefix = `${backupFileName(cardNumber, new Date(0)).split('-')[0]}-`;
      // Names sort by their UTC stamp; a same-millisecond attempt number sorts after its plain twin.
      const newestFirst = names.filter((n) => n.startsWith(prefix) && n.endsWith('.json'))
        .map((n) => ({ n, key: n.slice(prefix.length, -'.json'.length).split('-') }))
        .sort((a, b) => (a.key[0]! === b.key[0]! ? Number(b.key[1] ?? 0) - Number(a.key[1] ?? 0) : a.key[0]! < b.key[0]! ? 1 : -1));
      for (const { n } of newestFirst) {
        const location = join(dir, n);
        const backup = await this.load(location).catch(() => undefined);
        if (backup?.cardNumber === cardNumber) return { location, backup };
      }
      return undefined;
    },
  };
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

/** link() refuses to replace a file: two rewrites in one millisecond never overwrite each other. */
async function linkNoClobber(tmp: string, dir: string, cardNumber: string, at: Date): Promise<string> {
  for (let attempt = 0; ; attempt++) {
    const target = join(dir, backupFileName(cardNumber, at, attempt));
    try {
      await link(tmp, target);
      return target;
    } catch (e) {
      if ((e as NodeJS.ErrnoException).code !== 'EEXIST' || attempt >= 100) throw e;
    }
  }
}

async function syncDirectory(dir: string): Promise<void> {
  const handle = await open(dir, 'r');
  try {
    await handle.sync();
  } finally {
    await handle.close();
  }
}
