import { parseArgs } from 'node:util';
import { MoicaError } from './errors.js';

export const COMMANDS = ['readers', 'read', 'check', 'rewrite', 'doctor', 'serve-registry', 'report'] as const;
export type Command = (typeof COMMANDS)[number];
export const SCENARIOS = ['valid', 'rewrite', 'revoked', 'suspended', 'expired'] as const;
export type ScenarioName = (typeof SCENARIOS)[number];
/** `--demo` with no name: the B-1 scenario, the one that shows the whole flow (decided, see README). */
export const DEFAULT_SCENARIO: ScenarioName = 'rewrite';
import type { Lang } from './i18n/t.js';
export type { Lang };

/** Every flag of cli.md, parsed and checked. Commands receive this, never raw argv. */
export interface Options {
  command: Command | undefined;
  json: boolean;
  reader?: string;
  registry?: string;
  /**
   * string: --ocsp URL, which overrides; false: --no-ocsp; undefined: the card's CA chooses (the issuer
   * table's responder by key id, else the holder certificate's AIA, else the issuer's published one:
   * registry/ocsp-url.ts, registry/where.ts).
   */
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
  /** `rewrite`: spend the card's last PIN try without a question (a wrong PIN then blocks the card). */
  lastTry: boolean;
  /** `readers --watch`: one line per reader or card event until SIGINT/SIGTERM (exit 0). */
  watch: boolean;
  /** `report --full`: the holder's name in full (else initials). */
  full: boolean;
  /** `report --out FILE`. */
  out?: string;
  data?: string;
  port?: number;
  /** `rewrite --certificate FILE` (repeatable, at most two with --serial): the new certificates, no registry. */
  certificates?: string[];
  /** `rewrite --serial HEX` (repeatable): downloaded from the issuer's public certificate download. */
  serials?: string[];
  /** `--ocsp-responder FILE` (repeatable): delegated OCSP responder certificates to trust (pinned). */
  ocspResponders?: string[];
  /** `--no-crl`: no CRL download; statuses from OCSP and notAfter only. */
  crl?: false;
  /** `--help` or `--version` anywhere: print it and exit 0, nothing else runs. */
  show?: 'help' | 'version';
}

const DESCRIPTION = 'Check a Taiwanese citizen-certificate card (自然人憑證, MOICA) and rewrite stale certificates';

export const HELP = `
  Usage
    $ moica-check [options]                      the TUI (needs a terminal)
    $ moica-check readers [--json]               readers and the card in each
    $ moica-check read    [--json]               card number, serials, validity (card only, no network)
    $ moica-check check   [--json]               read + OCSP/CRL (+ registry) -> verdict
    $ moica-check rewrite --pin-stdin [--yes] [--json]
                                                 rewrite the issued certificates (only when check says B-1)
    $ moica-check doctor  [--json]               what works and what does not, with what to do next
    $ moica-check serve-registry --data FILE [--port N]
                                                 the reference registry server
    $ moica-check readers --watch [--json]       one line per reader or card event, until Ctrl+C
    $ moica-check report [--out FILE] [--full]   one file for the helpline: doctor, the read, the check

  Options
    --reader NAME            exact reader name, or a unique substring
    --registry URL           registry base URL (env MOICA_REGISTRY_URL)
    --ocsp URL | --no-ocsp   OCSP responder override, or no OCSP cross-check
    --ocsp-responder FILE    trust this delegated OCSP responder certificate (repeatable)
    --no-crl                 no CRL download: statuses from OCSP and the expiry date only
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
    --certificate FILE       rewrite with no registry: a new certificate (DER or PEM; slot from its key usage;
                             at most two, one per slot)
    --serial HEX             rewrite with no registry: a new certificate by serial, from the issuer's download
                             (env MOICA_CERT_DOWNLOAD_URL replaces the download's base URL)
    --last-try               spend the card's last PIN try without asking (rewrite)
    --watch                  keep listing reader and card events (readers)
    --out FILE               where the report goes (report; default moica-check-report-<time>.txt)
    --full                   the holder's name in full, not initials (report)
    -h, --help, -v, --version

  Exit codes
    0 ok (verdict A, rewrite done)   10 verdict B-1   20 verdict C   2 usage or malformed PIN
    3 no PC/SC, reader or card   4 registry   5 card   6 PIN wrong or blocked   130 cancelled
`;

const DESCRIPTION_ZH = '檢查自然人憑證IC卡(MOICA)，並重寫卡上過時的憑證';

