/**
 * Pre-paint (source/pre-paint.ts): the bytes written before the app loads are exactly those of Ink's
 * first frame, compared byte for byte in a real pseudo-terminal through the built bin; and it is written
 * only where Ink draws that frame at once (never for subcommands, --help/--version, bad flags, CI, a pipe,
 * a dumb, narrow or one-row terminal, or Ink's screen-reader mode).
 */
import { test } from 'node:test';
import assert from 'node:assert/strict';
import stringWidth from 'string-width';
import { prePaintFor } from '../../source/pre-paint.js';
import { PREPAINT_MIN_COLUMNS, startingLine } from '../../source/ui/boot-line.js';
import { inPty } from './pty.js';

const CURSOR_HIDE = '\u001B[?25l';
const tty = { isTTY: true, columns: 80, rows: 24 } as const;
const env = { TERM: 'xterm-256color', LANG: 'en_US.UTF-8' };

/** What Ink wrote as its first frame: from its cursor hide to the end of that frame's first line. */
function inkFirstFrame(out: string): string {
  const at = out.indexOf(CURSOR_HIDE);
  assert.ok(at >= 0, `Ink drew no frame: ${JSON.stringify(out.slice(0, 300))}`);
  const rest = out.slice(at + CURSOR_HIDE.length);
  // the pseudo-terminal turns Ink's "\n" into "\r\n" (onlcr)
  return rest.slice(0, rest.indexOf('\r\n'));
}

const inkDrew = (out: string) => out.includes(CURSOR_HIDE) && out.slice(out.indexOf(CURSOR_HIDE)).includes('\r\n');

for (const variant of [
  { name: 'English, colour', args: ['--demo', 'valid', '--lang', 'en'], env: {} },
  { name: 'zh-TW from LANG, colour', args: ['--demo', 'valid'], env: { LANG: 'zh_TW.UTF-8', LC_ALL: undefined } },
  { name: '--no-color --ascii', args: ['--demo', 'valid', '--no-color', '--ascii', '--lang', 'en'], env: {} },
  { name: 'NO_COLOR, zh-TW', args: ['--demo', 'valid', '--lang', 'zh-TW'], env: { NO_COLOR: '1' } },
]) {
  test(`pre-paint: the bytes before Ink loads equal Ink's first frame, byte for byte (${variant.name})`, async () => {
    const out = await inPty(variant.args, variant.env, inkDrew);
    const cr = out.indexOf('\r');
    assert.ok(cr > 0, `nothing pre-painted: ${JSON.stringify(out.slice(0, 200))}`);
    const prePainted = out.slice(0, cr);
    // the pre-paint comes first, alone, and ends in a carriage return (Ink then draws over the same cells)
    assert.ok(out.indexOf(CURSOR_HIDE) > cr, 'the pre-paint precedes everything Ink writes');
    assert.ok(!prePainted.includes('\n'), 'one line, no line feed');
    assert.equal(inkFirstFrame(out), prePainted);
    const colour = !variant.args.includes('--no-color') && !('NO_COLOR' in variant.env);
    assert.equal(prePainted.includes('\u001B['), colour, 'styled exactly when colours are on');
  });
}

test('pre-paint: none for a subcommand, --help, CI or a narrow terminal (checked in the pseudo-terminal)', async () => {
  const read = await inPty(['read', '--demo', 'valid', '--json'], {}, () => false);
  assert.match(read, /^\{/, 'the JSON is the first thing written');
  const help = await inPty(['--help'], {}, () => false);
  assert.doesNotMatch(help.slice(0, 40), /MOICA card check/);
  // Under CI Ink draws only at exit: an engine that cannot start (its key cache unusable) ends the run,
  // and what Ink drew then is the first thing on the terminal.
  const ci = await inPty(['--demo', 'valid', '--lang', 'en'], { CI: 'true', MOICA_VIRTUAL_KEY_CACHE: '/dev/null/keys' }, () => false);
  assert.match(ci, /Could not start/, 'Ink drew its frame at exit');
  assert.ok(!ci.includes('starting...'), `no pre-paint under CI: ${JSON.stringify(ci.slice(0, 120))}`);
  const narrow = await inPty(['--demo', 'valid', '--lang', 'en'], {}, inkDrew, { size: `cols ${PREPAINT_MIN_COLUMNS - 1} rows 24` });
  assert.ok(narrow.indexOf(CURSOR_HIDE) >= 0 && !narrow.slice(0, narrow.indexOf(CURSOR_HIDE)).includes('MOICA'), 'no pre-paint when narrow');
});

test('pre-paint: decided like the app: only the TUI path on a real, wide, non-CI terminal', () => {
  const yes = prePaintFor(['--demo'], env, tty, { isTTY: true }, false);
  assert.deepEqual(yes, { lang: 'en', color: true, ascii: false });
  assert.deepEqual(prePaintFor([], { ...env, NO_COLOR: '1' }, tty, { isTTY: true }, false)?.color, false);
  assert.deepEqual(prePaintFor(['--ascii', '--lang', 'zh-TW'], env, tty, { isTTY: true }, false), { lang: 'zh-TW', color: true, ascii: true });
  const none: Array<[string, ReturnType<typeof prePaintFor>]> = [
    ['subcommand', prePaintFor(['check', '--demo'], env, tty, { isTTY: true }, false)],
    ['--help', prePaintFor(['--help'], env, tty, { isTTY: true }, false)],
    ['--version', prePaintFor(['--version'], env, tty, { isTTY: true }, false)],
    ['unknown flag', prePaintFor(['--bogus'], env, tty, { isTTY: true }, false)],
    ['bad value', prePaintFor(['--lang', 'fr'], env, tty, { isTTY: true }, false)],
    ['stdout a pipe', prePaintFor([], env, { ...tty, isTTY: false }, { isTTY: true }, false)],
    ['stdin a pipe', prePaintFor([], env, tty, { isTTY: false }, false)],
    ['CI', prePaintFor([], env, tty, { isTTY: true }, true)],
    ['TERM=dumb', prePaintFor([], { ...env, TERM: 'dumb' }, tty, { isTTY: true }, false)],
    ['no TERM', prePaintFor([], { LANG: 'en_US.UTF-8' }, tty, { isTTY: true }, false)],
    ['screen reader', prePaintFor([], { ...env, INK_SCREEN_READER: 'true' }, tty, { isTTY: true }, false)],
    ['narrow', prePaintFor([], env, { ...tty, columns: PREPAINT_MIN_COLUMNS - 1 }, { isTTY: true }, false)],
    ['one row', prePaintFor([], env, { ...tty, rows: 1 }, { isTTY: true }, false)],
  ];
  for (const [why, r] of none) assert.equal(r, undefined, why);
});

test('pre-paint: every starting line fits below PREPAINT_MIN_COLUMNS, so Boot never cuts what was pre-painted', () => {
  for (const lang of ['en', 'zh-TW'] as const) {
    for (const ascii of [false, true]) {
      for (const color of [false, true]) assert.ok(stringWidth(startingLine({ lang, color, ascii })) < PREPAINT_MIN_COLUMNS, `${lang} ascii=${ascii}`);
    }
  }
});
