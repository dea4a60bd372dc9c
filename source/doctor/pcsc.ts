/**
 * The card side of `doctor`: is pcsc-lite there (binding, service, version), which readers and drivers,
 * and what card (ATR; MOICA gen1 / gen2 / the virtual card / not MOICA, by probing it, read-only, no PIN).
 *
 * Decisions:
 * - pcsc-lite's version is `pcscd --version` (the daemon clients talk to comes from the same source
 *   package as libpcsclite; the library file name only says its soname). A pcscd not on PATH → "unknown".
 * - pcsc-lite does not tell a client which driver serves a reader. Known from the name: "Virtual PCD" is
 *   vsmartcard-vpcd; a name listed in the CCID driver's Info.plist (ifdFriendlyName) is ccid; otherwise
 *   "unknown". The drivers installed under /usr/lib/pcsc/drivers are listed in the details.
 */
import { execFile } from 'node:child_process';
import { existsSync, readdirSync, readFileSync } from 'node:fs';
import { toMoicaError } from '../errors.js';
import type { Options } from '../options.js';
import { openCard, pickReader, type CardSource, type Learned } from '../card/open.js';
import { isVirtualAtr, looksLikeMoica } from '../card/moica.js';
import type { CardInfo, ReaderState } from '../card/types.js';
import type { DoctorLine } from './types.js';

const DRIVERS_DIR = '/usr/lib/pcsc/drivers';
const CCID_PLIST = `${DRIVERS_DIR}/ifd-ccid.bundle/Contents/Info.plist`;

export function pcscdVersion(timeoutMs = 3000): Promise<string | null> {
  const run = (file: string) => new Promise<string | null>((resolve) => {
    execFile(file, ['--version'], { timeout: timeoutMs }, (error, stdout, stderr) => {
      const match = /pcsc-lite version ([0-9][0-9.]*[0-9])/.exec(`${stdout}${stderr}`);
      resolve(error && !match ? null : match?.[1] ?? null);
    });
  });
  return run('pcscd').then((v) => v ?? (existsSync('/usr/sbin/pcscd') ? run('/usr/sbin/pcscd') : null));
}

export function installedDrivers(): string[] {
  const out: string[] = [];
  const walk = (dir: string, depth: number) => {
    let names: string[] = [];
    try {
      names = readdirSync(dir);
    } catch {
      return;
    }
    for (const name of names) {
      if (name.endsWith('.bundle') || name.endsWith('.so')) out.push(name);
      else if (depth === 0) walk(`${dir}/${name}`, 1);
    }
  };
  walk(DRIVERS_DIR, 0);
  return out.sort();
}

let ccidNames: string[] | undefined;
function ccidReaderNames(): string[] {
  if (ccidNames === undefined) {
    try {
      const plist = readFileSync(CCID_PLIST, 'utf8');
      const list = /<key>ifdFriendlyName<\/key>\s*<array>([\s\S]*?)<\/array>/.exec(plist)?.[1] ?? '';
      ccidNames = [...list.matchAll(/<string>([^<]*)<\/string>/g)].map((m) => m[1]!.trim()).filter((n) => n.length > 0);
    } catch {
      ccidNames = [];
    }
  }
  return ccidNames;
}

/** The driver serving a reader, as far as the name tells (see the decision above). */
export function driverOf(readerName: string): string {
  if (readerName.startsWith('Virtual PCD')) return 'vsmartcard-vpcd';
  const base = readerName.replace(/(?: \[[^\]]*\])?(?: \([^)]*\))?(?: \d\d){2}$/, '').trim();
  return ccidReaderNames().some((n) => n === base || base.startsWith(n)) ? 'ccid' : 'unknown';
}

export function readersLine(readers: ReaderState[]): DoctorLine {
  if (readers.length === 0) {
    return {
      check: 'readers', status: 'fail', code: 'no-reader', exitClass: 3,
      summary: { key: 'readers.none' }, next: { key: 'readers.none.next' },
      details: { readers: [], installedDrivers: installedDrivers() },
    };
  }
  const listed = readers.map((r) => ({ name: r.name, driver: driverOf(r.name), cardPresent: r.cardPresent, atr: r.atr ?? null }));
  return {
    check: 'readers', status: 'ok',
    summary: { key: 'readers.ok', params: { readers: listed.map((r) => `${r.name} [${r.driver}]`).join(', ') } },
    details: { readers: listed, installedDrivers: installedDrivers() },
  };
}

export type CardKind = 'gen1' | 'gen2' | 'virtual' | 'not-moica';

export interface CardProbe {
  line: DoctorLine;
  info?: CardInfo;
  /** DER of the issuing CA read from the card, for a verified OCSP probe. */
  issuerDer?: Uint8Array;
}

function kindParams(info: CardInfo): { kind: CardKind; text: 'card.kind.gen1' | 'card.kind.gen2' | 'card.kind.virtual' } {
  if (info.virtual) return { kind: 'virtual', text: 'card.kind.virtual' };
  return info.generation === 1 ? { kind: 'gen1', text: 'card.kind.gen1' } : { kind: 'gen2', text: 'card.kind.gen2' };
}

