import { test } from 'node:test';
import assert from 'node:assert/strict';
import { stripVTControlCharacters } from 'node:util';
import type { Key } from 'ink';
import { UI_TEXT } from '../../source/i18n/ui.js';
import { KEYMAP, hintsFor, resolveCommand, type UiCommand, type KeyContext, type KeySpec, type Mode } from '../../source/ui/keymap.js';
import { initialOverlays, reduceOverlays } from '../../source/ui/state/overlays.js';
import { makeTheme } from '../../source/ui/theme.js';
import { helpLines } from '../../source/ui/view/help-lines.js';
import { fuzzyScore, paletteBindings, paletteEntries } from '../../source/ui/view/palette.js';
import { lineText } from '../../source/ui/text/lines.js';
import { FakeEngine } from './fake-engine.js';
import { RESULTS } from './fixtures.js';
import { assertFits } from './frames.js';
// Colour is decided when chalk loads: forced on before Ink is imported, so the dimming is seen in colour
// and the no-colour theme is shown to emit no escape even so.
process.env.FORCE_COLOR = '1';
const { KEYS, renderApp } = await import('./render.js');

const glyph = makeTheme({ color: false, ascii: false }).glyph;
const READER = 'ACS ACR39U 00 00';
const CTRL_P = '\u0010';
const F1 = '\u001BOP';

const key = (over: Partial<Key> & { f1?: boolean } = {}): Key & { f1?: boolean } => ({
  upArrow: false, downArrow: false, leftArrow: false, rightArrow: false, pageDown: false, pageUp: false, home: false, end: false,
  return: false, escape: false, ctrl: false, shift: false, tab: false, backspace: false, delete: false, meta: false,
  super: false, hyper: false, capsLock: false, numLock: false, ...over,
});
const ctx = (mode: Mode, over: Partial<KeyContext> = {}): KeyContext => ({ mode, canRewrite: false, canCheck: false, demo: false, ...over });

/** The contexts a person can be in, every flag on (so every command is available in at least one). */
const CONTEXTS: KeyContext[] = (['main', 'help', 'rewrite-path', 'rewrite-running', 'rewrite-result', 'pin', 'pin-confirm', 'certificates', 'report'] as Mode[]).map((m) =>
  ctx(m, { canCheck: true, canRewrite: true, demo: true, canScroll: true, tabs: 2 })).flatMap((c) => [c, { ...c, output: 'panel' as const }, { ...c, output: 'full' as const }]);

function press(spec: KeySpec): [string, Key & { f1?: boolean }] {
  if (spec.digits) return ['1', key()];
  if (spec.printable) return ['x', key()];
  if (spec.name !== undefined) return ['', key({ [spec.name]: true, ctrl: spec.ctrl === true, shift: spec.shift === true })];
  return [spec.input!, key({ ctrl: spec.ctrl === true })];
}

test('one table: every keymap command is a palette entry (or an editing key), has a key that runs it, and is in the help', () => {
  const listed = new Set(paletteBindings().map((b) => b.command));
  const help = helpLines({ lang: 'en', theme: makeTheme({ color: false, ascii: false }), width: 200, now: new Date() }, true).map(lineText).join('\n');
  for (const binding of KEYMAP) {
    if (binding.palette !== false) {
      assert.ok(listed.has(binding.command), `${binding.command} in the palette`);
      for (const lang of ['zh-TW', 'en'] as const) {
        assert.ok(UI_TEXT[lang][binding.name ?? binding.hint].length > 0, `${binding.command} named in ${lang}`);
        assert.ok(binding.desc !== undefined && UI_TEXT[lang][binding.desc].length > 0, `${binding.command} described in ${lang}`);
      }
    }
    // Its key works somewhere: in some context, its first key resolves to it.
    const [input, k] = press(binding.keys[0]!);
    assert.ok(CONTEXTS.concat(ctx('palette', { under: 'main' })).some((c) => binding.when(c) && resolveCommand(input, k, c) === binding.command), `${binding.command}: its key runs it`);
    // The help lists it with its key and hint (a refusal, hidden, is not a key of its own).
    if (binding.hidden !== true) assert.ok(help.includes(`${binding.label(glyph)}`) && help.includes(UI_TEXT.en[binding.hint]), `${binding.command} in the help`);
  }
  // And nothing is in the palette that the keymap does not know.
  for (const command of listed) assert.ok(KEYMAP.some((b) => b.command === command));
  // Every palette entry that is available in a context is resolvable there, and the bar shows only keymap bindings.
  for (const c of CONTEXTS) {
    for (const entry of paletteEntries(c, 'en', glyph, '').filter((e) => e.available)) {
      assert.ok(KEYMAP.some((b) => b.command === entry.command && b.when(c)), `${entry.command} available in ${c.mode}`);
    }
    for (const b of hintsFor(c)) assert.ok(KEYMAP.includes(b));
  }
});

