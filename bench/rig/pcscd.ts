/**
 * A private pcscd for the tests and the read bench (bench/read.ts; the tests import it through
 * test/rig/pcscd.ts): its own reader.conf with one vpcd reader ("Virtual PCD 00 00" on `port`,
 * "Virtual PCD 00 01" on port + 1), its own socket directory bound over /run/pcscd in a private mount
 * namespace, so it never meets the system's pcscd or another test's. Clients find it through `env`
 * (PCSCLITE_CSOCK_NAME). Needs root, pcscd, vsmartcard-vpcd and unshare; a missing piece is an error
 * that says what to install, never a silent skip.
 */
import { spawn, type ChildProcess } from 'node:child_process';
import { existsSync, mkdirSync, mkdtempSync, readFileSync, rmSync, writeFileSync } from 'node:fs';
import { createServer } from 'node:net';
import { tmpdir } from 'node:os';
import { join } from 'node:path';

export const VPCD_DRIVER = '/usr/lib/pcsc/drivers/serial/libifdvpcd.so';
export const RIG_READER = 'Virtual PCD 00 00';
const START_DEADLINE_MS = 20_000;
const STOP_DEADLINE_MS = 5_000;
const POLL_MS = 20;

export interface PcscdRig {
  /** vpcd's port for "Virtual PCD 00 00" (port + 1 is "… 00 01"). */
  readonly port: number;
  readonly dir: string;
  readonly socketPath: string;
  /** What a PC/SC client of this pcscd needs in its environment. */
  readonly env: { PCSCLITE_CSOCK_NAME: string };
  readonly pid: number | undefined;
  /** pcscd's recent output, for failure messages. */
  log(): string;
  stop(): Promise<void>;
  /** Kill pcscd and start it again on the same ports and socket ("pcscd restarted"). */
  restart(): Promise<void>;
}

const sleep = (ms: number): Promise<void> => new Promise((resolve) => setTimeout(resolve, ms));

/** Poll a condition until it holds or the deadline passes. */
export async function waitFor(what: string, condition: () => boolean | Promise<boolean>, deadlineMs = START_DEADLINE_MS): Promise<void> {
  const deadline = Date.now() + deadlineMs;
  while (!(await condition())) {
    if (Date.now() > deadline) throw new Error(`timed out waiting for ${what}`);
    await sleep(POLL_MS);
  }
}

function missingPieces(): string[] {
  const missing: string[] = [];
  const onPath = (name: string): boolean =>
    (process.env['PATH'] ?? '/usr/sbin:/usr/bin:/sbin:/bin').split(':').concat(['/usr/sbin', '/sbin'])
      .some((dir) => existsSync(join(dir, name)));
  if (!onPath('pcscd')) missing.push('pcscd (apt-get install pcscd)');
  if (!existsSync(VPCD_DRIVER)) missing.push(`${VPCD_DRIVER} (apt-get install vsmartcard-vpcd)`);
  if (!onPath('unshare')) missing.push('unshare (util-linux)');
  if (process.getuid?.() !== 0) missing.push('root (unshare -m and mount --bind need it)');
  return missing;
}

function bindable(port: number): Promise<boolean> {
  return new Promise((resolve) => {
    const server = createServer();
    server.once('error', () => resolve(false));
    server.listen(port, () => server.close(() => resolve(true))); // all interfaces, as vpcd listens
  });
}

/** A port p with p and p + 1 both free (vpcd opens one per slot). */
async function freePortPair(): Promise<number> {
  for (let attempt = 0; attempt < 50; attempt++) {
    const server = createServer();
    const port = await new Promise<number>((resolve, reject) => {
      server.once('error', reject);
      server.listen(0, () => {
        const address = server.address();
        resolve(typeof address === 'object' && address ? address.port : 0);
      });
    });
    await new Promise<void>((resolve) => server.close(() => resolve()));
    if (port > 0 && port < 65535 && (await bindable(port)) && (await bindable(port + 1))) return port;
  }
  throw new Error('no free pair of TCP ports for vpcd');
}

