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
import { isMoicaError, toMoicaError } from '../errors.js';
import type { Options } from '../options.js';
import { openCard, pickReader, type CardSource, type Learned } from '../card/open.js';
import { atrName, isVirtualAtr, looksLikeMoica } from '../card/moica.js';
import { EZ100PU_ID, readersWithoutPcsc, type UsbScan } from './usb.js';
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
  // A card with no ATR is one the reader powered without an answer: most often in upside down.
  if (atr === '') return { line: muteLine(reader.name, 'card.mute.no-atr', { reader: reader.name, atr: null }) };
  const base = { reader: reader.name, atr, atrLooksMoica: looksLikeMoica(atr), atrName: atrName(atr) ?? null, virtualAtr: isVirtualAtr(atr) };
  let opened: Awaited<ReturnType<typeof openCard>> | undefined;
  try {
    opened = await openCard({ reader: reader.name, timeoutMs: options.timeoutMs }, source, learned);
    const info = opened.info;
    const { kind, text } = kindParams(info);
    // The ATR list only names a card: the probe decided it is MOICA (card-number.ts, moica.ts).
    const params = { kind: '', number: info.number, atr, generation: info.generation, atrName: atrName(atr) ?? 'card.atr-unlisted' };
    let issuerDer: Uint8Array | undefined;
    // The issuing CA by key (registry/issuer.ts), never by name; its generation when the pinned fingerprints know it.
    let ca: Record<string, unknown> | undefined;
    let caInconsistent: string | undefined;
    if (wantIssuer) {
      const cas = await opened.card.caCertificates().catch(() => []);
      const card = opened.card;
      const slot = info.certificates[0]?.slot;
      try {
        const { trustOf } = await import('../engine/card-access.js');
        const trust = await trustOf(cas, slot === undefined ? undefined : () => card.certificate(slot));
        issuerDer = trust.caDer ?? undefined;
        ca = { issuer: trust.issuer, generation: trust.generation, name: trust.name, keyId: trust.keyId, sha256: trust.caSha256, chain: trust.chain, root: trust.root };
      } catch (e) {
        if (!isMoicaError(e, 'card-inconsistent')) throw e;
        caInconsistent = e.message;
      }
    }
    const details = {
      ...base, kind, generation: info.generation, number: info.number, consistent: info.consistent && caInconsistent === undefined,
      ...(ca ? { ca } : {}), ...(caInconsistent ? { caArea: caInconsistent } : {}),
    };
    if (!info.consistent || caInconsistent !== undefined) {
      return { info, issuerDer, line: { check: 'card', status: 'warn', code: 'card-inconsistent', summary: { key: 'card.inconsistent', params: { ...params, kind: text } }, next: { key: 'card.inconsistent.next' }, details } };
    }
    return { info, issuerDer, line: { check: 'card', status: 'ok', summary: { key: 'card.ok', params: { ...params, kind: text } }, details } };
  } catch (e) {
    const err = toMoicaError(e);
    if (err.code === 'not-moica') {
      return { line: { check: 'card', status: 'fail', code: 'not-moica', exitClass: 5, summary: { key: 'card.not-moica', params: { reader: reader.name, atr } }, next: { key: 'card.not-moica.next' }, details: { ...base, kind: 'not-moica' } } };
    }
    if (err.code === 'card-timeout' || /unresponsive|unpowered|mute/i.test(err.message)) {
      return { line: muteLine(reader.name, 'card.mute.timeout', { ...base, code: err.code }) };
    }
    const exitClass = err.exitCode === 3 ? 3 : 5;
    return { line: { check: 'card', status: 'fail', code: err.code, exitClass, summary: { key: 'card.error', params: { reader: reader.name, message: err.message } }, next: { key: 'card.error.next' }, details: base } };
  } finally {
    await opened?.close();
  }
}

function muteLine(reader: string, why: 'card.mute.no-atr' | 'card.mute.timeout', details: Record<string, unknown>): DoctorLine {
  return { check: 'card', status: 'fail', code: 'card-timeout', exitClass: 5, summary: { key: 'card.mute', params: { reader, why } }, next: { key: 'card.mute.next' }, details: { ...details, mute: true } };
}