/** HELP in zh-TW (under a zh locale or --lang zh-TW): the same lines, the same flags (a test keeps them equal). */
export const HELP_ZH = `
  用法
    $ moica-check [選項]                         文字介面(需要終端機)
    $ moica-check readers [--json]               讀卡機，以及每台讀卡機中的卡片
    $ moica-check read    [--json]               卡號、憑證序號、效期(只讀卡片，不連網路)
    $ moica-check check   [--json]               讀卡 + OCSP/CRL(+ 憑證資料庫) -> 判定
    $ moica-check rewrite --pin-stdin [--yes] [--json]
                                                 重寫已簽發的憑證(僅在檢查判定為 B-1 時)
    $ moica-check doctor  [--json]               環境診斷：哪些正常、哪些不正常，以及下一步
    $ moica-check serve-registry --data FILE [--port N]
                                                 參考用的憑證資料庫伺服器
    $ moica-check readers --watch [--json]       每個讀卡機或卡片事件一行，直到 Ctrl+C
    $ moica-check report [--out FILE] [--full]   給客服的一份檔案：環境診斷、讀卡、檢查結果

  選項
    --reader NAME            讀卡機的完整名稱，或可唯一辨識的部分名稱
    --registry URL           憑證資料庫網址(環境變數 MOICA_REGISTRY_URL)
    --ocsp URL | --no-ocsp   指定 OCSP 服務，或不做 OCSP 交叉檢查
    --ocsp-responder FILE    信任此 OCSP 委任回應者憑證(可重複)
    --no-crl                 不下載憑證廢止清冊(CRL)：狀態只依 OCSP 與效期
    --demo [SCENARIO]        虛擬卡片 + 程式內的憑證資料庫：valid|rewrite|revoked|suspended|expired
    --pkcs11-module PATH     實體卡 PIN 與寫入用的 PKCS#11 模組(環境變數 MOICA_PKCS11_MODULE)
    --pkcs11-token ID        以 PKCS#11 token(序號或標籤)作為卡片，不使用 PC/SC 卡片時
    --backup-dir DIR         重寫前備份憑證的目錄
    --trace FILE             記錄每個 APDU 與時間(PIN 位元組已遮蔽)
    --timeout MS             網路與卡片逾時(預設 10000)
    --lang zh-TW|en          語言(預設依 LANG/LC_ALL)
    --no-color               不使用顏色(NO_COLOR、TERM=dumb 亦同)
    --ascii                  使用 ASCII 框線與符號
    --json                   在標準輸出印出一份 JSON 文件
    --pin-stdin              從標準輸入讀取 PIN 碼(rewrite)
    --yes                    不詢問確認(rewrite)
    --certificate FILE       無憑證資料庫時重寫：新憑證檔(DER 或 PEM；依金鑰用途決定卡槽；
                             最多兩個，每個卡槽一個)
    --serial HEX             無憑證資料庫時重寫：依序號自發卡單位下載新憑證
                             (環境變數 MOICA_CERT_DOWNLOAD_URL 可取代下載網址)
    --last-try               不詢問即使用卡片最後一次 PIN 碼嘗試(rewrite)
    --watch                  持續列出讀卡機與卡片事件(readers)
    --out FILE               報告的存放位置(report；預設 moica-check-report-<時間>.txt)
    --full                   持卡人姓名完整顯示，不只縮寫(report)
    -h, --help, -v, --version

  結束代碼
    0 正常(判定 A、重寫完成)   10 判定 B-1   20 判定 C   2 用法錯誤或 PIN 碼格式錯誤
    3 無 PC/SC、讀卡機或卡片   4 憑證資料庫   5 卡片   6 PIN 碼錯誤或已鎖定   130 已取消
`;

function langFromEnv(env: NodeJS.ProcessEnv): Lang {
  const v = env.LC_ALL || env.LC_MESSAGES || env.LANG || '';
  return v.toLowerCase().startsWith('zh') ? 'zh-TW' : 'en';
}

/** The flags, by their documented (kebab-case) names. Booleans also take `--no-NAME`. */
const STRING_FLAGS = ['reader', 'registry', 'ocsp', 'demo', 'pkcs11-module', 'pkcs11-token', 'backup-dir', 'trace',
  'timeout', 'lang', 'data', 'port', 'certificate', 'serial', 'out', 'ocsp-responder'] as const;
