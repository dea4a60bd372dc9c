import { parseArgs } from 'node:util';
import { MoicaError } from './errors.js';

export const COMMANDS = ['readers', 'read', 'check', 'rewrite', 'doctor', 'serve-registry'] as const;
export type Command = (typeof COMMANDS)[number];
export const SCENARIOS = ['valid', 'rewrite', 'revoked', 'suspended', 'expired'] as const;
export type ScenarioName = (typeof SCENARIOS)[number];
/** `--demo` with no name: the B-1 scenario, the one that shows the whole flow (decided, see README). */
export const DEFAULT_SCENARIO: ScenarioName = 'rewrite';
export type Lang = 'zh-TW' | 'en';

/** Every flag of cli.md, parsed and checked. Commands receive this, never raw argv. */
export interface Options {
  command: Command | undefined;
  json: boolean;
  reader?: string;
  registry?: string;
  /** undefined: from the certificate's AIA; false: --no-ocsp; string: --ocsp URL. */
  ocsp?: string | false;
  demo?: ScenarioName;
  pkcs11Module?: string;
  pkcs11Token?: string;
  backupDir?: string;
  trace?: string;
  timeoutMs: number;
  lang: Lang;
  color: boolean;
  ascii: boolean;
  pinStdin: boolean;
  yes: boolean;
  data?: string;
  port?: number;
  /** `--help` or `--version` anywhere: print it and exit 0, nothing else runs. */
  show?: 'help' | 'version';
}

const DESCRIPTION = 'Check a Taiwanese citizen-certificate card (自然人憑證, MOICA) and rewrite stale certificates';

export const HELP = `
  Usage
    $ moica-check [options]                      the TUI (needs a terminal)
    $ moica-check readers [--json]               readers and the card in each
    $ moica-check read    [--json]               card number, serials, validity (card only, no network)
    $ moica-check check   [--json]               read + registry + OCSP -> verdict
    $ moica-check rewrite --pin-stdin [--yes] [--json]
                                                 rewrite the issued certificates (only when check says B-1)
    $ moica-check doctor  [--json]               what works and what does not, with what to do next
    $ moica-check serve-registry --data FILE [--port N]
                                                 the reference registry server

  Options
    --reader NAME            exact reader name, or a unique substring
    --registry URL           registry base URL (env MOICA_REGISTRY_URL)
    --ocsp URL | --no-ocsp   OCSP responder override, or no OCSP cross-check
    --demo [SCENARIO]        virtual card + in-process registry: valid|rewrite|revoked|suspended|expired
    --pkcs11-module PATH     the issuer's PKCS#11 module for real-card PIN and write (env MOICA_PKCS11_MODULE)
    --pkcs11-token ID        a PKCS#11 token (serial or label) as the card, when no PC/SC card is used
    --backup-dir DIR         where certificates are backed up before a rewrite
    --trace FILE             write every APDU with timing (PIN bytes redacted)
    --timeout MS             network and card timeout (default 10000)
    --lang zh-TW|en          language (default from LANG/LC_ALL)
    --no-color               no colours (also NO_COLOR, TERM=dumb)
    --ascii                  ASCII borders and glyphs
    --json                   one JSON document on stdout
    --pin-stdin              read the PIN from standard input (rewrite)
    --yes                    do not ask for confirmation (rewrite)
    --help, --version

  Exit codes
    0 ok (verdict A, rewrite done)   10 verdict B-1   20 verdict C   2 usage   3 no PC/SC, reader or card
    4 registry   5 card   6 PIN wrong or blocked   130 cancelled
`;

function langFromEnv(env: NodeJS.ProcessEnv): Lang {
  const v = env.LC_ALL || env.LC_MESSAGES || env.LANG || '';
  return v.toLowerCase().startsWith('zh') ? 'zh-TW' : 'en';
}

/** The flags, by their documented (kebab-case) names. Booleans also take `--no-NAME`. */
const STRING_FLAGS = ['reader', 'registry', 'ocsp', 'demo', 'pkcs11-module', 'pkcs11-token', 'backup-dir', 'trace',
  'timeout', 'lang', 'data', 'port'] as const;
