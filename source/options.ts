import meow from 'meow';
import { MoicaError } from './errors.js';
import { VERSION } from './version.js';

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

/** `--demo` takes an optional value: only a scenario name is taken as its value. */
function normaliseDemo(argv: readonly string[]): string[] {
  const out: string[] = [];
  for (let i = 0; i < argv.length; i++) {
    const a = argv[i]!;
    if (a === '--demo') {
      const next = argv[i + 1];
      if (next !== undefined && (SCENARIOS as readonly string[]).includes(next)) {
        out.push(`--demo=${next}`);
        i++;
      } else out.push(`--demo=${DEFAULT_SCENARIO}`);
    } else out.push(a);
  }
  return out;
}

export function parseOptions(argv: readonly string[], env: NodeJS.ProcessEnv = process.env, importMetaUrl = import.meta.url): Options {
  const cli = meow(HELP, {
    importMeta: { url: importMetaUrl } as ImportMeta,
    // Given, so meow does not search the file system for package.json at every start.
    pkg: { name: 'moica-check', version: VERSION, description: DESCRIPTION },
    argv: normaliseDemo(argv),
    autoHelp: true,
    autoVersion: true,
    allowUnknownFlags: false,
    flags: {
      json: { type: 'boolean', default: false },
      reader: { type: 'string' },
      registry: { type: 'string' },
      ocsp: { type: 'string' },
      demo: { type: 'string' },
      pkcs11Module: { type: 'string' },
      pkcs11Token: { type: 'string' },
      backupDir: { type: 'string' },
      trace: { type: 'string' },
      timeout: { type: 'string' },
      lang: { type: 'string' },
      color: { type: 'boolean', default: true },
      ascii: { type: 'boolean', default: false },
      pinStdin: { type: 'boolean', default: false },
      yes: { type: 'boolean', default: false },
      data: { type: 'string' },
      port: { type: 'string' },
    },
  });
  const f = cli.flags;
  const [cmd, ...extra] = cli.input;
  if (cmd !== undefined && !(COMMANDS as readonly string[]).includes(cmd)) {
    throw new MoicaError('usage', `Unknown command "${cmd}". Commands: ${COMMANDS.join(', ')}.`);
  }
  if (extra.length > 0) throw new MoicaError('usage', `Unexpected argument "${extra[0]}".`);
  // Meow turns `--no-ocsp` into ocsp === false even for a string flag.
  const ocspRaw = f.ocsp as string | boolean | undefined;
  const ocsp = ocspRaw === false ? false : typeof ocspRaw === 'string' ? ocspRaw : undefined;
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
