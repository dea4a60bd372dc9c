/**
 * One writer per card across processes: a lock file per card number, created with O_EXCL (`wx`, 0600) in
 * $XDG_RUNTIME_DIR/moica-check/locks (else $XDG_STATE_HOME/moica-check/locks, else
 * ~/.local/state/moica-check/locks), holding who writes: pid, command, start time, reader. A second
 * moica-check that wants to write the same card is refused with 'card-busy' (exit 5) naming the holder.
 * A lock whose pid is dead (a killed run) is stale and taken over: moved aside by an atomic rename and
 * dropped only if what was moved is that very stale lock (a live lock moved by mistake is put back).
 */
import { randomUUID } from 'node:crypto';
import { link, mkdir, open, readFile, readdir, rename, unlink } from 'node:fs/promises';
import { readdirSync, readFileSync } from 'node:fs';
import { homedir } from 'node:os';
import { join } from 'node:path';
import { MoicaError } from '../errors.js';

export interface LockHolder {
  pid: number;
  command: string;
  startedAt: string;
  reader?: string;
  cardNumber: string;
  /** Linux: the process's start time in clock ticks (/proc/PID/stat field 22), so a reused pid is not taken for the holder. */
  procStart?: number;
}

export interface CardLock {
  readonly file: string;
  release(): Promise<void>;
}

export function defaultLockDir(env: NodeJS.ProcessEnv = process.env): string {
  const absolute = (v: string | undefined) => (v && v.startsWith('/') ? v : undefined);
  const base = absolute(env.XDG_RUNTIME_DIR) ?? absolute(env.XDG_STATE_HOME) ?? join(homedir(), '.local', 'state');
  return join(base, 'moica-check', 'locks');
}

/** What this process is, for the holder line: the subcommand only (argv may hold anything, even a PIN typed by mistake). */
export function lockCommand(argv: readonly string[] = process.argv): string {
  const known = ['rewrite', 'check', 'read', 'readers', 'doctor'];
  const sub = argv.slice(2).find((a) => known.includes(a));
  return sub ? `moica-check ${sub}` : 'moica-check (interactive)';
}

function procStart(pid: number): number | undefined {
  try {
    const stat = readFileSync(`/proc/${pid}/stat`, 'utf8');
    const fields = stat.slice(stat.lastIndexOf(')') + 2).split(' ');
    const ticks = Number(fields[19]); // field 22 overall; fields[0] is field 3
    return Number.isFinite(ticks) ? ticks : undefined;
  } catch {
    return undefined;
  }
}

function alive(pid: number, start?: number): boolean {
  if (!Number.isInteger(pid) || pid <= 0) return false;
  try {
    process.kill(pid, 0);
  } catch (e) {
    if ((e as NodeJS.ErrnoException).code !== 'EPERM') return false; // EPERM: alive, someone else's
  }
  const now = start === undefined ? undefined : procStart(pid);
  return now === undefined || now === start;
}

function parseHolder(text: string): LockHolder | undefined {
  try {
    const v = JSON.parse(text) as Partial<LockHolder>;
    if (typeof v.pid === 'number' && typeof v.command === 'string' && typeof v.startedAt === 'string' && typeof v.cardNumber === 'string') {
      return { pid: v.pid, command: v.command, startedAt: v.startedAt, cardNumber: v.cardNumber,
        ...(typeof v.reader === 'string' ? { reader: v.reader } : {}), ...(typeof v.procStart === 'number' ? { procStart: v.procStart } : {}) };
    }
  } catch {
    // a torn lock file (a crash while writing it): treated as stale below
  }
  return undefined;
}

export function busyError(holder: LockHolder, file?: string): MoicaError {
  const { procStart: _start, ...shown } = holder;
  return new MoicaError('card-busy',
    `Card ${holder.cardNumber} is being written by another moica-check (pid ${holder.pid}, "${holder.command}", since ${holder.startedAt}): nothing was written. Wait for it to finish.`,
    { holder: shown, ...(file ? { lock: file } : {}) });
}

