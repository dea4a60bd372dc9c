/**
 * The backup store on disk: one JSON file per rewrite (format: check/backup.ts), written atomically
 * (temp file, fsync, no-clobber link, directory fsync) so a crash leaves either no file or a whole one.
 * Directory 0700, files 0600.
 */
import { randomUUID } from 'node:crypto';
import { link, mkdir, open, readdir, readFile, unlink } from 'node:fs/promises';
import { homedir } from 'node:os';
import { join } from 'node:path';
import { MoicaError } from '../errors.js';
import { backupFileName, backupNamesNewestFirst, encodeBackup, parseBackup, type BackupStore } from '../check/backup.js';

/** $XDG_DATA_HOME/moica-check/backups, else ~/.local/share/moica-check/backups. */
export function defaultBackupDir(env: NodeJS.ProcessEnv = process.env): string {
  const data = env.XDG_DATA_HOME && env.XDG_DATA_HOME.startsWith('/') ? env.XDG_DATA_HOME : join(homedir(), '.local', 'share');
  return join(data, 'moica-check', 'backups');
}

export function fileBackupStore(dir: string = defaultBackupDir()): BackupStore {
  return {
    async save(backup) {
      try {
        await mkdir(dir, { recursive: true, mode: 0o700 });
        const tmp = join(dir, `.${randomUUID()}.tmp`);
        const file = await open(tmp, 'wx', 0o600);
        try {
          await file.writeFile(encodeBackup(backup));
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
      for (const n of backupNamesNewestFirst(names, cardNumber)) {
        const location = join(dir, n);
        const backup = await this.load(location).catch(() => undefined);
        if (backup?.cardNumber === cardNumber) return { location, backup };
      }
      return undefined;
    },
  };
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