/** String flags that may be given more than once (collected in order). */
const REPEATABLE = new Set<string>(['certificate', 'serial', 'ocsp-responder']);
const BOOLEAN_FLAGS = ['json', 'color', 'ascii', 'pin-stdin', 'yes', 'last-try', 'watch', 'full', 'crl', 'help', 'version'] as const;
/** The only short flags. */
const SHORT: Partial<Record<BooleanFlag, string>> = { help: 'h', version: 'v' };
type StringFlag = (typeof STRING_FLAGS)[number];
type BooleanFlag = (typeof BOOLEAN_FLAGS)[number];
const isString = (name: string): name is StringFlag => (STRING_FLAGS as readonly string[]).includes(name);
const isBoolean = (name: string): name is BooleanFlag => (BOOLEAN_FLAGS as readonly string[]).includes(name);
/** `--pkcs11Module` is taken as `--pkcs11-module` (camelCase spellings were accepted before). */
const kebab = (name: string): string => name.replace(/[A-Z]/g, (c) => `-${c.toLowerCase()}`);
const isNegativeNumber = (arg: string): boolean => /^-(?:\d+|\d*\.\d+)(?:e[+-]?\d+)?$/i.test(arg);

/**
 * Puts every long flag in one form before util.parseArgs sees it: a string flag always as `--name=value`
 * (an empty value when none follows, so "needs a value" is ours to say), `--demo` taking the next word
 * unless it is a command or a flag (so `--demo bogus` is an unknown scenario, `--demo check` the command),
 * `--no-NAME` of a boolean as is (declared below), camelCase as kebab.
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
        const scenario = next !== undefined && (SCENARIOS as readonly string[]).includes(next);
        if (next !== undefined && (scenario || (!next.startsWith('-') && !(COMMANDS as readonly string[]).includes(next)))) { out.push(`--demo=${next}`); i++; }
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

/** A value that may be a PIN typed in the wrong place: never repeated in an error (issue 13). */
export function looksLikePin(value: string): boolean {
  return /^\s*\d{4,}\s*$/.test(value);
}
/** A flag name that asks for a secret (`--pin`, `--PIN-code`, `--password`): its value is never repeated. */
const secretFlag = (name: string): boolean => /pin|pass|pwd|secret/i.test(name) && name !== 'pin-stdin';

/** Usage-error texts, in both languages (English as meow printed them where meow printed them). */
const USAGE = {
  'unknown-flags': { en: (n: number) => `Unknown flag${n > 1 ? 's' : ''}`, 'zh-TW': () => '不明的選項' },
  'pin-in-argv': {
    en: 'A PIN is only read from standard input (rewrite --pin-stdin), never from the command line; what was typed is not repeated here.',
    'zh-TW': 'PIN碼只從標準輸入讀取(rewrite --pin-stdin)，不從命令列讀取；輸入的內容不在此重複顯示。',
  },
  'unknown-command': {
    en: (cmd: string) => `Unknown command "${cmd}". Commands: ${COMMANDS.join(', ')}.`,
    'zh-TW': (cmd: string) => `不明的指令「${cmd}」。可用的指令：${COMMANDS.join('、')}。`,
  },
  'did-you-mean': { en: (cmd: string) => ` Did you mean \`${cmd}\`?`, 'zh-TW': (cmd: string) => `您是指 \`${cmd}\` 嗎？` },
  'unexpected-argument': {
    en: (arg: string) => `Unexpected argument "${arg}".`,
    'zh-TW': (arg: string) => `多餘的參數「${arg}」。`,
  },
  'unknown-scenario': {
    en: (name: string) => `Unknown demo scenario "${name}". Scenarios: ${SCENARIOS.join(', ')}.`,
    'zh-TW': (name: string) => `不明的示範情境「${name}」。可用的情境：${SCENARIOS.join('、')}。`,
  },
  once: { en: (flag: string) => `The flag --${flag} can only be set once.`, 'zh-TW': (flag: string) => `選項 --${flag} 只能指定一次。` },
  'no-value': { en: (flag: string) => `--${flag} takes no value.`, 'zh-TW': (flag: string) => `--${flag} 不接受值。` },
  'needs-value': { en: (flag: string) => `--${flag} needs a value.`, 'zh-TW': (flag: string) => `--${flag} 需要一個值。` },
  'ocsp-url': { en: '--ocsp needs a URL.', 'zh-TW': '--ocsp 需要一個網址。' },
  'ocsp-scheme': { en: '--ocsp takes an http(s) URL.', 'zh-TW': '--ocsp 須為 http(s) 網址。' },
  timeout: {
    en: '--timeout takes milliseconds, a whole number from 1 to 600000.',
    'zh-TW': '--timeout 以毫秒為單位，須為 1 到 600000 的整數。',
  },
  lang: { en: '--lang takes zh-TW or en.', 'zh-TW': '--lang 只接受 zh-TW 或 en。' },
  port: { en: '--port takes 0-65535.', 'zh-TW': '--port 須為 0-65535。' },
  'serve-data': { en: 'serve-registry needs --data FILE (or --demo).', 'zh-TW': 'serve-registry 需要 --data FILE(或 --demo)。' },
  'see-help': { en: 'Run moica-check --help for usage.', 'zh-TW': '用法請執行 moica-check --help。' },
} as const;