const BOOLEAN_FLAGS = ['json', 'color', 'ascii', 'pin-stdin', 'yes', 'help', 'version'] as const;
type StringFlag = (typeof STRING_FLAGS)[number];
type BooleanFlag = (typeof BOOLEAN_FLAGS)[number];
const isString = (name: string): name is StringFlag => (STRING_FLAGS as readonly string[]).includes(name);
const isBoolean = (name: string): name is BooleanFlag => (BOOLEAN_FLAGS as readonly string[]).includes(name);
/** `--pkcs11Module` is taken as `--pkcs11-module` (camelCase spellings were accepted before). */
const kebab = (name: string): string => name.replace(/[A-Z]/g, (c) => `-${c.toLowerCase()}`);
const isNegativeNumber = (arg: string): boolean => /^-(?:\d+|\d*\.\d+)(?:e[+-]?\d+)?$/i.test(arg);

/**
 * Puts every long flag in one form before util.parseArgs sees it: a string flag always as `--name=value`
 * (an empty value when none follows, so "needs a value" is ours to say), `--demo` taking the next word only
 * when it is a scenario name, `--no-NAME` of a boolean as `--no-NAME` (declared below), camelCase as kebab.
 */
function normalise(argv: readonly string[]): string[] {
  const out: string[] = [];
  for (let i = 0; i < argv.length; i++) {
    const arg = argv[i]!;
    if (arg === '--') { out.push(...argv.slice(i)); break; }
    if (!arg.startsWith('--')) { out.push(arg); continue; }
    const eq = arg.indexOf('=');
    const rawName = arg.slice(2, eq === -1 ? undefined : eq);
    const name = /[A-Z]/.test(rawName) && (isString(kebab(rawName)) || isBoolean(kebab(rawName))) ? kebab(rawName) : rawName;
    const inline = eq === -1 ? undefined : arg.slice(eq + 1);
    if (isString(name)) {
      if (inline !== undefined) { out.push(`--${name}=${inline}`); continue; }
      const next = argv[i + 1];
      if (name === 'demo') {
        if (next !== undefined && (SCENARIOS as readonly string[]).includes(next)) { out.push(`--demo=${next}`); i++; }
        else out.push(`--demo=${DEFAULT_SCENARIO}`);
        continue;
      }
      if (next !== undefined && (!next.startsWith('-') || isNegativeNumber(next))) { out.push(`--${name}=${next}`); i++; }
      else out.push(`--${name}=`);
      continue;
    }
    out.push(name === rawName ? arg : `--${name}${inline === undefined ? '' : `=${inline}`}`);
  }
  return out;
}

interface Parsed {
  positionals: string[];
  strings: Partial<Record<StringFlag, string>>;
  booleans: Partial<Record<BooleanFlag, boolean>>;
  /** `--no-ocsp` */
  noOcsp: boolean;
  /** Flags nobody declared, as typed (a group of short flags once, as typed). */
  unknown: string[];
}

/** util.parseArgs over the normalised argv, its tokens read one by one (all unknown flags are collected). */
function parse(argv: readonly string[]): Parsed {
  const args = normalise(argv);
  const options: Record<string, { type: 'string' | 'boolean' }> = {};
  for (const f of STRING_FLAGS) options[f] = { type: 'string' };
  for (const f of BOOLEAN_FLAGS) options[f] = { type: 'boolean' };
  for (const f of [...BOOLEAN_FLAGS, 'ocsp']) options[`no-${f}`] = { type: 'boolean' };
  const { tokens } = parseArgs({ args, options, strict: false, allowPositionals: true, tokens: true });
  const parsed: Parsed = { positionals: [], strings: {}, booleans: {}, noOcsp: false, unknown: [] };
  const seen = new Set<string>();
  const once = (name: string) => {
    if (seen.has(name)) throw new MoicaError('usage', `The flag --${name} can only be set once.`);
    seen.add(name);
  };
  let lastShortIndex = -1;
  for (const token of tokens) {
    if (token.kind === 'positional') { parsed.positionals.push(token.value); continue; }
    if (token.kind !== 'option') continue;
    const { name } = token;
    if (!(name in options) || (token.rawName.startsWith('-') && !token.rawName.startsWith('--'))) {
      // A group like `-abc` yields a token per letter, all with the same index: report it once, as typed.
      if (token.rawName.startsWith('--')) parsed.unknown.push(args[token.index]!);
      else if (token.index !== lastShortIndex) { parsed.unknown.push(args[token.index]!); lastShortIndex = token.index; }
      continue;
    }
    if (isString(name)) {
      once(name);
      parsed.strings[name] = token.value ?? '';
    } else if (name === 'no-ocsp') {
      once('ocsp');
      parsed.noOcsp = true;
    } else if (name.startsWith('no-')) {
      parsed.booleans[name.slice(3) as BooleanFlag] = false;
    } else {
      const v = token.inlineValue ? token.value : 'true';
      if (v !== 'true' && v !== 'false') throw new MoicaError('usage', `--${name} takes no value.`);
      parsed.booleans[name as BooleanFlag] = v === 'true';
    }
  }
  return parsed;
}

