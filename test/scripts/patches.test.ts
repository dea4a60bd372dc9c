/**
 * The build's dependency patches (scripts/patches.mjs) change start-up time only: the patched
 * string-width measures every string as string-width does, the patched yoga lays out as yoga does (and is
 * ready without an await), yoga's entry and Ink's reconciler hold no top-level await, @sindresorhus/is
 * throws the same texts, and a patch refuses a file it was not written against.
 */
import { test } from 'node:test';
import assert from 'node:assert/strict';
import { createRequire } from 'node:module';
import { mkdtempSync, readFileSync, rmSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { dirname, join } from 'node:path';
import { pathToFileURL } from 'node:url';
import stringWidth from 'string-width';
import { PATCHES, applyPatch, patchedPath, type Patch } from '../../scripts/patches.mjs';

const root = join(import.meta.dirname, '../..');
const patch = (label: string): Patch => PATCHES.find((p) => p.label.startsWith(label))!;
const work = mkdtempSync(join(tmpdir(), 'moica-patches-'));
process.on('exit', () => rmSync(work, { recursive: true, force: true }));

/** Writes the patched file beside nothing of its own: its bare imports become absolute file URLs. */
async function loadPatched(label: string, imports: Record<string, string>): Promise<Record<string, unknown>> {
  const p = patch(label);
  const original = patchedPath(p, root);
  let source = applyPatch(p, readFileSync(original, 'utf8'));
  for (const [from, to] of Object.entries(imports)) {
    const before = source;
    source = source.replaceAll(`from '${from}'`, `from '${pathToFileURL(to).href}'`);
    assert.notEqual(source, before, `the patched file imports ${from}`);
  }
  const file = join(work, `${label.replace(/\W+/g, '-')}.mjs`);
  writeFileSync(file, source);
  return (await import(pathToFileURL(file).href)) as Record<string, unknown>;
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