/**
 * USB readers against PC/SC's list: an EZ100PU that PC/SC does not list is a missing driver (✖, exit 3:
 * the reader in the user's hand cannot be used); another reader PC/SC does not list is a warning.
 */
export function usbLine(scan: UsbScan, pcscReaders: readonly string[]): DoctorLine {
  const details = { source: scan.source, searched: scan.searched, readers: scan.readers, pcscReaders: [...pcscReaders] };
  if (scan.source === 'none') return { check: 'usb', status: 'skip', summary: { key: 'usb.unchecked', params: { searched: scan.searched } }, details };
  if (scan.readers.length === 0) return { check: 'usb', status: 'skip', summary: { key: 'usb.none', params: { searched: scan.searched } }, details };
  const missing = readersWithoutPcsc(scan, pcscReaders);
  const ez = missing.find((r) => r.id === EZ100PU_ID);
  if (ez) return { check: 'usb', status: 'fail', code: 'no-reader', exitClass: 3, summary: { key: 'usb.ez100pu', params: { id: ez.id } }, next: { key: 'usb.ez100pu.next' }, details: { ...details, missing } };
  const named = (list: typeof scan.readers) => list.map((r) => `${r.name} (${r.id})`).join(', ');
  if (missing.length > 0) return { check: 'usb', status: 'warn', summary: { key: 'usb.unlisted', params: { readers: named(missing) } }, next: { key: 'usb.unlisted.next' }, details: { ...details, missing } };
  return { check: 'usb', status: 'ok', summary: { key: 'usb.ok', params: { readers: named(scan.readers) } }, details };
}

/** systemd's view of pcscd.socket: active, inactive, or unknown (no systemd; MOICA_SYSTEMCTL for tests). */
export function socketState(timeoutMs = 3000, env: NodeJS.ProcessEnv = process.env): Promise<'active' | 'inactive' | 'unknown'> {
  return new Promise((resolve) => {
    execFile(env.MOICA_SYSTEMCTL || 'systemctl', ['is-active', 'pcscd.socket'], { timeout: timeoutMs }, (error, stdout) => {
      const word = String(stdout).trim().split('\n')[0];
      resolve(word === 'active' ? 'active' : ['inactive', 'failed', 'dead'].includes(word ?? '') ? 'inactive' : 'unknown');
    });
  });
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
    const fail = (key: 'pcsc.down' | 'pcsc.not-installed' | 'pcsc.not-activated' | 'pcsc.socket-silent', extra: Record<string, unknown> = {}, params: Record<string, string> = {}): { line: DoctorLine } =>
      ({ line: { check: 'pcsc', status: 'fail', code: 'pcsc-unavailable', exitClass: 3, summary: { key, params }, next: { key: `${key}.next` }, details: { ...details, ...extra } } });
    const installed = version !== null || existsSync('/usr/sbin/pcscd') || existsSync('/usr/bin/pcscd');
    if (!installed) return fail('pcsc.not-installed', { installed: false });
    // A socket named by PCSCLITE_CSOCK_NAME is a private pcscd: systemd's socket says nothing about it.
    const socket = process.env.PCSCLITE_CSOCK_NAME && !process.env.MOICA_SYSTEMCTL ? 'unknown' : await socketState();
    if (socket === 'active') return fail('pcsc.socket-silent', { installed: true, socketActivation: socket }, { version: version ?? '?' });
    if (socket === 'inactive') return fail('pcsc.not-activated', { installed: true, socketActivation: socket }, { version: version ?? '?', socket });
    return fail('pcsc.down', { installed: true, socketActivation: socket });
  }
  return {
    line: { check: 'pcsc', status: 'ok', summary: { key: 'pcsc.ok', params: { version: version ?? '?' } }, details },
    source: { transport, close: () => transport.close() },
  };
}

export function blocked(check: 'readers' | 'card', key: 'readers.blocked' | 'card.blocked'): DoctorLine {
  return { check, status: 'skip', summary: { key }, details: {} };
}

