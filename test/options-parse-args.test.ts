/**
 * The flag parser (util.parseArgs, no meow): --help/--version and the usage-error texts as they were,
 * every documented flag accepted, and nothing touching process.title.
 */
import { test } from 'node:test';
import assert from 'node:assert/strict';
import { readFileSync } from 'node:fs';
import { main } from '../source/cli.js';
import { HELP, parseOptions } from '../source/options.js';
import { isMoicaError } from '../source/errors.js';
import { memoryIo } from './commands/memory-io.js';

async function run(argv: string[], env: NodeJS.ProcessEnv = { LANG: 'en_US.UTF-8' }) {
  const io = memoryIo(env);
  const code = await main(argv, io);
  await new Promise((r) => setImmediate(r));
  return { code, out: io.out(), err: io.err() };
}

test('--help prints the description and the usage text on stdout, exit 0, wherever it stands', async () => {
  const help = await run(['--help']);
  assert.equal(help.code, 0);
  assert.equal(help.err, '');
  assert.ok(help.out.startsWith('\n  Check a Taiwanese citizen-certificate card (自然人憑證, MOICA) and rewrite stale certificates\n\n  Usage\n    $ moica-check [options]'));
  assert.ok(help.out.endsWith('    3 no PC/SC, reader or card   4 registry   5 card   6 PIN wrong or blocked   130 cancelled\n\n'));
  // The text meow printed: its HELP with the leading/trailing blank lines trimmed, the description above.
  assert.ok(help.out.includes(HELP.trim()));
  const later = await run(['check', '--demo', 'revoked', '--help']);
  assert.equal(later.code, 0);
  assert.equal(later.out, help.out);
});

test('--version prints package.json\'s version and nothing else', async () => {
  const pkg = JSON.parse(readFileSync(new URL('../package.json', import.meta.url), 'utf8')) as { version: string };
  const v = await run(['--version']);
  assert.deepEqual(v, { code: 0, out: `${pkg.version}\n`, err: '' });
});

test('unknown flags: one per line under "Unknown flag(s)", exit 2', async () => {
  assert.deepEqual(await run(['check', '--bogus']), { code: 2, out: '', err: 'Unknown flag\n--bogus\n' });
  assert.deepEqual(await run(['--bogus', '--other', 'check']), { code: 2, out: '', err: 'Unknown flags\n--bogus\n--other\n' });
  assert.deepEqual(await run(['-abc']), { code: 2, out: '', err: 'Unknown flag\n-abc\n' });
});

test('usage errors keep their texts', async () => {
  const cases: [string[], string][] = [
    [['frobnicate'], 'Unknown command "frobnicate". Commands: readers, read, check, rewrite, doctor, serve-registry, report.'],
    [['check', 'extra'], 'Unexpected argument "extra".'],
    [['check', '--', 'extra'], 'Unexpected argument "extra".'],
    [['check', '--timeout'], '--timeout takes milliseconds, a whole number from 1 to 600000.'],
    [['check', '--lang', 'fr'], '--lang takes zh-TW or en.'],
    [['check', '--reader', '--yes'], '--reader needs a value.'],
    [['check', '--reader='], '--reader needs a value.'],
    [['check', '--ocsp'], '--ocsp needs a URL.'],
    [['--reader', 'a', '--reader', 'b'], 'The flag --reader can only be set once.'],
    [['check', '--no-ocsp', '--ocsp', 'x'], 'The flag --ocsp can only be set once.'],
    [['--demo=bogus'], 'Unknown demo scenario "bogus". Scenarios: valid, rewrite, revoked, suspended, expired.'],
    [['serve-registry', '--port', '70000'], '--port takes 0-65535.'],
    [['serve-registry'], 'serve-registry needs --data FILE (or --demo).'],
  ];
  for (const [argv, message] of cases) {
    assert.deepEqual(await run(argv), { code: 2, out: '', err: `moica-check: ${message}\nRun moica-check --help for usage.\n` }, argv.join(' '));
  }
});

test('every flag the help names is accepted; booleans take --no-NAME; camelCase spellings still work', () => {
  const named = [...HELP.matchAll(/^ {4}(--[a-z0-9-]+)(?: ([A-Z]+|\[[A-Z]+\]|zh-TW\|en))?/gm)].map((m) => [m[1]!, m[2]] as const);
  assert.ok(named.length >= 15, `flags found in HELP: ${named.length}`);
  const sample: Record<string, string> = { NAME: 'x', URL: 'http://127.0.0.1:1/', PATH: '/x.so', ID: 'x', DIR: '/tmp', FILE: '/tmp/t', MS: '5', 'zh-TW|en': 'en', '[SCENARIO]': 'valid', HEX: '3B7161C40F46488916A' };
  for (const [flag, arg] of named) {
    if (flag === '--help' || flag === '--version') continue;
    const argv = ['check', flag, ...(arg === undefined ? [] : [sample[arg]!])];
    assert.doesNotThrow(() => parseOptions(argv, {}), argv.join(' '));
  }
  assert.equal(parseOptions(['check', '--json', '--no-json'], {}).json, false);
  assert.equal(parseOptions(['check', '--yes=true'], {}).yes, true);
  assert.equal(parseOptions(['read', '--pkcs11Module', '/x.so'], {}).pkcs11Module, '/x.so');
  assert.equal(parseOptions(['read', '--backup-dir=/b'], {}).backupDir, '/b');
  assert.equal(parseOptions(['--demo=valid', 'check'], {}).demo, 'valid');
  assert.equal(parseOptions(['--timeout', '250', 'check'], {}).timeoutMs, 250);
  assert.throws(() => parseOptions(['check', '--json=1'], {}), (e: unknown) => isMoicaError(e, 'usage'));
});

test('parsing leaves process.title alone, and meow is gone from the dependencies', () => {
  const before = process.title;
  parseOptions(['check', '--json'], {});
  assert.equal(process.title, before);
  const pkg = JSON.parse(readFileSync(new URL('../package.json', import.meta.url), 'utf8')) as { dependencies: Record<string, string> };
  assert.equal(pkg.dependencies.meow, undefined);
});