/** Takes the card's lock or throws 'card-busy' naming its holder. */
export async function lockCard(cardNumber: string, options: { dir?: string; command?: string; reader?: string; now?: Date } = {}): Promise<CardLock> {
  const dir = options.dir ?? defaultLockDir();
  const file = join(dir, `${cardNumber.replace(/[^A-Za-z0-9]/g, '_')}.lock`);
  const holder: LockHolder = {
    pid: process.pid,
    command: options.command ?? lockCommand(),
    startedAt: (options.now ?? new Date()).toISOString(),
    cardNumber,
    ...(options.reader !== undefined ? { reader: options.reader } : {}),
  };
  const start = procStart(process.pid);
  if (start !== undefined) holder.procStart = start;
  try {
    await mkdir(dir, { recursive: true, mode: 0o700 });
  } catch (e) {
    throw new MoicaError('backup-failed', `Could not create the lock directory ${dir}: ${(e as Error).message}`, { dir }, { cause: e });
  }
  // The content is written to a temp file first and linked into place: a lock is never seen half-written.
  const tmp = join(dir, `.${randomUUID()}.tmp`);
  const handle = await open(tmp, 'wx', 0o600);
  try {
    await handle.writeFile(`${JSON.stringify(holder)}\n`);
  } finally {
    await handle.close();
  }
  try {
    for (let attempt = 0; attempt < 5; attempt++) {
      try {
        await link(tmp, file);
        return {
          file,
          async release() {
            // Only our own lock: never a lock someone took over after a pid-reuse mix-up.
            const now = await readFile(file, 'utf8').catch(() => '');
            if (parseHolder(now)?.pid === process.pid && parseHolder(now)?.startedAt === holder.startedAt) await unlink(file).catch(() => {});
          },
        };
      } catch (e) {
        if ((e as NodeJS.ErrnoException).code !== 'EEXIST') throw e;
      }
      const text = await readFile(file, 'utf8').catch(() => undefined);
      if (text === undefined) continue; // released meanwhile
      const other = parseHolder(text);
      if (other !== undefined && alive(other.pid, other.procStart) && other.pid !== process.pid) throw busyError(other, file);
      if (other !== undefined && other.pid === process.pid) throw busyError(other, file); // this process writes it already (the TUI's second rewrite)
      await takeOver(file, text);
    }
    throw new MoicaError('card-busy', `Card ${cardNumber}'s lock ${file} keeps changing: another moica-check is starting on it.`, { lock: file });
  } catch (e) {
    if (e instanceof MoicaError) throw e;
    throw new MoicaError('backup-failed', `Could not take the card's lock ${file}: ${(e as Error).message}`, { lock: file }, { cause: e });
  } finally {
    await unlink(tmp).catch(() => {});
  }
}

/** Moves a stale lock aside; if what moved is not that stale lock (another process took it over first), puts it back. */
async function takeOver(file: string, staleText: string): Promise<void> {
  const aside = `${file}.${process.pid}.${randomUUID()}.stale`;
  try {
    await rename(file, aside);
  } catch {
    return; // gone already
  }
  const moved = await readFile(aside, 'utf8').catch(() => '');
  if (moved === staleText) {
    await unlink(aside).catch(() => {});
    return;
  }
  await link(aside, file).catch(() => {});
  await unlink(aside).catch(() => {});
}

/**
 * The live holder of a lock on this reader, if any (sync: it explains a PC/SC sharing violation, where the
 * card number is not known yet).
 */
export function holderOnReader(reader: string | undefined, dir: string = defaultLockDir()): LockHolder | undefined {
  let names: string[];
  try {
    names = readdirSync(dir).filter((n) => n.endsWith('.lock'));
  } catch {
    return undefined;
  }
  for (const name of names) {
    let holder: LockHolder | undefined;
    try {
      holder = parseHolder(readFileSync(join(dir, name), 'utf8'));
    } catch {
      continue;
    }
    if (holder && alive(holder.pid, holder.procStart) && holder.pid !== process.pid && (reader === undefined || holder.reader === undefined || holder.reader === reader)) return holder;
  }
  return undefined;
}

/** For tests and doctor: the lock files present (not their validity). */
export async function listLocks(dir: string = defaultLockDir()): Promise<string[]> {
  return (await readdir(dir).catch(() => [] as string[])).filter((n) => n.endsWith('.lock'));
}