test('palette keys: Ctrl-P, F1 and ":" open it; letters typed in it are the filter, not commands', () => {
  for (const [input, k] of [['p', key({ ctrl: true })], ['', key({ f1: true })], [':', key()]] as const) {
    assert.equal(resolveCommand(input, k, ctx('main')), 'palette');
    assert.equal(resolveCommand(input, k, ctx('help')), 'palette');
    assert.notEqual(resolveCommand(input, k, ctx('pin')), 'palette', 'the PIN prompt keeps the keyboard');
  }
  const open = ctx('palette', { under: 'main' });
  assert.equal(resolveCommand('q', key(), open), 'palette-type');
  assert.equal(resolveCommand('語言', key(), open), 'palette-type');
  assert.equal(resolveCommand('', key({ escape: true }), open), 'palette-close');
  assert.equal(resolveCommand('', key({ return: true }), open), 'palette-run');
  assert.equal(resolveCommand('', key({ delete: true }), open), 'palette-backspace');
  assert.equal(resolveCommand('', key({ downArrow: true }), open), 'palette-next');
  assert.equal(resolveCommand('c', key({ ctrl: true }), open), 'interrupt');
});

test('fuzzy matching over both languages: lang, English, 語言 find the language switch; availability and why', () => {
  const main = ctx('main');
  for (const lang of ['en', 'zh-TW'] as const) {
    for (const q of ['lang', 'English', '語言', 'LANG', 'swlang']) {
      assert.equal(paletteEntries(main, lang, glyph, q)[0]?.command, 'lang', `${lang}: "${q}"`);
    }
    assert.equal(paletteEntries(main, lang, glyph, '重寫')[0]?.command, 'rewrite');
    assert.equal(paletteEntries(main, lang, glyph, 'chk')[0]?.command, 'check');
  }
  assert.equal(fuzzyScore('xyz', 'Switch language'), null);
  assert.ok(fuzzyScore('lang', 'language')! > fuzzyScore('lang', 'l a n g')!, 'a run beats scattered letters');
  assert.deepEqual(paletteEntries(main, 'en', glyph, 'qqqq'), []);
  const all = paletteEntries(main, 'en', glyph, '');
  assert.equal(all.length, paletteBindings().length, 'an empty filter lists every command');
  const check = all.find((e) => e.command === 'check')!;
  assert.equal(check.available, false);
  assert.equal(check.why, 'no card');
  assert.equal(all.find((e) => e.command === 'scenario')!.why, 'demo only');
  assert.equal(paletteEntries(ctx('main', { canCheck: true }), 'zh-TW', glyph, '').find((e) => e.command === 'rewrite')!.why, '判定不是 B-1');
  assert.equal(paletteEntries(main, 'en', glyph, 'check')[0]?.command, 'check', 'the best match first, even dimmed');
  // Available first on an empty filter.
  const firstDim = all.findIndex((e) => !e.available);
  assert.ok(all.slice(firstDim).every((e) => !e.available));
  // Judged by the mode under the palette.
  const inHelp = paletteEntries(ctx('palette', { under: 'help' }), 'en', glyph, 'help: scroll');
  assert.deepEqual(inHelp.slice(0, 2).map((e) => [e.command, e.available]), [['scroll-up', true], ['scroll-down', true]]);
  assert.equal(paletteEntries(ctx('palette', { under: 'main' }), 'en', glyph, 'help: scroll')[0]?.why, 'help only');
});

test('palette reducer: typing, erasing (a CJK character at a time), moving wraps, the filter is capped', () => {
  let s = reduceOverlays(initialOverlays, { type: 'palette-open' });
  s = reduceOverlays(s, { type: 'palette-type', text: '語言' });
  s = reduceOverlays(s, { type: 'palette-backspace' });
  assert.equal(s.palette.query, '語');
  s = reduceOverlays(s, { type: 'palette-move', delta: -1, count: 3 });
  assert.equal(s.palette.index, 2);
  s = reduceOverlays(s, { type: 'palette-move', delta: 1, count: 3 });
  assert.equal(s.palette.index, 0);
  s = reduceOverlays(s, { type: 'palette-type', text: 'x'.repeat(500) });
  assert.equal(s.palette.query.length, 64);
  s = reduceOverlays(s, { type: 'palette-close' });
  assert.deepEqual(s.palette, { open: false, query: '', index: 0 });
});

function engineWithCard(answer = RESULTS['B-1']()): FakeEngine {
  const engine = new FakeEngine({ demo: true });
  engine.addReader(READER);
  engine.insert(READER);
  engine.checkAnswer = answer;
  return engine;
}