/** The line under every usage error in text mode. */
export function seeHelp(lang: Lang): string {
  return USAGE['see-help'][lang];
}

/** Levenshtein distance, for "did you mean" (short words only). */
function distance(a: string, b: string): number {
  const row = Array.from({ length: b.length + 1 }, (_, i) => i);
  for (let i = 1; i <= a.length; i++) {
    let prev = row[0]!;
    row[0] = i;
    for (let j = 1; j <= b.length; j++) {
      const cur = row[j]!;
      row[j] = Math.min(row[j]! + 1, row[j - 1]! + 1, prev + (a[i - 1] === b[j - 1] ? 0 : 1));
      prev = cur;
    }
  }
  return row[b.length]!;
}

/** The command a mistyped word was most likely meant to be (distance ≤ 2, or a unique prefix). */
export function suggestCommand(word: string): Command | undefined {
  const w = word.toLowerCase();
  const prefixed = COMMANDS.filter((c) => w.length >= 3 && c.startsWith(w));
  if (prefixed.length === 1) return prefixed[0];
  let best: Command | undefined;
  let bestD = 3;
  for (const c of COMMANDS) {
    const d = distance(w, c);
    if (d < bestD) { best = c; bestD = d; }
  }
  return best;
}

interface Parsed {
  positionals: string[];
  strings: Partial<Record<StringFlag, string>>;
  /** Every value of a repeatable flag, in order. */
  lists: Partial<Record<StringFlag, string[]>>;
  booleans: Partial<Record<BooleanFlag, boolean>>;
  /** `--no-ocsp` */
  noOcsp: boolean;
  /** Flags nobody declared, as typed (a group of short flags once, as typed); a secret's value left out. */
  unknown: string[];
  /** An unknown flag that carried a PIN-like value or asked for a secret. */
  pinInArgv: boolean;
}

/** util.parseArgs over the normalised argv, its tokens read one by one (all unknown flags are collected). */
function parse(argv: readonly string[], lang: Lang): Parsed {
  const args = normalise(argv);
  const options: Record<string, { type: 'string' | 'boolean'; short?: string }> = {};
  for (const f of STRING_FLAGS) options[f] = { type: 'string' };
  for (const f of BOOLEAN_FLAGS) options[f] = { type: 'boolean', ...(SHORT[f] ? { short: SHORT[f] } : {}) };
  for (const f of [...BOOLEAN_FLAGS, 'ocsp']) options[`no-${f}`] = { type: 'boolean' };
  const { tokens } = parseArgs({ args, options, strict: false, allowPositionals: true, tokens: true });
  const parsed: Parsed = { positionals: [], strings: {}, lists: {}, booleans: {}, noOcsp: false, unknown: [], pinInArgv: false };
  const seen = new Set<string>();
  const once = (name: string) => {
    if (seen.has(name)) throw new MoicaError('usage', USAGE.once[lang](name));
    seen.add(name);
  };
  const shortKnown = new Set(Object.values(SHORT));
  let lastShortIndex = -1;
  for (const token of tokens) {
    if (token.kind === 'positional') { parsed.positionals.push(token.value); continue; }
    if (token.kind !== 'option') continue;
    const { name } = token;
    const isShort = !token.rawName.startsWith('--');
    if (!(name in options) || (isShort && !shortKnown.has(token.rawName.slice(1)))) {
      // A group like `-abc` yields a token per letter, all with the same index: report it once, as typed.
      if (!isShort) {
        const typed = args[token.index]!;
        const eq = typed.indexOf('=');
        const value = eq === -1 ? '' : typed.slice(eq + 1);
        if (secretFlag(name) || looksLikePin(value)) {
          parsed.pinInArgv = true;
          parsed.unknown.push(eq === -1 ? typed : typed.slice(0, eq));
        } else parsed.unknown.push(typed);
      } else if (token.index !== lastShortIndex) {
        parsed.unknown.push(looksLikePin(args[token.index]!.slice(1)) ? '-…' : args[token.index]!);
        if (looksLikePin(args[token.index]!.slice(1))) parsed.pinInArgv = true;
        lastShortIndex = token.index;
      }
      continue;
    }
    if (isString(name) && REPEATABLE.has(name)) {
      (parsed.lists[name] ??= []).push(token.value ?? '');
    } else if (isString(name)) {
      once(name);
      parsed.strings[name] = token.value ?? '';
    } else if (name === 'no-ocsp') {
      once('ocsp');
      parsed.noOcsp = true;
    } else if (name.startsWith('no-')) {
      parsed.booleans[name.slice(3) as BooleanFlag] = false;
    } else {
      const v = token.inlineValue ? token.value : 'true';
      if (v !== 'true' && v !== 'false') {
        throw new MoicaError('usage', USAGE['no-value'][lang](name) + (looksLikePin(v ?? '') ? ` ${USAGE['pin-in-argv'][lang]}` : ''));
      }
      parsed.booleans[name as BooleanFlag] = v === 'true';
    }
  }
  return parsed;
}

