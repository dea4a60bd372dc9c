/**
 * `moica-check report [--out FILE] [--full]` (issue 14 item 16): one file a card holder can send to the
 * helpline: versions, doctor, the read, the check (text and JSON), the trace of this run when `--trace FILE`
 * is given, and the event log when the TUI asks for it (`buildReport(options, { eventLog })`, key `e`). The
 * PIN is never present: nothing here asks for one, and traces redact PIN bytes. The holder's name is shown
 * as initials unless `--full`, in the text, the JSON and the trace's hex. Written 0600; an existing
 * non-regular file (a FIFO, a device) is refused.
 */
import { closeSync, constants, fchmodSync, ftruncateSync, lstatSync, openSync, readFileSync, writeSync } from 'node:fs';
import { MoicaError, toMoicaError } from '../errors.js';
import type { Options } from '../options.js';
import { VERSION } from '../version.js';
import { taipeiDateTime } from '../text/dates.js';
import { sanitize } from '../text/sanitize.js';
import { fail, jsonReplacer, printJson, type Io, printText } from './io.js';

export interface ReportExtras {
  /** The TUI's event log (already PIN-redacted by its source), oldest first. */
  eventLog?: readonly string[];
  /** "Now", for tests. */
  now?: Date;
}

export interface BuiltReport {
  text: string;
  /** The holder's names found (for masking checks): never printed. */
  cardNumber?: string;
}

/** A name as initials: Latin words → "J. S."; a CJK name keeps its first character (the surname): 王○○. */
export function initials(name: string): string {
  const trimmed = name.trim();
  if (/^[\p{Script=Han}\p{Script=Hangul}\p{Script=Hiragana}\p{Script=Katakana}]+$/u.test(trimmed)) {
    const chars = [...trimmed];
    return chars[0] + '○'.repeat(Math.max(chars.length - 1, 1));
  }
  return trimmed.split(/[\s,]+/).filter(Boolean).map((w) => `${[...w][0]!.toUpperCase()}.`).join(' ');
}

/** The CN values of a subject like "C=TW, CN=王小明, 2.5.4.5=…". */
export function commonNames(subject: string): string[] {
  return [...subject.matchAll(/(?:^|,\s*)CN=([^,]+)/g)].map((m) => m[1]!.trim()).filter((n) => n.length > 0);
}

/** Every form a name takes in a report: the text, its UTF-8 and UTF-16BE bytes as hex (spaced or not, any case). */
function nameForms(name: string): string[] {
  const hexes = [Buffer.from(name, 'utf8').toString('hex'), Buffer.from(name, 'utf16le').swap16().toString('hex')];
  const spaced = (h: string) => h.match(/../g)!.join(' ');
  return [name, ...hexes.flatMap((h) => [h, h.toUpperCase(), spaced(h), spaced(h.toUpperCase())])];
}

function mask(text: string, names: readonly string[]): string {
  let out = text;
  for (const name of names) {
    const short = initials(name);
    for (const form of nameForms(name)) out = out.split(form).join(form === name ? short : '[name]');
  }
  return out;
}

const section = (title: string, body: string) => `==== ${title} ====\n${body.endsWith('\n') ? body : `${body}\n`}\n`;