/** True when something listens on the TCP port (read from /proc, so no connection is made: to vpcd a connection is a card). */
function listening(port: number): boolean {
  const hexPort = port.toString(16).toUpperCase().padStart(4, '0');
  for (const table of ['/proc/net/tcp', '/proc/net/tcp6']) {
    let text = '';
    try {
      text = readFileSync(table, 'utf8');
    } catch {
      continue;
    }
    for (const line of text.split('\n').slice(1)) {
      const fields = line.trim().split(/\s+/);
      if (fields[1]?.endsWith(`:${hexPort}`) && fields[3] === '0A') return true;
    }
  }
  return false;
}

const live = new Set<ChildProcess>();
let exitHookInstalled = false;

function installExitHook(): void {
  if (exitHookInstalled) return;
  exitHookInstalled = true;
  // a test that throws before its after() hook, or a runner that stops us, must not leave a pcscd behind
  const killAll = (): void => {
    for (const child of live) child.kill('SIGKILL');
  };
  process.on('exit', killAll);
  for (const signal of ['SIGTERM', 'SIGINT', 'SIGHUP'] as const) {
    process.once(signal, () => {
      killAll();
      process.kill(process.pid, signal); // then die of it as we would have
    });
  }
}

export async function startPcscd(): Promise<PcscdRig> {
  const missing = missingPieces();
  if (missing.length > 0) {
    throw new Error(`the private pcscd rig cannot run here; missing: ${missing.join(', ')}`);
  }
  installExitHook();
  mkdirSync('/run/pcscd', { recursive: true });
  const port = await freePortPair();
  const dir = mkdtempSync(join(tmpdir(), 'moica-pcscd-'));
  const socketPath = join(dir, 'pcscd.comm');
  const conf = join(dir, 'reader.conf');
  const hexPort = `0x${port.toString(16)}`;
  writeFileSync(conf, [
    'FRIENDLYNAME "Virtual PCD"',
    `DEVICENAME /dev/null:${hexPort}`,
    `LIBPATH ${VPCD_DRIVER}`,
    `CHANNELID ${hexPort}`,
    '',
  ].join('\n'));

  let child: ChildProcess | undefined;
  let output = '';
  const launch = async (): Promise<void> => {
    rmSync(socketPath, { force: true });
    const started = spawn('unshare', ['-m', 'sh', '-c', `mount --bind '${dir}' /run/pcscd && exec pcscd -f -c '${conf}'`], {
      stdio: ['ignore', 'pipe', 'pipe'],
    });
    child = started;
    live.add(started);
    const keep = (chunk: Buffer): void => {
      output = (output + chunk.toString()).slice(-8000);
    };
    started.stdout?.on('data', keep);
    started.stderr?.on('data', keep);
    started.once('exit', () => live.delete(started));
    try {
      await waitFor('pcscd to start', () => {
        if (started.exitCode !== null || started.signalCode !== null) {
          throw new Error(`pcscd exited (${started.exitCode ?? started.signalCode}) during start-up:\n${output}`);
        }
        return existsSync(socketPath) && listening(port);
      });
    } catch (error) {
      await terminate();
      throw error;
    }
  };
  const terminate = async (): Promise<void> => {
    const running = child;
    child = undefined;
    if (!running || running.exitCode !== null || running.signalCode !== null) return;
    const exited = new Promise<void>((resolve) => running.once('exit', () => resolve()));
    running.kill('SIGTERM');
    const timer = setTimeout(() => running.kill('SIGKILL'), STOP_DEADLINE_MS);
    await exited;
    clearTimeout(timer);
  };

  await launch();
  return {
    port,
    dir,
    socketPath,
    env: { PCSCLITE_CSOCK_NAME: socketPath },
    get pid() {
      return child?.pid;
    },
    log: () => output,
    async stop() {
      await terminate();
      rmSync(dir, { recursive: true, force: true });
    },
    async restart() {
      await terminate();
      await waitFor('vpcd ports to close', () => !listening(port) && !listening(port + 1), STOP_DEADLINE_MS);
      await launch();
    },
  };
}