/** What `--help` prints (on stdout, exit 0): the description, then HELP (HELP_ZH under zh-TW). */
export function helpText(lang: Lang = 'en'): string {
  const [description, help] = lang === 'zh-TW' ? [DESCRIPTION_ZH, HELP_ZH] : [DESCRIPTION, HELP];
  return `\n  ${description}\n\n${help.replace(/^\n+|\n+$/g, '')}\n\n`;
}

/**
 * The language of the usage texts, before the flags are known to parse: `--lang X` / `--lang=X` in argv
 * when X is a language, else the environment's.
 */
export function langOf(argv: readonly string[], env: NodeJS.ProcessEnv): Lang {
  for (let i = 0; i < argv.length && argv[i] !== '--'; i++) {
    const a = argv[i]!;
    const v = a === '--lang' ? argv[i + 1] : a.startsWith('--lang=') ? a.slice(7) : undefined;
    if (v === 'zh-TW' || v === 'en') return v;
  }
  return langFromEnv(env);
}

/** True when argv asks for JSON (`--json`, `--json=true`, the last of them winning), parsed or not. */
export function wantsJson(argv: readonly string[]): boolean {
  let json = false;
  for (const a of argv) {
    if (a === '--') break;
    if (a === '--json' || a === '--json=true') json = true;
    else if (a === '--no-json' || a === '--json=false') json = false;
  }
  return json;
}

