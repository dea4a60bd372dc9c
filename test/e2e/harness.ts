/**
 * The end-to-end rig for the rewrite: a scenario's registry (the reference server on 127.0.0.1, port 0)
 * with OpenSSL's own OCSP responder for the scenario's CA, the commands run in-process over fake Io
 * streams or spawned as the built CLI, and a log of every APDU the virtual card answered.
 */
import assert from 'node:assert/strict';
import { spawn, spawnSync } from 'node:child_process';
import { after, before } from 'node:test';
import { mkdtempSync, readdirSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { PassThrough, Readable } from 'node:stream';
import { buildScenario, type BuiltScenario } from '../../source/virtual/scenario.js';
import { scenarioSpec, type DemoOptions } from '../../source/virtual/demos.js';
import type { VirtualCard } from '../../source/virtual/card.js';
import { start, type RunningServer } from '../../source/registry/server/server.js';
import { parseOptions, type Options } from '../../source/options.js';
import type { Io } from '../../source/commands/io.js';
import { PcscTransport } from '../../source/card/pcsc.js';
import { VpcdCardClient } from '../../source/virtual/vpcd-client.js';
import { startResponder, type Responder, type TestPki } from '../registry/openssl-rig.js';
import { RIG_READER, startPcscd, waitFor, type PcscdRig } from '../rig/pcscd.js';

/** The B-1 demo scenario ("rewrite"), with the few knobs these tests turn. */
export async function staleScenario(options: DemoOptions & { tries?: number; issuedKeyIndices?: [number, number] } = {}): Promise<BuiltScenario> {
  const spec = { ...scenarioSpec('rewrite') };
  if (options.generation) spec.generation = options.generation;
  if (options.pin) spec.pin = options.pin;
  if (options.tries !== undefined) spec.tries = options.tries;
  if (options.issuedKeyIndices) spec.issuedKeyIndices = options.issuedKeyIndices;
  return buildScenario(spec, options.now ? { now: options.now } : {});
}

export interface ScenarioNetwork {
  registry: RunningServer;
  ocsp: Responder;
  /** The CLI flags that point a command at this registry and responder. */
  flags: string[];
  close(): Promise<void>;
}

/**
 * The reference registry serving the scenario's data, and `openssl ocsp -index <the scenario's index>
 * -CA <issuing CA> -rsigner <CA> -rkey <CA key>` on 127.0.0.1 (through the registry engineer's helper).
 */
export async function scenarioNetwork(scenario: BuiltScenario): Promise<ScenarioNetwork> {
  const dir = mkdtempSync(join(tmpdir(), 'moica-e2e-ocsp-'));
  await scenario.pki.writePemFiles(dir); // ca.pem and ca.key: the names the helper's responder uses
  await scenario.ocsp.writeOpensslIndex(join(dir, 'index.txt'));
  const pki: TestPki = {
    dir,
    caDer: scenario.pki.issuing.certificate.der,
    pem: (name) => join(dir, `${name}.pem`),
    key: (name) => join(dir, `${name}.key`),
    der: () => { throw new Error('not used'); },
    cleanup: () => rmSync(dir, { recursive: true, force: true }),
  };
  const ocsp = await startResponder(pki, 'ca');
  const registry = await start({ data: scenario.registryData, host: '127.0.0.1', port: 0 });
  return {
    registry,
    ocsp,
    flags: ['--registry', registry.url, '--ocsp', ocsp.url],
    async close() {
      await registry.close();
      await ocsp.close();
      pki.cleanup();
    },
  };
}

/**
 * OpenSSL's OCSP responder alone for the scenario's CA (no registry): the network a real card holder has.
 * `extra` goes to `openssl ocsp` (e.g. -resp_no_certs).
 */
export async function scenarioResponder(scenario: BuiltScenario, extra: string[] = []): Promise<Responder & { flags: string[] }> {
  const dir = mkdtempSync(join(tmpdir(), 'moica-e2e-ocsp-'));
  await scenario.pki.writePemFiles(dir);
  await scenario.ocsp.writeOpensslIndex(join(dir, 'index.txt'));
  const pki: TestPki = {
    dir,
    caDer: scenario.pki.issuing.certificate.der,
    pem: (name) => join(dir, `${name}.pem`),
    key: (name) => join(dir, `${name}.key`),
    der: () => { throw new Error('not used'); },
    cleanup: () => rmSync(dir, { recursive: true, force: true }),
  };
  const responder = await startResponder(pki, 'ca', extra);
  return {
    url: responder.url,
    flags: ['--ocsp', responder.url],
    async close() {
      await responder.close();
      pki.cleanup();
    },
  };
}

/** Every APDU the card answered, as hex, in order (the card's own log: nothing filtered by the host). */
export function apduLog(card: VirtualCard): string[] {
  const log: string[] = [];
  card.onExchange = (command) => log.push(Buffer.from(command).toString('hex').toUpperCase());
  return log;
}

/** INS bytes of a logged APDU list. */
export const instructions = (log: readonly string[]): string[] => log.map((apdu) => apdu.slice(2, 4));
export const count = (log: readonly string[], ins: string): number => instructions(log).filter((i) => i === ins).length;
/** VERIFYs that carried a PIN (the no-data `00 20 00 01`, which asks the tries left, carries none). */
export const pinVerifies = (log: readonly string[]): number => log.filter((apdu) => apdu.slice(2, 4) === '20' && apdu.length > 8).length;

export interface Run {
  code: number | null;
  stdout: string;
  stderr: string;
  json: Record<string, any>;
}

function parsed(code: number | null, stdout: string, stderr: string): Run {
  let json: Record<string, any> = {};
  try {
    json = stdout.trim() ? JSON.parse(stdout) : {};
  } catch {
    // a test that wants JSON fails on the empty object
  }
  return { code, stdout, stderr, json };
}

/** A headless command's run(options, io) in this process, with buffers for its streams. */
export async function runCommand(argv: string[], stdinText = ''): Promise<Run> {
  const options: Options = parseOptions(argv, { LANG: 'C' });
  const stdout = new PassThrough();
  const stderr = new PassThrough();
  let out = '';
  let err = '';
  stdout.on('data', (c) => (out += c));
  stderr.on('data', (c) => (err += c));
  const io: Io = { stdout, stderr, stdin: Readable.from([Buffer.from(stdinText)]), env: { LANG: 'C' } };
  const command = options.command === 'check'
    ? await import('../../source/commands/check.js')
    : await import('../../source/commands/rewrite.js');
  const code = await command.run(options, io);
  return parsed(code, out, err);
}

const HANG_LIMIT_MS = 60_000;

/** The built CLI (`node bin/moica-check.js`), its stdin fed `stdinText` then closed. */
export function spawnCli(args: string[], env: Record<string, string>, stdinText = '', entry = 'bin/moica-check.js'): Promise<Run> {
  return new Promise((resolve, reject) => {
    const child = spawn(process.execPath, [entry, ...args], {
      env: { ...process.env, LANG: 'C', ...env },
      stdio: ['pipe', 'pipe', 'pipe'],
    });
    let stdout = '';
    let stderr = '';
    child.stdout.on('data', (c) => (stdout += c));
    child.stderr.on('data', (c) => (stderr += c));
    child.once('error', reject);
    child.stdin.end(stdinText);
    const hang = setTimeout(() => {
      child.kill('SIGKILL');
      reject(new Error(`moica-check ${args.join(' ')} did not exit`));
    }, HANG_LIMIT_MS);
    child.once('close', (code) => {
      clearTimeout(hang);
      resolve(parsed(code, stdout, stderr));
    });
  });
}

export function tempDir(prefix: string): string {
  return mkdtempSync(join(tmpdir(), prefix));
}

export const filesIn = (dir: string): string[] => {
  try {
    return readdirSync(dir).filter((f) => f.endsWith('.json')).map((f) => join(dir, f));
  } catch {
    return [];
  }
};

/**
 * The virtual card in the private pcscd's reader, seen through a PC/SC client of this process that only
 * watches (it never connects, so the commands under test get the card to themselves).
 */
export class RigReader {
  private constructor(private readonly rig: PcscdRig, private readonly watcher: PcscTransport) {}

  static async open(rig: PcscdRig): Promise<RigReader> {
    // pcsc-lite reads the socket name once per process: set before the first context is made.
    process.env.PCSCLITE_CSOCK_NAME = rig.socketPath;
    const watcher = await PcscTransport.create({ timeoutMs: 10_000 });
    await watcher.ready();
    return new RigReader(rig, watcher);
  }

  /**
   * One scenario's card in the reader and its network up, for the length of `body`: the APDU log and a
   * fresh backup dir (pushed onto `dirs` for the file's cleanup) are handed to it.
   */
  async withCard(
    scenario: BuiltScenario,
    dirs: string[],
    backupPrefix: string,
    body: (net: ScenarioNetwork, log: string[], backupDir: string) => Promise<void>,
  ): Promise<void> {
    const net = await scenarioNetwork(scenario);
    const log = apduLog(scenario.card);
    const backupDir = tempDir(backupPrefix);
    dirs.push(backupDir);
    const client = await this.insert(scenario.card);
    try {
      await body(net, log, backupDir);
    } finally {
      await this.remove(client);
      await net.close();
    }
  }

  private present(): boolean {
    return this.watcher.readers().find((r) => r.name === RIG_READER)?.cardPresent === true;
  }

  /** Puts the card in and waits until pcscd reports it. */
  async insert(card: VirtualCard): Promise<VpcdCardClient> {
    const client = new VpcdCardClient(card, { port: this.rig.port });
    await client.insert();
    await waitFor('pcscd to see the card', () => this.present(), 15_000);
    return client;
  }

  /** Takes the card out (if it did not leave by itself) and waits until pcscd reports the reader empty. */
  async remove(client: VpcdCardClient): Promise<void> {
    await client.remove();
    await waitFor('pcscd to see the reader empty', () => !this.present(), 15_000);
  }

  close(): Promise<void> {
    return this.watcher.close();
  }
}

/** A test file's private pcscd and its vpcd reader (useRig). */
export interface LiveRig {
  rig: PcscdRig;
  reader: RigReader;
}

/**
 * Registers the file's hooks: before its tests, the bundle built (`build`, for files that spawn the CLI), a
 * private pcscd started and its vpcd reader opened; after them, both closed. Call it at the file's top level,
 * before any hook of the file's own, so the rig is up first and goes down first.
 */
export function useRig(options: { build?: boolean } = {}): LiveRig {
  const live = {} as LiveRig;
  before(async () => {
    if (options.build === true) {
      const build = spawnSync(process.execPath, ['scripts/build.mjs'], { encoding: 'utf8' });
      assert.equal(build.status, 0, `the build failed:\n${build.stderr}`);
    }
    live.rig = await startPcscd();
    live.reader = await RigReader.open(live.rig);
  });
  after(async () => {
    await live.reader?.close();
    await live.rig?.stop();
  });
  return live;
}