/** What `--help` prints (on stdout, exit 0): the description, then HELP. */
export function helpText(): string {
  return `\n  ${DESCRIPTION}\n\n${HELP.replace(/^\n+|\n+$/g, '')}\n\n`;
}

export function parseOptions(argv: readonly string[], env: NodeJS.ProcessEnv = process.env): Options {
  const p = parse(argv);
  if (p.unknown.length > 0) {
    throw new MoicaError('usage', [`Unknown flag${p.unknown.length > 1 ? 's' : ''}`, ...p.unknown].join('\n'), { unknownFlags: p.unknown });
  }
  const show = p.booleans.help ? 'help' : p.booleans.version ? 'version' : undefined;
  const f = {
    ...p.strings,
    json: p.booleans.json ?? false,
    color: p.booleans.color ?? true,
    ascii: p.booleans.ascii ?? false,
    pinStdin: p.booleans['pin-stdin'] ?? false,
    yes: p.booleans.yes ?? false,
    pkcs11Module: p.strings['pkcs11-module'],
    pkcs11Token: p.strings['pkcs11-token'],
    backupDir: p.strings['backup-dir'],
  };
  const [cmd, ...extra] = p.positionals;
  if (show !== undefined) {
    const lang: Lang = f.lang === 'zh-TW' || f.lang === 'en' ? f.lang : langFromEnv(env);
    return { command: undefined, json: f.json, timeoutMs: 10_000, lang, color: false, ascii: false, pinStdin: false, yes: false, show };
  }
  if (cmd !== undefined && !(COMMANDS as readonly string[]).includes(cmd)) {
    throw new MoicaError('usage', `Unknown command "${cmd}". Commands: ${COMMANDS.join(', ')}.`);
  }
  if (extra.length > 0) throw new MoicaError('usage', `Unexpected argument "${extra[0]}".`);
  const ocsp = p.noOcsp ? false : f.ocsp;
  if (ocsp === '') throw new MoicaError('usage', '--ocsp needs a URL.');
  let demo: ScenarioName | undefined;
  if (f.demo !== undefined) {
    if (!(SCENARIOS as readonly string[]).includes(f.demo)) {
      throw new MoicaError('usage', `Unknown demo scenario "${f.demo}". Scenarios: ${SCENARIOS.join(', ')}.`);
    }
    demo = f.demo as ScenarioName;
  }
  const timeoutMs = f.timeout === undefined ? 10_000 : Number(f.timeout);
  if (!Number.isInteger(timeoutMs) || timeoutMs < 1 || timeoutMs > 600_000) {
    throw new MoicaError('usage', '--timeout takes milliseconds, a whole number from 1 to 600000.');
  }
  let lang: Lang = langFromEnv(env);
  if (f.lang !== undefined) {
    if (f.lang !== 'zh-TW' && f.lang !== 'en') throw new MoicaError('usage', '--lang takes zh-TW or en.');
    lang = f.lang;
  }
  let port: number | undefined;
  if (f.port !== undefined) {
    port = Number(f.port);
    if (!Number.isInteger(port) || port < 0 || port > 65535) throw new MoicaError('usage', '--port takes 0-65535.');
  }
  const color = f.color && !('NO_COLOR' in env && env.NO_COLOR !== '') && env.TERM !== 'dumb';
  for (const [name, value] of [['reader', f.reader], ['registry', f.registry], ['pkcs11-module', f.pkcs11Module],
    ['pkcs11-token', f.pkcs11Token], ['backup-dir', f.backupDir], ['trace', f.trace], ['data', f.data]] as const) {
    if (value === '') throw new MoicaError('usage', `--${name} needs a value.`);
  }
  if (cmd === 'serve-registry' && f.data === undefined && demo === undefined) {
    throw new MoicaError('usage', 'serve-registry needs --data FILE (or --demo).');
  }
  return {
    command: cmd as Command | undefined,
    json: f.json,
    reader: f.reader,
    registry: f.registry ?? (env.MOICA_REGISTRY_URL || undefined),
    ocsp,
    demo,
    pkcs11Module: f.pkcs11Module ?? (env.MOICA_PKCS11_MODULE || undefined),
    pkcs11Token: f.pkcs11Token,
    backupDir: f.backupDir,
    trace: f.trace,
    timeoutMs,
    lang,
    color,
    ascii: f.ascii,
    pinStdin: f.pinStdin,
    yes: f.yes,
    data: f.data,
    port,
  };
}