export async function buildReport(options: Options, extras: ReportExtras = {}): Promise<BuiltReport> {
  const now = extras.now ?? new Date();
  const parts: string[] = [];
  const names = new Set<string>();
  let cardNumber: string | undefined;
  parts.push(section('moica-check report', [
    `moica-check ${VERSION}`,
    `node ${process.version} · ${process.platform} ${process.arch}`,
    `created ${taipeiDateTime(now)} (Asia/Taipei)`,
    `language ${options.lang}${options.demo ? ` · demo ${options.demo}` : ''}`,
    'The PIN is never in this report.',
  ].join('\n')));

  // doctor
  try {
    const { runDoctor } = await import('../doctor/run.js');
    const { doctorTextReport } = await import('../doctor/report.js');
    const report = await runDoctor(options);
    parts.push(section('doctor', sanitize(doctorTextReport(report, options.lang, true), { keepNewlines: true })));
  } catch (e) {
    parts.push(section('doctor', `failed: ${sanitize(toMoicaError(e).message)}`));
  }

  // the read and the check
  try {
    const { openSession } = await import('../engine/session.js');
    const { runCheck } = await import('../engine/check.js');
    const { checkJson, checkText } = await import('./check-output.js');
    const { cardText } = await import('./card-report.js');
    const learned = {};
    const session = await openSession(options, learned);
    try {
      const { access, net } = session;
      cardNumber = access.info.number;
      for (const c of access.info.certificates) for (const n of commonNames(c.subject)) names.add(n);
      parts.push(section('read', sanitize(cardText(access.reader, access.info, options.lang), { keepNewlines: true })));
      try {
        const outcome = await runCheck(access, net);
        parts.push(section('check', sanitize(checkText(access.reader, access.info, outcome, options.lang), { keepNewlines: true })));
        parts.push(section('check (JSON)', JSON.stringify(checkJson(access.reader, access.info, outcome, options.lang), jsonReplacer, 2)));
      } catch (e) {
        const err = toMoicaError(e);
        parts.push(section('check', `failed: ${err.code}: ${sanitize(err.message)}`));
      }
    } finally {
      await session.close();
    }
  } catch (e) {
    const err = toMoicaError(e);
    parts.push(section('read', `failed: ${err.code}: ${sanitize(err.message)}`));
  }

  // the trace of this run (--trace FILE), PIN bytes already redacted by the trace itself
  if (options.trace !== undefined) {
    try {
      parts.push(section(`trace (${sanitize(options.trace)})`, sanitize(readFileSync(options.trace, 'utf8'), { keepNewlines: true })));
    } catch (e) {
      parts.push(section('trace', `not readable: ${sanitize(toMoicaError(e).message)}`));
    }
  }
  if (extras.eventLog !== undefined) parts.push(section('event log', extras.eventLog.map((l) => sanitize(l)).join('\n')));

  const text = parts.join('');
  return { text: options.full ? text : mask(text, [...names]), ...(cardNumber ? { cardNumber } : {}) };
}

/** The default file name: moica-check-report-YYYYMMDD-HHmm.txt (Taipei time), in the working directory. */
export function defaultReportPath(now: Date): string {
  return `moica-check-report-${taipeiDateTime(now).replace(/[-:]/g, '').replace(' ', '-')}.txt`;
}

/** Writes `text` to `path` with mode 0600 (also when the file existed); a non-regular file is refused. */
export function writePrivateFile(path: string, text: string): void {
  let existing;
  try {
    existing = lstatSync(path);
  } catch {
    existing = undefined;
  }
  if (existing && !existing.isFile()) throw new MoicaError('usage', `--out ${sanitize(path)} is not a regular file: refused.`);
  const fd = openSync(path, constants.O_WRONLY | constants.O_CREAT | constants.O_NOFOLLOW, 0o600);
  try {
    fchmodSync(fd, 0o600);
    ftruncateSync(fd, 0);
    writeSync(fd, text);
  } finally {
    closeSync(fd);
  }
}

/** Builds the report and writes it; returns the path (what the TUI calls for key `e`). */
export async function writeReport(options: Options, extras: ReportExtras = {}): Promise<string> {
  const now = extras.now ?? new Date();
  const path = options.out ?? defaultReportPath(now);
  const { text } = await buildReport(options, { ...extras, now });
  writePrivateFile(path, text);
  return path;
}

export async function run(options: Options, io: Io): Promise<number> {
  try {
    const path = await writeReport(options);
    if (options.json) printJson(io, { report: path });
    else printText(io.stdout, `${options.lang === 'zh-TW' ? '報告已寫入' : 'Report written to'} ${path}\n`);
    return 0;
  } catch (e) {
    return fail(io, options.json, {}, e);
  }
}