/** Reads the card in the chosen reader (no PIN, nothing written), and its issuing CA when OCSP needs it. */
export async function probeCard(options: Pick<Options, 'reader' | 'timeoutMs'>, source: CardSource, wantIssuer: boolean): Promise<CardProbe> {
  const learned: Learned = {};
  let reader: ReaderState;
  try {
    reader = pickReader(source.transport.readers(), options.reader);
  } catch (e) {
    const err = toMoicaError(e);
    return { line: { check: 'card', status: 'fail', code: err.code, exitClass: 3, summary: { key: 'card.error', params: { reader: options.reader ?? '—', message: err.message } }, next: { key: 'readers.none.next' }, details: {} } };
  }
  if (!reader.cardPresent) {
    return { line: { check: 'card', status: 'fail', code: 'no-card', exitClass: 3, summary: { key: 'card.none', params: { reader: reader.name } }, next: { key: 'card.none.next' }, details: { reader: reader.name } } };
  }
  const atr = reader.atr ?? '';
  const base = { reader: reader.name, atr, atrLooksMoica: looksLikeMoica(atr), virtualAtr: isVirtualAtr(atr) };
  let opened: Awaited<ReturnType<typeof openCard>> | undefined;
  try {
    opened = await openCard({ reader: reader.name, timeoutMs: options.timeoutMs }, source, learned);
    const info = opened.info;
    const { kind, text } = kindParams(info);
    const params = { kind: '', number: info.number, atr, generation: info.generation };
    let issuerDer: Uint8Array | undefined;
    if (wantIssuer) {
      const issuer = info.certificates[0]?.issuer;
      const cas = await opened.card.caCertificates().catch(() => []);
      issuerDer = (cas.find((c) => c.subject === issuer) ?? cas[cas.length - 1])?.der;
    }
    const details = { ...base, kind, generation: info.generation, number: info.number, consistent: info.consistent };
    if (!info.consistent) {
      return { info, issuerDer, line: { check: 'card', status: 'warn', code: 'card-inconsistent', summary: { key: 'card.inconsistent', params: { ...params, kind: text } }, next: { key: 'card.inconsistent.next' }, details } };
    }
    return { info, issuerDer, line: { check: 'card', status: 'ok', summary: { key: 'card.ok', params: { ...params, kind: text } }, details } };
  } catch (e) {
    const err = toMoicaError(e);
    if (err.code === 'not-moica') {
      return { line: { check: 'card', status: 'fail', code: 'not-moica', exitClass: 5, summary: { key: 'card.not-moica', params: { reader: reader.name, atr } }, next: { key: 'card.not-moica.next' }, details: { ...base, kind: 'not-moica' } } };
    }
    const exitClass = err.exitCode === 3 ? 3 : 5;
    return { line: { check: 'card', status: 'fail', code: err.code, exitClass, summary: { key: 'card.error', params: { reader: reader.name, message: err.message } }, next: { key: 'card.error.next' }, details: base } };
  } finally {
    await opened?.close();
  }
}

/** pcsc-lite: binding, service, version. Returns the open PC/SC source when the service answers. */
export async function probePcsc(options: Pick<Options, 'timeoutMs'>): Promise<{ line: DoctorLine; source?: CardSource }> {
  const { loadPcsclite, PcscTransport } = await import('../card/pcsc.js');
  try {
    await loadPcsclite();
  } catch (e) {
    const err = toMoicaError(e);
    return { line: { check: 'pcsc', status: 'fail', code: err.code, exitClass: 3, summary: { key: 'pcsc.binding-missing' }, next: { key: 'pcsc.binding-missing.next' }, details: { binding: false, service: false } } };
  }
  const transport = await PcscTransport.create({ timeoutMs: options.timeoutMs });
  let timer: NodeJS.Timeout | undefined;
  await Promise.race([transport.ready(), new Promise((resolve) => { timer = setTimeout(resolve, options.timeoutMs); })]);
  clearTimeout(timer);
  const version = await pcscdVersion();
  const details = { binding: true, service: transport.serviceUp(), version, socket: process.env.PCSCLITE_CSOCK_NAME ?? null };
  if (!transport.serviceUp()) {
    await transport.close();
    return { line: { check: 'pcsc', status: 'fail', code: 'pcsc-unavailable', exitClass: 3, summary: { key: 'pcsc.down' }, next: { key: 'pcsc.down.next' }, details } };
  }
  return {
    line: { check: 'pcsc', status: 'ok', summary: { key: 'pcsc.ok', params: { version: version ?? '?' } }, details },
    source: { transport, close: () => transport.close() },
  };
}

export function blocked(check: 'readers' | 'card', key: 'readers.blocked' | 'card.blocked'): DoctorLine {
  return { check, status: 'skip', summary: { key }, details: {} };
}

