/**
 * Usage errors (issue 13 item 8, issue 14 items 6, 7, 10): a PIN typed in argv is never echoed, --timeout
 * takes decimal digits only, --json makes every exit one JSON document, a malformed or missing PIN is a
 * usage error (exit 2) never sent, unknown scenarios list the valid ones, -h/-v, "did you mean", zh-TW texts
 * under a zh locale.
 */
import { test } from 'node:test';
import assert from 'node:assert/strict';
import { main } from '../../source/cli.js';
import { HELP, HELP_ZH, helpText, parseOptions, suggestCommand } from '../../source/options.js';
import { isMoicaError } from '../../source/errors.js';
import { ERROR_EXIT } from '../../source/exit.js';
import { readPin } from '../../source/commands/pin-input.js';
import { Readable } from 'node:stream';
import { memoryIo } from './memory-io.js';

async function run(argv: string[], env: NodeJS.ProcessEnv = { LANG: 'en_US.UTF-8' }, stdin = '') {
  const io = memoryIo(env, stdin);
  const code = await main(argv, io);
  await new Promise((r) => setImmediate(r));
  return { code, out: io.out(), err: io.err() };
}

test('a PIN typed in argv is never repeated: --pin=…, --pin …, rewrite 123456, --demo 1234567, -123456', async () => {
  for (const argv of [['--pin=123456'], ['rewrite', '--pin', '123456'], ['rewrite', '123456'], ['123456'], ['rewrite', '--pin-stdin', '--demo', '1234567'],
    ['rewrite', '-123456'], ['rewrite', '--PIN=12345678'], ['rewrite', '--yes=123456'], ['rewrite', '--passcode=987654']]) {
    for (const json of [false, true]) {
      const r = await run(json ? [...argv, '--json'] : argv);
      assert.equal(r.code, 2, argv.join(' '));
      const all = r.out + r.err;
      assert.doesNotMatch(all, /123456|987654|1234567/, `${argv.join(' ')}: ${all}`);
      assert.match(all, /only read from standard input/, `${argv.join(' ')}: ${all}`);
    }
  }
  const zh = await run(['rewrite', '123456'], { LANG: 'zh_TW.UTF-8' });
  assert.match(zh.err, /PIN碼只從標準輸入讀取/);
  assert.doesNotMatch(zh.err, /123456/);
});

test('--timeout takes decimal digits only: 0x10, " 5", 1e3, 5.0, +5, -5 refused; 1 and 600000 taken', () => {
  for (const v of ['0x10', ' 5', '5 ', '1e3', '5.0', '+5', '-5', '', '0', '600001', '٣']) {
    assert.throws(() => parseOptions(['check', '--timeout', v], {}), (e: unknown) => isMoicaError(e, 'usage') && /whole number from 1 to 600000/.test(e.message), JSON.stringify(v));
    assert.throws(() => parseOptions(['check', `--timeout=${v}`], {}), (e: unknown) => isMoicaError(e, 'usage'), JSON.stringify(v));
  }
  assert.equal(parseOptions(['check', '--timeout', '1'], {}).timeoutMs, 1);
  assert.equal(parseOptions(['check', '--timeout=600000'], {}).timeoutMs, 600_000);
  assert.throws(() => parseOptions(['serve-registry', '--demo', '--port', '0x50'], {}), (e: unknown) => isMoicaError(e, 'usage'));
});

test('with --json every exit is one JSON document with error: unknown flag, bad value, unknown command, no TTY', async () => {
  for (const argv of [['check', '--demo', '--json', '--bogus'], ['check', '--json', '--timeout', '1e3'], ['chek', '--json'], ['--json'],
    ['--json', 'check', '--demo', 'bogus'], ['rewrite', '--demo', '--json']]) {
    const r = await run(argv);
    assert.equal(r.code, 2, argv.join(' '));
    assert.equal(r.err, '', `${argv.join(' ')}: nothing but the document (${r.err})`);
    const doc = JSON.parse(r.out) as { error: { code: string; message: string } };
    assert.ok(doc.error.code === 'usage' || doc.error.code === 'no-tty', r.out);
    assert.ok(doc.error.message.length > 0);
  }
  const unknown = JSON.parse((await run(['check', '--json', '--bogus'])).out) as { error: { unknownFlags: string[] } };
  assert.deepEqual(unknown.error.unknownFlags, ['--bogus']);
  // --no-json after --json: text again.
  const text = await run(['check', '--json', '--no-json', '--bogus']);
  assert.equal(text.out, '');
  assert.equal(text.err, 'Unknown flag\n--bogus\n');
});