export function parseOptions(argv: readonly string[], env: NodeJS.ProcessEnv = process.env): Options {
  const ulang = langOf(argv, env);
  const usage = (message: string, detail: Record<string, unknown> = {}) => new MoicaError('usage', message, detail);
  const p = parse(argv, ulang);
  if (p.unknown.length > 0) {
    const lines = [USAGE['unknown-flags'][ulang](p.unknown.length), ...p.unknown];
    if (p.pinInArgv) lines.push(USAGE['pin-in-argv'][ulang]);
    throw usage(lines.join('\n'), { unknownFlags: p.unknown });
  }
  const show = p.booleans.help ? 'help' : p.booleans.version ? 'version' : undefined;
  const f = {
    ...p.strings,
    json: p.booleans.json ?? false,
    color: p.booleans.color ?? true,
    ascii: p.booleans.ascii ?? false,
    pinStdin: p.booleans['pin-stdin'] ?? false,
    yes: p.booleans.yes ?? false,
    lastTry: p.booleans['last-try'] ?? false,
    watch: p.booleans.watch ?? false,
    full: p.booleans.full ?? false,
    crl: p.booleans.crl ?? true,
    pkcs11Module: p.strings['pkcs11-module'],
    pkcs11Token: p.strings['pkcs11-token'],
    backupDir: p.strings['backup-dir'],
  };
  const [cmd, ...extra] = p.positionals;
  if (show !== undefined) {
    return { command: undefined, json: f.json, timeoutMs: 10_000, lang: ulang, color: false, ascii: false, pinStdin: false, yes: false, lastTry: false, watch: false, full: false, show };
  }
  // A PIN typed as an argument (`rewrite 123456`): say where a PIN goes, without repeating it.
  const pinLike = p.positionals.find(looksLikePin);
  if (pinLike !== undefined) throw usage(USAGE['pin-in-argv'][ulang]);
  if (cmd !== undefined && !(COMMANDS as readonly string[]).includes(cmd)) {
    const guess = suggestCommand(cmd);
    throw usage(USAGE['unknown-command'][ulang](cmd) + (guess ? USAGE['did-you-mean'][ulang](guess) : ''), guess ? { suggestion: guess } : {});
  }
  if (extra.length > 0) throw usage(USAGE['unexpected-argument'][ulang](extra[0]!));
  const ocsp = p.noOcsp ? false : f.ocsp;
  if (ocsp === '') throw usage(USAGE['ocsp-url'][ulang]);
  if (typeof ocsp === 'string' && !isHttpUrl(ocsp)) throw usage(USAGE['ocsp-scheme'][ulang]);
  let demo: ScenarioName | undefined;
  if (f.demo !== undefined) {
    if (looksLikePin(f.demo)) throw usage(USAGE['pin-in-argv'][ulang]);
    if (!(SCENARIOS as readonly string[]).includes(f.demo)) throw usage(USAGE['unknown-scenario'][ulang](f.demo));
    demo = f.demo as ScenarioName;
  }
  // Decimal digits only: `0x10`, ` 5`, `1e3`, `5.0` are refused (Number() would take them).
  const timeoutMs = f.timeout === undefined ? 10_000 : /^[0-9]{1,6}$/.test(f.timeout) ? Number(f.timeout) : NaN;
  if (!Number.isInteger(timeoutMs) || timeoutMs < 1 || timeoutMs > 600_000) throw usage(USAGE.timeout[ulang]);
  let lang: Lang = langFromEnv(env);
  if (f.lang !== undefined) {
    if (f.lang !== 'zh-TW' && f.lang !== 'en') throw usage(USAGE.lang[ulang]);
    lang = f.lang;
  }
  let port: number | undefined;
  if (f.port !== undefined) {
    port = /^[0-9]{1,5}$/.test(f.port) ? Number(f.port) : NaN;
    if (!Number.isInteger(port) || port < 0 || port > 65535) throw usage(USAGE.port[ulang]);
  }
  const color = f.color && !('NO_COLOR' in env && env.NO_COLOR !== '') && env.TERM !== 'dumb';
  for (const [name, value] of [['reader', f.reader], ['registry', f.registry], ['pkcs11-module', f.pkcs11Module],
    ['pkcs11-token', f.pkcs11Token], ['backup-dir', f.backupDir], ['trace', f.trace], ['data', f.data], ['out', f.out]] as const) {
    if (value === '') throw usage(USAGE['needs-value'][ulang](name));
  }
  const certificates = p.lists.certificate ?? [];
  const serials = p.lists.serial ?? [];
  if (certificates.length + serials.length > 0) {
    if (certificates.some((c) => c === '')) throw new MoicaError('usage', '--certificate needs a FILE.');
    // The value is not echoed: a mistyped PIN must never be printed back.
    if (serials.some((s) => !/^[0-9A-Fa-f]{1,32}$/.test(s))) throw new MoicaError('usage', '--serial takes a certificate serial number: 1 to 32 hexadecimal digits.');
    if (certificates.length + serials.length > 2) {
      throw new MoicaError('usage', `At most two certificates (one per slot) can be given with --certificate/--serial; ${certificates.length + serials.length} were.`);
    }
  }
  const ocspResponders = p.lists['ocsp-responder'] ?? [];
  if (ocspResponders.some((c) => c === '')) throw usage(USAGE['needs-value'][ulang]('ocsp-responder'));
  if (cmd === 'serve-registry' && f.data === undefined && demo === undefined) throw usage(USAGE['serve-data'][ulang]);
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
    lastTry: f.lastTry,
    watch: f.watch,
    full: f.full,
    out: f.out,
    data: f.data,
    port,
    ...(certificates.length > 0 ? { certificates } : {}),
    ...(serials.length > 0 ? { serials } : {}),
    ...(ocspResponders.length > 0 ? { ocspResponders } : {}),
    ...(f.crl ? {} : { crl: false as const }),
  };
}

/** An http: or https: URL (what --ocsp takes: a responder is asked over HTTP, RFC 6960 appendix A). */
function isHttpUrl(value: string): boolean {
  try {
    const url = new URL(value);
    return url.protocol === 'http:' || url.protocol === 'https:';
  } catch {
    return false;
  }
}
