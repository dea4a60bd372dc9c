/**
 * The build's dependency patches (scripts/patches.mjs) change start-up time only: the patched
 * string-width measures every string as string-width does, the patched yoga lays out as yoga does (and is
 * ready without an await), yoga's entry and Ink's reconciler hold no top-level await, @sindresorhus/is
 * throws the same texts, string-width 7 and 8, ansi-tokenize and slice-ansi build no Intl.Segmenter at load
 * and give what the originals give, @peculiar/utils's byte helpers give what they gave, and a patch refuses
 * a file it was not written against.
 */
import { test } from 'node:test';
import assert from 'node:assert/strict';
import { createRequire } from 'node:module';
import { mkdtempSync, readFileSync, realpathSync, rmSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { dirname, join } from 'node:path';
import { pathToFileURL } from 'node:url';
import stringWidth from 'string-width';
import { OWN_CLUSTERS_SOURCE, PATCHES, applyPatch, patchedPath, segmentsHelper, type Patch } from '../../scripts/patches.mjs';

const root = join(import.meta.dirname, '../..');
const patch = (label: string): Patch => PATCHES.find((p) => p.label.startsWith(label))!;
const work = mkdtempSync(join(tmpdir(), 'moica-patches-'));
process.on('exit', () => rmSync(work, { recursive: true, force: true }));

/** Writes the patched file beside nothing of its own: its bare imports become absolute file URLs. */
function writePatched(label: string, imports: Record<string, string>): string {
  const p = patch(label);
  const original = patchedPath(p, root);
  let source = applyPatch(p, readFileSync(original, 'utf8'));
  for (const [from, to] of Object.entries(imports)) {
    const before = source;
    source = source.replaceAll(`from '${from}'`, `from '${pathToFileURL(to).href}'`).replaceAll(`from "${from}"`, `from "${pathToFileURL(to).href}"`);
    assert.notEqual(source, before, `the patched file imports ${from}`);
  }
  const file = join(work, `${label.replace(/\W+/g, '-')}.mjs`);
  writeFileSync(file, source);
  return file;
}
async function loadPatched(label: string, imports: Record<string, string>): Promise<Record<string, unknown>> {
  return (await import(pathToFileURL(writePatched(label, imports)).href)) as Record<string, unknown>;
}

const swPath = patchedPath(patch('string-width'), root);
const swRequire = createRequire(swPath);
const patchedWidth = (await loadPatched('string-width', {
  'strip-ansi': swRequire.resolve('strip-ansi'),
  'get-east-asian-width': swRequire.resolve('get-east-asian-width'),
})).default as (s: string, o?: { ambiguousIsNarrow?: boolean }) => number;

test('patches: a changed file, or patched text not found exactly once, fails (the build stops)', () => {
  const p = patch('string-width');
  const source = readFileSync(swPath, 'utf8');
  assert.throws(() => applyPatch(p, `${source}\n`), /the file changed/);
  const shifted: Patch = { ...p, sha256: '', replacements: [['no such text', '']] };
  const { createHash } = require_('node:crypto') as typeof import('node:crypto');
  shifted.sha256 = createHash('sha256').update(source).digest('hex');
  assert.throws(() => applyPatch(shifted, source), /expected the patched text once, found it 0 times/);
  // and the real patch applies to the installed file
  assert.match(applyPatch(p, source), /function isRgiEmoji/);
});
function require_(id: string): unknown {
  return createRequire(import.meta.url)(id);
}

test('string-width patch: the rule it answers by holds for every code point (RGI_Emoji alone = Emoji_Presentation minus the regional indicators)', () => {
  const rgi = new RegExp('^\\p{RGI_Emoji}$', 'v');
  const presentation = /^\p{Emoji_Presentation}$/u;
  const wrong: string[] = [];
  for (let cp = 0; cp <= 0x10ffff; cp++) {
    if (cp >= 0xd800 && cp <= 0xdfff) continue;
    const s = String.fromCodePoint(cp);
    const rule = presentation.test(s) && !(cp >= 0x1f1e6 && cp <= 0x1f1ff);
    if (rgi.test(s) !== rule) wrong.push(cp.toString(16));
  }
  assert.deepEqual(wrong, []);
});

test('string-width patch: every code point of planes 0-2 measures as string-width measures it', () => {
  const first: string[] = [];
  for (let cp = 0; cp <= 0x2ffff; cp++) {
    if (cp >= 0xd800 && cp <= 0xdfff) continue;
    const s = String.fromCodePoint(cp);
    if (patchedWidth(s) !== stringWidth(s) && first.length < 10) first.push(cp.toString(16));
  }
  assert.deepEqual(first, []);
});

test('string-width patch: emoji sequences, CJK, box drawing, ambiguous, combining marks and mixes measure the same', () => {
  const corpus = [
    // what the UI renders
    '自然人憑證 IC卡檢測重寫 · 啟動中...', 'MOICA card check & rewrite · starting...', '╭─ 讀卡機 ──╮', '│ ● 王小明 │', '▶ ✔ ⚠ ✖ • … → ↑↓ ○ ·',
    '+-- Readers --+', '判定 B-1', 'TP03130708163649', '3B7161C40F46488916A',
    // emoji of every RGI kind, and near misses
    '😀', '👍🏽', '👨‍👩‍👧‍👦', '🏳️‍🌈', '🇹🇼', '🇹', '🇹🇼🇯', '#️⃣', '1️⃣', '#⃣', '1⃣', '*️⃣', '🏴󠁧󠁢󠁳󠁣󠁴󠁿', '❤️', '❤', '✔️', '☺️', '☺',
    '👩🏻‍💻', '🧑‍🤝‍🧑', '🫠', '🏻', '⌚', '©️', '©', '™️', '↔️', '↔', '🅰️', '🈚', '🀄', '🃏', 'a\u20e3', '👨\u200d', '\u200d👨',
    // combining marks and clusters
    'e\u0301', 'a\u0308\u0323', '한국어', '\u1100\u1161\u11a8', 'ｶﾞｷﾞ', 'ﾞ', 'ǅ', '\u0915\u094d\u0937', 'ก\u0e31', 'x\u200by', '\ufeff', '\u00ad',
    // controls, ANSI, tabs
    '\u001b[2mdim\u001b[22m', 'a\tb', '\u0007', '\u009b31m',
  ];
  // seeded mixes of the classes above
  let seed = 15;
  const rand = (n: number) => ((seed = (seed * 1103515245 + 12345) & 0x7fffffff) % n);
  const pieces = [...corpus, '中', '文', '─', '│', '█', '±', '°', '§', '①', 'Ω', 'é', 'ñ', ' ', 'A', '1', '\u0301', '\ufe0f', '\u200d'];
  for (let i = 0; i < 3000; i++) {
    let s = '';
    for (let k = 1 + rand(8); k > 0; k--) s += pieces[rand(pieces.length)];
    corpus.push(s);
  }
  for (const s of corpus) {
    assert.equal(patchedWidth(s), stringWidth(s), JSON.stringify(s));
    assert.equal(patchedWidth(s, { ambiguousIsNarrow: false }), stringWidth(s, { ambiguousIsNarrow: false }), JSON.stringify(s));
  }
});

test('yoga patch: it loads without fetch and lays out as the original', async () => {
  const yogaDir = dirname(patchedPath(patch('yoga-layout'), root));
  const wrapAssembly = pathToFileURL(join(yogaDir, '../src/wrapAssembly.js')).href;
  let fetched = 0;
  const realFetch = globalThis.fetch;
  globalThis.fetch = (async () => {
    fetched++;
    throw new Error('no fetch');
  }) as typeof fetch;
  let patchedLoad: () => Promise<unknown>;
  try {
    patchedLoad = (await loadPatched('yoga-layout', {})).default as () => Promise<unknown>;
    const wrap = ((await import(wrapAssembly)) as { default: (asm: unknown) => YogaLike }).default;
    const patched = wrap(await patchedLoad());
    assert.equal(fetched, 0, 'the patched yoga never fetches');
    const original = ((await import('yoga-layout')) as unknown as { default: YogaLike }).default;
    assert.deepEqual(layout(patched), layout(original));
  } finally {
    globalThis.fetch = realFetch;
  }
});

interface YogaNode {
  setWidth(w: number): void;
  setHeight(h: number): void;
  setFlexDirection(d: number): void;
  setFlexGrow(g: number): void;
  setPadding(edge: number, v: number): void;
  insertChild(child: YogaNode, index: number): void;
  calculateLayout(w: number, h: number, dir: number): void;
  getComputedLayout(): { left: number; top: number; width: number; height: number };
  getChild(i: number): YogaNode;
  freeRecursive(): void;
}
interface YogaLike {
  Node: { create(): YogaNode };
}

function layout(yoga: YogaLike): unknown[] {
  const root = yoga.Node.create();
  root.setWidth(80);
  root.setHeight(24);
  root.setFlexDirection(2); // row
  root.setPadding(8, 1); // all edges
  for (let i = 0; i < 3; i++) {
    const child = yoga.Node.create();
    child.setFlexGrow(i + 1);
    child.setHeight(5 + i);
    root.insertChild(child, i);
  }
  root.calculateLayout(80, 24, 1);
  const out = [root.getComputedLayout(), ...[0, 1, 2].map((i) => root.getChild(i).getComputedLayout())];
  root.freeRecursive();
  return out.map((l) => ({ ...l }));
}

test('@sindresorhus/is patch: no Intl.ListFormat at load; assert.all / assert.any throw the same TypeError text as the original', async () => {
  const isDir = dirname(patchedPath(patch('@sindresorhus/is'), root));
  const patched = (await loadPatched('@sindresorhus/is', { './utilities.js': join(isDir, 'utilities.js') })) as unknown as typeof import('@sindresorhus/is');
  const original = (await import(pathToFileURL(join(isDir, 'index.js')).href)) as typeof import('@sindresorhus/is');
  const source = applyPatch(patch('@sindresorhus/is'), readFileSync(join(isDir, 'index.js'), 'utf8'));
  assert.doesNotMatch(source.split('function typeErrorMessageMultipleValues')[0]!, /new Intl\.ListFormat/, 'none built at load');
  const thrown = (f: () => void): string => {
    try {
      f();
    } catch (e) {
      return (e as Error).message;
    }
    return 'nothing thrown';
  };
  const cases: Array<(m: typeof original) => void> = [
    (m) => m.assert.all(m.isString, 'a', 1, null),
    (m) => m.assert.all(m.isNumber, 'x'),
    (m) => m.assert.any([m.isString, m.isNumber], null, undefined, {}),
    (m) => m.assert.any([m.isString, m.isBoolean, m.isArray], 5),
    (m) => m.assert.any(m.isObject, 1, 'b'),
  ];
  for (const c of cases) {
    const want = thrown(() => c(original));
    assert.match(want, /^Expected values which are /);
    assert.equal(thrown(() => c(patched)), want);
  }
});

test('yoga patch: the wasm is ready when the factory returns (no await), and lays out as the original', async () => {
  const patchedLoad = (await loadPatched('yoga-layout 3.2.1 dist/binaries', {})).default as (m: object) => Promise<unknown>;
  const yogaDir = dirname(patchedPath(patch('yoga-layout 3.2.1 dist/binaries'), root));
  const wrap = ((await import(pathToFileURL(join(yogaDir, '../src/wrapAssembly.js')).href)) as { default: (asm: unknown) => YogaLike }).default;
  const moduleObject = {};
  void patchedLoad(moduleObject);
  const yoga = wrap(moduleObject); // synchronously: nothing awaited
  const original = ((await import('yoga-layout')) as unknown as { default: YogaLike }).default;
  assert.deepEqual(layout(yoga), layout(original));
});

test('yoga entry and Ink reconciler patches: no top-level await left (they fit a CommonJS bundle); the originals have one', async () => {
  const { transformSync } = await import('esbuild');
  for (const label of ['yoga-layout 3.2.1 dist/src/index.js', 'ink 6.8.0 build/reconciler.js']) {
    const p = patch(label);
    const original = readFileSync(patchedPath(p, root), 'utf8');
    assert.throws(() => transformSync(original, { format: 'cjs', loader: 'js' }), /Top-level await/, `${label}: the original awaits at its top level`);
    assert.doesNotThrow(() => transformSync(applyPatch(p, original), { format: 'cjs', loader: 'js' }), label);
  }
  const reconciler = applyPatch(patch('ink 6.8.0'), readFileSync(patchedPath(patch('ink 6.8.0'), root), 'utf8'));
  assert.match(reconciler, /import\('\.\/devtools\.js'\)\.catch\(/, 'DEV=true still imports the devtools stub');
});

// The segmenter patches (string-width 8 and 7, ansi-tokenize, slice-ansi): no Intl.Segmenter at load, and
// none for a string of OWN_CLUSTERS_SOURCE's code points, whose segments are then one code point each.
const ownClusters = new RegExp(OWN_CLUSTERS_SOURCE);
const graphemeSegmenter = new Intl.Segmenter(undefined, { granularity: 'grapheme' });
const segmentList = (s: string): Array<{ segment: string; index: number; input: string }> =>
  Array.from(graphemeSegmenter.segment(s), ({ segment, index, input }) => ({ segment, index, input }));
const isHangul = (cp: number): boolean =>
  (cp >= 0x1100 && cp <= 0x11ff) || (cp >= 0xa960 && cp <= 0xa97f) || (cp >= 0xac00 && cp <= 0xd7a3) || (cp >= 0xd7b0 && cp <= 0xd7ff);

test('segmenter patches: every code point the set admits is a cluster of its own beside itself, a letter and ESC (never CR, Hangul or a regional indicator)', () => {
  const admitted: number[] = [];
  for (let cp = 0; cp <= 0x10ffff; cp++) if (ownClusters.test(String.fromCodePoint(cp))) admitted.push(cp);
  assert.ok(admitted.length > 25_000, `the set admits ${admitted.length} code points`);
  const wrong: string[] = [];
  for (const cp of admitted) {
    const c = String.fromCodePoint(cp);
    const ok = cp !== 0x0d && !isHangul(cp) && !(cp >= 0x1f1e6 && cp <= 0x1f1ff) && cp <= 0xffff && !(cp >= 0xd800 && cp <= 0xdfff) &&
      [c + c, `a${c}`, `${c}a`, `${c}\u001B`, `\u001B${c}`].every((s) => segmentList(s).length === 2);
    if (!ok) wrong.push(cp.toString(16));
  }
  assert.deepEqual(wrong, []);
  // what the UI renders is in it: its glyphs, Ink's borders, CJK, ESC and LF; CR (GB3 CR × LF) is not
  const ui = '·—‘’“”…ℹ↑→↓≈≥⌫█▏░⚠✔✖⠋⠙⠹⠸⠼⠴⠦⠧⠇⠏、。〈〉《》「」『』【】〔〕・ー！（），．／：；？─│╭╮╰╯┌┐└┘├┤┬┴┼━┃═║自然人憑證卡片檢測重寫判定 B-1 é±°§①\u001B\n\t';
  assert.ok(ownClusters.test(ui), [...ui].filter((c) => !ownClusters.test(c)).join(' '));
  for (const c of ['\r', '\u0301', '\u200D', '\uFE0F', '\u3099', '\uFF9E', '한', '\u1100', '🇹', '😀', '\uD800', '\u0600', '\u0903']) assert.equal(ownClusters.test(c), false, c);
});

/** Seeded strings mixing code points of the set, ANSI sequences, and clusters from outside the set. */
function corpus(): string[] {
  let seed = 2910;
  const rand = (n: number): number => ((seed = (seed * 1103515245 + 12345) & 0x7fffffff) % n);
  const admitted: number[] = [];
  for (let cp = 0; cp <= 0xffff; cp++) if (ownClusters.test(String.fromCharCode(cp))) admitted.push(cp);
  const common = [...' abcXYZ019-·…│─╭╮╰╯█░⚠✔✖⠋→≈、。「」（）：自然人憑證卡讀判定'];
  const ansi = ['\u001B[31m', '\u001B[39m', '\u001B[1;3;38;2;10;20;30m', '\u001B[0m', '\u001B[2m', '\u001B[22m', '\u001B[38;5;123m', '\u001B]8;;https://moica.nat.gov.tw\u0007', '\u001B]8;;\u0007', '\u009B31m', '\u001B[2K', '\u001B[', '\u001B'];
  const outside = ['\u0301', 'e\u0301', '\u200D', '👨‍👩‍👧‍👦', '🏳️‍🌈', '🇹🇼', '🇹', '한국', '\u1100\u1161\u11A8', '\uFE0F', '❤️', '\r\n', '\r', 'a\r', '\u0915\u094D\u0937', '😀', '👍🏽', 'ｶﾞ', '\u0E01\u0E31', '\u3099', 'か\u3099', '\uD800', '\u0600a', '\u0915\u0903', '#️⃣', '\u200C'];
  const out = ['', 'a', '\u001B[31mred\u001B[39m', '╭─ 讀卡機 ──╮', '│ ● 王小明 │', '● 有卡片（未讀取）', 'e\u0301', '\r\n', '👨‍👩‍👧‍👦'];
  for (let i = 0; i < 4000; i++) {
    const inside = i % 2 === 0; // half the strings hold only the set's code points (and ANSI)
    let s = '';
    for (let k = 1 + rand(14); k > 0; k--) {
      const r = rand(10);
      if (r < 3) s += String.fromCharCode(admitted[rand(admitted.length)]!);
      else if (r < 6) s += common[rand(common.length)];
      else if (r < 8) s += ansi[rand(ansi.length)];
      else if (!inside) s += outside[rand(outside.length)];
      else s += ' ';
    }
    out.push(s);
  }
  return out;
}
const mixed = corpus();

test('segmenter patches: the helper gives the segmenter\'s {segment, index, input} list, for strings inside the set and out of it', () => {
  // the helper as the patched files hold it
  for (const label of ['string-width 8', 'string-width 7', '@alcalzone/ansi-tokenize']) {
    const p = patch(label);
    const construct = label.startsWith('@alcalzone') ? 'new Intl.Segmenter(undefined, {granularity: "grapheme"})' : 'new Intl.Segmenter()';
    assert.ok(applyPatch(p, readFileSync(patchedPath(p, root), 'utf8')).includes(segmentsHelper(construct)), label);
  }
  for (const construct of ['new Intl.Segmenter()', 'new Intl.Segmenter(undefined, {granularity: "grapheme"})']) {
    const segmentsOf = new Function(`${segmentsHelper(construct)}\nreturn segmentsOf;`)() as (s: string) => Iterable<{ segment: string; index: number; input: string }>;
    let fast = 0;
    for (const s of mixed) {
      if (ownClusters.test(s)) fast++;
      assert.deepEqual(Array.from(segmentsOf(s), ({ segment, index, input }) => ({ segment, index, input })), segmentList(s), JSON.stringify(s));
    }
    assert.ok(fast > 2000 && fast < mixed.length, `${fast} of ${mixed.length} strings take the fast path`);
  }
});

const sw7Path = patchedPath(patch('string-width 7'), root);
const sw7Require = createRequire(sw7Path);
const sw7Imports = {
  'strip-ansi': sw7Require.resolve('strip-ansi'),
  'get-east-asian-width': sw7Require.resolve('get-east-asian-width'),
  'emoji-regex': sw7Require.resolve('emoji-regex'),
};
const swImports = { 'strip-ansi': swRequire.resolve('strip-ansi'), 'get-east-asian-width': swRequire.resolve('get-east-asian-width') };
const tokenizePath = patchedPath(patch('@alcalzone/ansi-tokenize'), root);
const tokenizeImports = {
  'is-fullwidth-code-point': createRequire(tokenizePath).resolve('is-fullwidth-code-point'),
  './ansiCodes.js': join(dirname(tokenizePath), 'ansiCodes.js'),
};
const sliceTokenizePath = patchedPath(patch('slice-ansi'), root);
const sliceRequire = createRequire(sliceTokenizePath);
const sliceImports = { 'ansi-styles': sliceRequire.resolve('ansi-styles'), 'is-fullwidth-code-point': sliceRequire.resolve('is-fullwidth-code-point') };
/** slice-ansi's own index.js, importing the patched tokenizer (`query` makes a fresh module of both). */
async function patchedSliceAnsi(query = ''): Promise<(s: string, start: number, end?: number) => string> {
  const tokenizer = writePatched('slice-ansi', sliceImports);
  const index = readFileSync(join(dirname(sliceTokenizePath), 'index.js'), 'utf8');
  const replaced = index.replace("from './tokenize-ansi.js'", `from '${pathToFileURL(tokenizer).href}${query}'`);
  assert.notEqual(replaced, index);
  const file = join(work, `slice-ansi-index${query.replace(/\W+/g, '-')}.mjs`);
  writeFileSync(file, replaced);
  return ((await import(pathToFileURL(file).href)) as { default: (s: string, start: number, end?: number) => string }).default;
}
type Width = (s: string, o?: { ambiguousIsNarrow?: boolean }) => number;
type Tokenize = (s: string, endChar?: number) => unknown[];

test('string-width 7 (wrap-ansi\'s) and 8 patches: the same widths as the originals on the corpus, with and without ambiguousIsNarrow', async () => {
  const patched7 = (await loadPatched('string-width 7', sw7Imports)).default as Width;
  const original7 = ((await import(pathToFileURL(sw7Path).href)) as { default: Width }).default;
  for (const s of mixed) {
    for (const o of [undefined, { ambiguousIsNarrow: false }, { ambiguousIsNarrow: true }]) {
      assert.equal(patched7(s, o), original7(s, o), `7: ${JSON.stringify(s)} ${JSON.stringify(o)}`);
      assert.equal(patchedWidth(s, o), stringWidth(s, o), `8: ${JSON.stringify(s)} ${JSON.stringify(o)}`);
    }
  }
});

test('ansi-tokenize patch: tokenize (with and without endChar), styledCharsFromTokens and styledCharsToString give what the original gives', async () => {
  const patched = (await loadPatched('@alcalzone/ansi-tokenize', tokenizeImports)).tokenize as Tokenize;
  const original = (await import(pathToFileURL(join(dirname(tokenizePath), 'index.js')).href)) as {
    tokenize: Tokenize;
    styledCharsFromTokens: (t: unknown[]) => unknown[];
    styledCharsToString: (c: unknown[]) => string;
  };
  for (const s of mixed) {
    for (const end of [undefined, 1, 3, 8]) {
      const want = original.tokenize(s, end);
      const got = patched(s, end);
      assert.deepEqual(got, want, `${JSON.stringify(s)} ${end}`);
      const chars = original.styledCharsFromTokens(want);
      assert.deepEqual(original.styledCharsFromTokens(got), chars);
      assert.equal(original.styledCharsToString(original.styledCharsFromTokens(got)), original.styledCharsToString(chars));
    }
  }
});

test('slice-ansi patch: the default export cuts every corpus string as the original does, over several ranges', async () => {
  const patched = await patchedSliceAnsi();
  const original = ((await import('slice-ansi')) as { default: (s: string, start: number, end?: number) => string }).default;
  assert.equal(pathToFileURL(realpathSync(join(root, 'node_modules/slice-ansi/index.js'))).href, import.meta.resolve('slice-ansi'), 'the original is the file patched');
  for (const s of mixed) {
    for (const [start, end] of [[0, undefined], [0, 1], [0, 3], [1, 5], [2, 9], [4, 4], [3, undefined], [0, 40]] as const) {
      assert.equal(patched(s, start, end), original(s, start, end), `${JSON.stringify(s)} ${start}-${end}`);
    }
  }
});

/** Runs `body` with Intl.Segmenter replaced by a spy; `built()` is how many it has constructed so far. */
async function withSegmenterSpy(body: (built: () => number) => Promise<void>): Promise<void> {
  const Real = Intl.Segmenter;
  let count = 0;
  const Spy = new Proxy(Real, {
    construct(target, args: ConstructorParameters<typeof Intl.Segmenter>, newTarget) {
      count++;
      return Reflect.construct(target, args, newTarget) as object;
    },
  });
  Object.defineProperty(Intl, 'Segmenter', { value: Spy, writable: true, configurable: true });
  try {
    await body(() => count);
  } finally {
    Object.defineProperty(Intl, 'Segmenter', { value: Real, writable: true, configurable: true });
  }
}

test('segmenter patches: no Intl.Segmenter built at load, nor for strings inside the set; one, once, for a string outside it (slice-ansi: on first use)', async () => {
  await withSegmenterSpy(async (built) => {
    const fresh = async (file: string): Promise<Record<string, unknown>> => (await import(`${pathToFileURL(file).href}?spy`)) as Record<string, unknown>;
    const sw8 = (await fresh(writePatched('string-width', swImports))).default as Width;
    const sw7 = (await fresh(writePatched('string-width 7', sw7Imports))).default as Width;
    const tokenize = (await fresh(writePatched('@alcalzone/ansi-tokenize', tokenizeImports))).tokenize as Tokenize;
    const slice = await patchedSliceAnsi('?spy');
    assert.equal(built(), 0, 'none built at load');
    const inside = mixed.filter((s) => ownClusters.test(s));
    assert.ok(inside.length > 2000);
    for (const s of inside) {
      sw8(s);
      sw8(s, { ambiguousIsNarrow: false });
      sw7(s);
      tokenize(s);
    }
    assert.equal(built(), 0, 'none built for strings inside the set');
    for (const [name, use] of [['string-width 8', () => sw8('e\u0301')], ['string-width 7', () => sw7('e\u0301')], ['ansi-tokenize', () => tokenize('🇹🇼')], ['slice-ansi', () => slice('自然人', 0, 2)]] as const) {
      const before: number = built();
      use();
      use();
      assert.equal(built(), before + 1, `${name}: one segmenter, built once`);
    }
  });
});

test('source/text/own-clusters.ts (the UI\'s line cutting): the same list as the patches; graphemes() gives the segmenter\'s clusters, and builds none for strings inside the set', async () => {
  const file = join(root, 'source/text/own-clusters.ts');
  await withSegmenterSpy(async (built) => {
    const { graphemes } = (await import(`${pathToFileURL(file).href}?spy`)) as typeof import('../../source/text/own-clusters.js');
    const inside = mixed.filter((s) => ownClusters.test(s));
    for (const s of inside) assert.deepEqual(graphemes(s), segmentList(s).map((x) => x.segment), JSON.stringify(s));
    assert.equal(built(), 0, 'none built for strings inside the set');
    for (const s of mixed) assert.deepEqual(graphemes(s), segmentList(s).map((x) => x.segment), JSON.stringify(s));
    assert.equal(built(), 1, 'one, built once, for the strings outside it');
  });
});

/**
 * got, bundled as the build bundles it (esbuild with the patches, CommonJS and ES module output), in a
 * process of its own: a plain HTTP request loads no http2-wrapper (node's http2 module stays unloaded),
 * and a request with `http2: true` to an HTTPS HTTP/2 server is still made over HTTP/2.
 */
test('got patch: http2-wrapper is loaded only when a request asks for HTTP/2, and such a request is still HTTP/2', { timeout: 60_000 }, async () => {
  const { build } = await import('esbuild');
  const { patchPlugin } = await import('../../scripts/patches.mjs');
  const { spawnSync, execFileSync } = await import('node:child_process');
  const dir = mkdtempSync(join(work, 'got-'));
  const key = join(dir, 'key.pem');
  const cert = join(dir, 'cert.pem');
  execFileSync('openssl', ['req', '-x509', '-newkey', 'rsa:2048', '-nodes', '-subj', '/CN=localhost', '-addext', 'subjectAltName=DNS:localhost', '-days', '1', '-keyout', key, '-out', cert], { stdio: 'ignore' });
  const entry = `
    import got from 'got';
    import http from 'node:http';
    import { readFileSync } from 'node:fs';
    const listen = (server) => new Promise((r) => server.listen(0, '127.0.0.1', () => r(server.address().port)));
    async function main() {
    const loaded = () => process.moduleLoadList.includes('NativeModule http2');
    const plain = http.createServer((req, res) => res.end('plain'));
    const port = await listen(plain);
    const body = await got('http://127.0.0.1:' + port + '/', { retry: { limit: 0 } }).text();
    plain.close();
    const afterPlain = loaded();
    const { default: http2 } = await import('node:http2');
    const secure = http2.createSecureServer({ key: readFileSync(${JSON.stringify(key)}), cert: readFileSync(${JSON.stringify(cert)}) }, (req, res) => res.end('over ' + req.httpVersion));
    const sport = await listen(secure);
    // (by name, as HTTP/2 sessions are matched to the certificate's; resolved to 127.0.0.1 only)
    const h2 = await got('https://localhost:' + sport + '/', { http2: true, dnsLookupIpVersion: 4, https: { rejectUnauthorized: false }, retry: { limit: 0 } });
    secure.close();
    console.log(JSON.stringify({ body, afterPlain, h2: h2.body, httpVersion: h2.httpVersion }));
    process.exit(0);
    }
    main();
  `;
  const seen = new Set<string>();
  for (const format of ['cjs', 'esm'] as const) {
    const outfile = join(dir, `got-${format}.${format === 'cjs' ? 'cjs' : 'mjs'}`);
    await build({
      stdin: { contents: entry, resolveDir: root, loader: 'js' },
      outfile, bundle: true, platform: 'node', target: 'node20', format, logLevel: 'error', plugins: [patchPlugin(seen) as never],
      ...(format === 'esm' ? { banner: { js: "import { createRequire } from 'node:module'; const require = createRequire(import.meta.url);" } } : {}),
    });
    const run = spawnSync(process.execPath, [outfile], { encoding: 'utf8', timeout: 30_000 });
    assert.equal(run.status, 0, run.stderr);
    assert.deepEqual(JSON.parse(run.stdout), { body: 'plain', afterPlain: false, h2: 'over 2.0', httpVersion: '2.0' }, format);
  }
  assert.ok(seen.has(patch('got').label), 'the patch was applied');
});

test('@peculiar/utils patch: every byte helper gives what the original gives (same type, offset, length, bytes, shared memory, errors) over views, buffers and non-buffers of this realm and another', async () => {
  const { runInNewContext } = await import('node:vm');
  const originalPath = patchedPath(patch('@peculiar/utils 4.1.0 build/bytes/buffer-source.js (asn1js)'), root);
  const original = (await import(pathToFileURL(originalPath).href)) as Record<string, (...a: unknown[]) => unknown>;
  assert.equal(patchedPath(patch('@peculiar/utils 4.1.0 build/bytes/buffer-source.js (pkijs)'), root) !== originalPath, true, 'two copies, each patched');
  const patched = await loadPatched('@peculiar/utils 4.1.0 build/bytes/buffer-source.js (asn1js)', {}) as Record<string, (...a: unknown[]) => unknown>;
  const ab = new ArrayBuffer(16);
  new Uint8Array(ab).forEach((_, i, a) => (a[i] = i * 7));
  const inputs: [string, unknown][] = [
    ['ArrayBuffer', ab], ['SharedArrayBuffer', new SharedArrayBuffer(8)], ['Uint8Array', new Uint8Array(ab)],
    ['Uint8Array subarray', new Uint8Array(ab).subarray(3, 9)], ['Buffer', Buffer.from('abcdef')], ['pooled Buffer', Buffer.from('xy').subarray(1)],
    ['DataView', new DataView(ab, 2, 8)], ['Uint16Array', new Uint16Array(ab, 4, 3)], ['Float64Array', new Float64Array(2)],
    ['empty Uint8Array', new Uint8Array(0)], ['view-like object', { buffer: ab, byteOffset: 0, byteLength: 16 }],
    ['other realm Uint8Array', runInNewContext('new Uint8Array([1, 2, 3])')], ['other realm ArrayBuffer', runInNewContext('new ArrayBuffer(4)')],
    ['null', null], ['undefined', undefined], ['string', 'abc'], ['number', 42], ['array', [1, 2]], ['object', {}],
  ];
  const outcome = (f: (...a: unknown[]) => unknown, args: unknown[]) => {
    try {
      const r = f(...args);
      if (typeof r === 'boolean' || r === undefined) return { value: r };
      const v = r as ArrayBufferView | ArrayBuffer;
      const input = args[0] as { buffer?: unknown };
      if (ArrayBuffer.isView(v)) {
        return {
          type: v.constructor.name, byteOffset: v.byteOffset, byteLength: v.byteLength, bytes: [...new Uint8Array(v.buffer, v.byteOffset, v.byteLength)],
          sharesInput: v.buffer === input || v.buffer === input?.buffer, sameObject: v === input,
        };
      }
      return { type: Object.prototype.toString.call(v), byteLength: v.byteLength, bytes: [...new Uint8Array(v as ArrayBuffer)], sameObject: v === input, sharesInput: v === input?.buffer };
    } catch (e) {
      return { threw: `${(e as Error).constructor.name}: ${(e as Error).message}` };
    }
  };
  const names = Object.keys(original).filter((k) => typeof original[k] === 'function');
  assert.deepEqual(names.sort(), Object.keys(patched).sort());
  let compared = 0;
  for (const name of names) {
    for (const [label, input] of inputs) {
      const argLists = name === 'toView' || name === 'toViewCopy' ? [Uint8Array, Uint16Array, DataView].map((t) => [input, t]) : [[input]];
      for (const args of argLists) {
        assert.deepEqual(outcome(patched[name]!, args), outcome(original[name]!, args), `${name}(${label}${args.length > 1 ? `, ${(args[1] as { name: string }).name}` : ''})`);
        compared++;
      }
    }
  }
  assert.ok(compared > 200, `${compared} calls compared`);
  // The one input told apart (scripts/patches.mjs): a view claiming to be an ArrayBuffer by an own tag.
  const forged = new Uint8Array([9, 8, 7]);
  Object.defineProperty(forged, Symbol.toStringTag, { value: '[object ArrayBuffer]'.slice(8, -1) });
  const [mine, theirs] = [patched.toUint8Array!(forged), original.toUint8Array!(forged)] as Uint8Array[];
  assert.deepEqual([...mine!], [...theirs!]);
  assert.equal(mine!.buffer === forged.buffer, true);
  assert.equal(theirs!.buffer === forged.buffer, false, 'the original copies a view tagged ArrayBuffer');
});