test('a malformed PIN is a usage error (exit 2, pin-malformed) and is never sent; empty input says no PIN was given', async () => {
  assert.equal(ERROR_EXIT['pin-malformed'], 2);
  const empty = await readPin(Readable.from([Buffer.from('')])).then(() => undefined, (e: unknown) => e);
  assert.ok(isMoicaError(empty, 'pin-malformed'));
  assert.match(empty.message, /No PIN was given/);
  const blank = await readPin(Readable.from([Buffer.from('\n')])).then(() => undefined, (e: unknown) => e);
  assert.ok(isMoicaError(blank, 'pin-malformed') && /No PIN was given/.test(blank.message));
  const long = await readPin(Readable.from([Buffer.from(`${'1'.repeat(70)}\n`)])).then(() => undefined, (e: unknown) => e);
  assert.ok(isMoicaError(long, 'pin-malformed') && !/No PIN/.test(long.message));
  // The line's own buffer is zeroed once read.
  const chunk = Buffer.from('123456\n');
  const pin = await readPin(Readable.from([chunk]));
  assert.equal(Buffer.from(pin).toString(), '123456');
  assert.ok(chunk.every((b) => b === 0), 'the stdin chunk is zeroed');

  // Over the demo card (in-process, real APDUs): exit 2, the JSON error pin-malformed, B-2 never reached.
  for (const [input, pattern] of [['12345\n', /6 to 8 digits/], ['abcdef\n', /6 to 8 digits/], ['', /No PIN was given/]] as const) {
    const r = await run(['rewrite', '--demo', '--pin-stdin', '--yes', '--json'], { LANG: 'C' }, input);
    assert.equal(r.code, 2, r.out + r.err);
    const doc = JSON.parse(r.out) as { error: { code: string; message: string }; verdict?: string };
    assert.equal(doc.error.code, 'pin-malformed');
    assert.match(doc.error.message, pattern);
    assert.notEqual(doc.verdict, 'B-2');
  }
});

test('--demo bogus and check --demo bogus: the scenario is unknown, and the valid ones are listed', async () => {
  for (const argv of [['--demo', 'bogus'], ['check', '--demo', 'bogus'], ['--demo=bogus', 'check']]) {
    const r = await run(argv);
    assert.equal(r.code, 2);
    assert.equal(r.err, 'moica-check: Unknown demo scenario "bogus". Scenarios: valid, rewrite, revoked, suspended, expired.\nRun moica-check --help for usage.\n', argv.join(' '));
  }
  // A scenario name or a command after --demo keeps its meaning.
  assert.equal(parseOptions(['--demo', 'rewrite'], {}).command, undefined);
  assert.equal(parseOptions(['--demo', 'rewrite'], {}).demo, 'rewrite');
  assert.equal(parseOptions(['--demo', 'check'], {}).command, 'check');
});

test('-h and -v; "did you mean" for a near command', async () => {
  assert.deepEqual(await run(['-h']), await run(['--help']));
  assert.equal((await run(['-v'])).out, (await run(['--version'])).out);
  assert.equal((await run(['check', '-h'])).code, 0);
  const r = await run(['chek']);
  assert.equal(r.code, 2);
  assert.match(r.err, /Unknown command "chek"\. Commands: readers, read, check, rewrite, doctor, serve-registry, report\. Did you mean `check`\?/);
  assert.equal(suggestCommand('reed'), 'read');
  assert.equal(suggestCommand('rewirte'), 'rewrite');
  assert.equal(suggestCommand('docter'), 'doctor');
  assert.equal(suggestCommand('serve'), 'serve-registry');
  assert.equal(suggestCommand('xyzzy'), undefined);
  assert.doesNotMatch((await run(['xyzzy'])).err, /Did you mean/);
});

test('--help and usage errors in zh-TW under a zh locale (or --lang zh-TW), English otherwise', async () => {
  const zh = await run(['--help'], { LANG: 'zh_TW.UTF-8' });
  assert.equal(zh.out, helpText('zh-TW'));
  assert.match(zh.out, /用法/);
  assert.equal((await run(['--help', '--lang', 'zh-TW'], { LANG: 'C' })).out, helpText('zh-TW'));
  assert.equal((await run(['--help'], { LANG: 'C' })).out, helpText('en'));
  assert.equal((await run(['--help', '--lang=en'], { LC_ALL: 'zh_TW.UTF-8' })).out, helpText('en'));
  const err = await run(['chek'], { LC_ALL: 'zh_TW.UTF-8' });
  assert.equal(err.err, 'moica-check: 不明的指令「chek」。可用的指令：readers、read、check、rewrite、doctor、serve-registry、report。您是指 `check` 嗎？\n用法請執行 moica-check --help。\n');
  for (const argv of [['--timeout', 'x', 'check'], ['check', 'extra'], ['--demo', 'bogus'], ['--reader'], ['--lang', 'fr']]) {
    const r = await run(argv, { LANG: 'zh_TW.UTF-8' });
    assert.equal(r.code, 2);
    assert.match(r.err, /[\u4e00-\u9fff]/, `${argv.join(' ')} in zh-TW: ${r.err}`);
  }
  const rw = await run(['rewrite', '--demo'], { LANG: 'zh_TW.UTF-8' });
  assert.match(rw.err, /--pin-stdin/);
  assert.match(rw.err, /標準輸入/);
});

test('HELP_ZH names the same flags and commands as HELP (a flag added to one is added to both)', () => {
  const flags = (text: string) => [...text.matchAll(/(?<![\w-])(--?[a-z][a-z0-9-]*)/g)].map((m) => m[1]).filter((f, i, a) => a.indexOf(f) === i).sort();
  assert.deepEqual(flags(HELP_ZH), flags(HELP));
  const commands = (text: string) => [...text.matchAll(/\$ moica-check (\S+)/g)].map((m) => m[1]);
  assert.deepEqual(commands(HELP_ZH), commands(HELP).map((c) => (c === '[options]' ? '[選項]' : c)));
});