test('frames: Ctrl-P opens, "lang" narrows to the language switch, Enter runs it, the palette closes', async () => {
  const app = await renderApp({ engine: engineWithCard(), lang: 'en' }, { columns: 100, rows: 30 });
  await app.waitFor((f) => f.includes('rewrite needed'), 'B-1');
  await app.press(CTRL_P);
  let frame = await app.waitFor((f) => f.includes('Command palette'), 'palette open');
  assert.match(frame, /▶ ↑↓ +Previous reader/, 'the first entry is chosen, marked in text');
  assertFits(frame, 100, 30);
  await app.press('lang');
  frame = await app.waitFor((f) => / 1\/\d+ commands/.test(f), 'narrowed');
  assert.match(frame, /▶ l +Switch language \(中文\)/);
  assert.ok(!frame.includes('Check certificates'));
  await app.press(KEYS.enter);
  frame = await app.waitFor((f) => !f.includes('Command palette') && f.includes('判定 B-1'), 'ran: now in zh-TW');
  app.unmount();
});

test('frames: F1 and ":" open it, zh-TW UI found by "English", ↑↓ choose, Esc closes without running', async () => {
  const engine = engineWithCard();
  const app = await renderApp({ engine, lang: 'zh-TW' }, { columns: 80, rows: 24 });
  await app.waitFor((f) => f.includes('判定 B-1'), 'B-1');
  await app.press(F1);
  await app.waitFor((f) => f.includes('命令選擇區'), 'F1 opens');
  await app.press('English');
  let frame = await app.waitFor((f) => / 1\/\d+ 個命令/.test(f), 'narrowed');
  assert.match(frame, /▶ l +切換語言 \(English\)/);
  await app.press(KEYS.escape);
  frame = await app.waitFor((f) => !f.includes('命令選擇區'), 'Esc closes');
  assert.ok(frame.includes('需重寫'), 'nothing ran: still zh-TW');

  await app.press(':');
  await app.waitFor((f) => f.includes('命令選擇區'), '":" opens');
  await app.press('re');
  frame = await app.waitFor((f) => /▶ .*憑證重寫/.test(stripVTControlCharacters(f)) || /▶ r /.test(f), 'rewrite among the matches');
  // Choose with the arrows until the rewrite entry is marked, then run it.
  for (let i = 0; i < 15 && !/▶ r /.test(app.lastFrame()); i++) await app.press(KEYS.down);
  assert.match(app.lastFrame(), /▶ r /);
  await app.press(KEYS.enter);
  await app.waitFor((f) => f.includes('PIN碼'), 'the rewrite flow opened');
  assertFits(app.lastFrame(), 80, 24);
  assert.ok(engine.calls.some((c) => c.method === 'rewritePath'));
  app.unmount();
});

test('frames: a command not available now is listed dimmed with why, in words with colours off; Enter on it does nothing', async () => {
  for (const color of [false, true]) {
    const engine = new FakeEngine();
    engine.addReader(READER);
    const app = await renderApp({ engine, lang: 'en', color }, { columns: 100, rows: 30 });
    await app.waitFor((f) => f.includes('No card'), 'no card');
    await app.press(CTRL_P);
    await app.press('check');
    const frame = await app.waitFor((f) => f.includes('Command palette'), 'palette');
    const line = frame.split('\n').find((l) => l.includes('Check certificates'))!;
    assert.ok(line, frame);
    assert.match(stripVTControlCharacters(line), /c +Check certificates +\(n\/a: no card\)/);
    if (color) assert.ok(line.includes('\u001B[2m'), 'dimmed');
    else assert.equal(stripVTControlCharacters(frame), frame, 'no escape sequences with colours off');
    await app.press(KEYS.enter);
    await app.waitFor((f) => f.includes('Command palette'), 'still open');
    assert.ok(!engine.calls.some((c) => c.method === 'check'));
    app.unmount();
  }
});

test('frames: the palette fits narrow terminals (stacked layout), and q typed in it does not quit', async () => {
  const app = await renderApp({ engine: engineWithCard(), lang: 'zh-TW' }, { columns: 60, rows: 20 });
  await app.waitFor((f) => f.includes('判定 B-1'), 'B-1');
  await app.press(CTRL_P);
  await app.press('q');
  const frame = await app.waitFor((f) => f.includes('離開程式'), 'quit listed, not run');
  assertFits(frame, 60, 20);
  assert.ok(!frame.includes('── 讀卡機'), 'the palette covers the stacked panels');
  app.unmount();
});

// Keep the command union and the palette in step: a new command must be listed or marked as an editing key.
const _exhaustive: Record<UiCommand, true> = Object.fromEntries(KEYMAP.map((b) => [b.command, true])) as Record<UiCommand, true>;
void _exhaustive;
