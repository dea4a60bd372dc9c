// Build-time patches of dependencies, for start-up time and so that the TUI's first-frame code fits in one
// CommonJS file (no top-level await); none changes what a dependency computes. Each patch names the exact
// file it was written against (its SHA-256) and replaces text that must occur exactly once: a dependency
// update that changes the file fails the build (`npm run build`) instead of shipping a patch that no longer
// fits. test/scripts/patches.test.ts proves each patched file computes what the original does.
import { createHash } from 'node:crypto';
import { readFileSync, realpathSync } from 'node:fs';
import { readFile } from 'node:fs/promises';
import { join } from 'node:path';

/**
 * string-width 8 compiles `/^\p{RGI_Emoji}$/v` (a property of strings: tens of thousands of sequences) on
 * its first use, ≈ 40-50 ms, and every non-ASCII string reaches it: the first frame's CJK title did. The
 * patch answers without it where the answer is known:
 * - one code point: RGI_Emoji holds exactly the Emoji_Presentation code points except the 26 regional
 *   indicators (which are RGI only in pairs, as flags); the test checks this over every code point;
 * - several code points: every RGI sequence (keycap, flag, tag, modifier, ZWJ, basic + VS16) starts with an
 *   Emoji code point, so a cluster that does not cannot match;
 * - anything else asks the same regex, compiled on that first need.
 */
const STRING_WIDTH = {
  label: 'string-width 8.3.0 index.js',
  sha256: 'abc20775da6b552188b098688ebec671e29f5416d6339d3534bb7b016174003e',
  replacements: [
    [
      'const rgiEmojiRegex = /^\\p{RGI_Emoji}$/v;',
      `let rgiEmojiRegex;
const emojiStartRegex = /^\\p{Emoji}/u;
const emojiPresentationRegex = /^\\p{Emoji_Presentation}$/u;

// Patched by moica-check's build (scripts/patches.mjs): the same answer as /^\\p{RGI_Emoji}$/v, which is
// compiled only when a cluster needs it.
function isRgiEmoji(segment) {
	const codePoint = segment.codePointAt(0);
	if (segment.length === (codePoint > 0xFF_FF ? 2 : 1)) {
		return emojiPresentationRegex.test(segment) && !(codePoint >= 0x1_F1_E6 && codePoint <= 0x1_F1_FF);
	}

	if (!emojiStartRegex.test(segment)) {
		return false;
	}

	rgiEmojiRegex ??= new RegExp('^\\\\p{RGI_Emoji}$', 'v');
	return rgiEmojiRegex.test(segment);
}`,
    ],
    ['if (rgiEmojiRegex.test(segment) || isDoubleWidthNonRgiEmojiSequence(segment)) {', 'if (isRgiEmoji(segment) || isDoubleWidthNonRgiEmojiSequence(segment)) {'],
  ],
};

/**
 * yoga-layout 3.2.1 (Ink's layout engine) decodes its inlined wasm with atob and a charCodeAt loop
 * (≈ 10 ms), and fetches the data: URL first whenever fetch exists, which loads Node's whole fetch
 * implementation. The patch decodes the same base64 with Buffer, synchronously, and never fetches.
 */
const YOGA = {
  label: 'yoga-layout 3.2.1 dist/binaries/yoga-wasm-base64-esm.js',
  sha256: '2cfeda49ae87f57bcd4a5fe433940edefc531a69bd0f83e32759fb5837df205c',
  replacements: [
    [
      'var b=xa(a.slice(37)),c=new Uint8Array(b.length);for(a=0;a<b.length;++a)c[a]=b.charCodeAt(a);var d=c',
      'var d=Buffer.from(a.slice(37),"base64")',
    ],
    ['function ya(){return w||"function"!=typeof fetch?', 'function ya(){return w||!0?'],
  ],
};

/**
 * @sindresorhus/is 7.2.0 (got's argument checks) builds two Intl.ListFormat at load, for the text of one
 * kind of TypeError: ≈ 13 ms and ≈ 4.5 MiB of ICU's pages at the first check (issue 15, measured). The
 * patch builds each on that error's first need: the same formatter, the same text.
 */
const IS_LIST_FORMAT = {
  label: '@sindresorhus/is 7.2.0 distribution/index.js',
  sha256: '78873ae8baf6f8a7f6e41b3b405d0cdafdef4f6282cc909a08ff3553f2997b87',
  replacements: [
    [
      "const andFormatter = new Intl.ListFormat('en', { style: 'long', type: 'conjunction' });\nconst orFormatter = new Intl.ListFormat('en', { style: 'long', type: 'disjunction' });",
      'let andFormatter;\nlet orFormatter;',
    ],
    ['${orFormatter.format(uniqueExpectedTypes)}', "${(orFormatter ??= new Intl.ListFormat('en', { style: 'long', type: 'disjunction' })).format(uniqueExpectedTypes)}"],
    ['${andFormatter.format(uniqueValueTypes)}', "${(andFormatter ??= new Intl.ListFormat('en', { style: 'long', type: 'conjunction' })).format(uniqueValueTypes)}"],
  ],
};

/**
 * The same yoga file, second part: the wasm compiled and instantiated synchronously, as soon as the
 * module runs (its bytes are inlined: nothing to wait for). Emscripten's runtime then starts within the
 * factory call, so yoga-layout's entry needs no top-level await (YOGA_ENTRY), which the TUI's CommonJS
 * bundle (dist/tui.cjs, for V8's code cache: scripts/build.mjs) cannot hold.
 */
YOGA.replacements.push([
  '(function(){return w||"function"!=typeof WebAssembly.instantiateStreaming||ua(H)||"function"!=typeof fetch?c(b):fetch(H,{credentials:"same-origin"}).then(function(e){return WebAssembly.instantiateStreaming(e,d).then(b,function(f){v("wasm streaming compile failed: "+f);v("falling back to ArrayBuffer instantiation");return c(b)})})})().catch(ca);return{}',
  'a(new WebAssembly.Instance(new WebAssembly.Module(wa()),d));return{}',
]);

/** yoga-layout's entry: the factory's module object is ready when the call returns (the sync part above). */
const YOGA_ENTRY = {
  label: 'yoga-layout 3.2.1 dist/src/index.js',
  sha256: '0c89ff0c01ee90b081b369119f972d72f71eb8882263d94ef0824500817d5de1',
  replacements: [
    ['const Yoga = wrapAssembly(await loadYoga());', 'const yogaModule = {};\nloadYoga(yogaModule);\nconst Yoga = wrapAssembly(yogaModule);'],
  ],
};

/**
 * Ink 6.8's reconciler awaits, at its top level, two things for DEV=true only (React DevTools, which the
 * build stubs out: scripts/devtools-stub.mjs, and Ink's package.json for it). Without top-level await the
 * module can sit in a CommonJS bundle; with DEV=true the devtools stub is still imported, not awaited, and
 * the renderer's name and version (which only DevTools shows) are no longer read from Ink's package.json.
 */
const INK_RECONCILER = {
  label: 'ink 6.8.0 build/reconciler.js',
  sha256: '33206e5904be42672999acd9dd9d37c6bb109176c836bf5469ac89a50ff773f2',
  replacements: [
    ["        await import('./devtools.js');", "        import('./devtools.js').catch(() => undefined);"],
    ['const packageJson = isDev()\n    ? await loadPackageJson()\n    : { name: undefined, version: undefined };', 'const packageJson = { name: undefined, version: undefined };'],
  ],
};

/**
 * The first `new Intl.Segmenter()` of a process costs ≈ 8.5 ms (ICU's break-iterator set-up; later ones
 * ≈ 0.03 ms), and four modules of the TUI's first-frame bundle build one at load: string-width 8 and 7
 * (wrap-ansi's copy), @alcalzone/ansi-tokenize (Ink's output grid tokenises every line through it) and
 * slice-ansi. The patches build each on its first need, with the same arguments.
 *
 * Most of what the UI renders needs no segmenter at all: a string made only of the code points of
 * source/text/own-clusters.json (one list, read here and by the UI's own line cutting, text/own-clusters.ts)
 * is segmented one code point per cluster. By UAX #29 a break between two code points is prevented only by
 * GB3 (CR × LF), GB6-8 (Hangul L/V/T/LV/LVT), GB9 (× Extend | ZWJ), GB9a (× SpacingMark), GB9b (Prepend ×),
 * GB9c (needs a Linker, which is Extend), GB11 (needs a ZWJ) and GB12/13 (Regional_Indicator pairs); none
 * of these code points is CR, Hangul, Extend, ZWJ, SpacingMark, Prepend or a regional indicator (the
 * controls other than CR, ESC and LF among them, are clusters of their own by GB4/GB5). Explicit ranges of
 * assigned BMP code points, no \p{} class (no property table to build at start-up); keep it correct, not
 * big: a string with anything else takes the real segmenter. test/scripts/patches.test.ts checks every
 * code point it admits against the segmenter of the running Node.
 */
export const OWN_CLUSTER_RANGES = JSON.parse(readFileSync(new URL('../source/text/own-clusters.json', import.meta.url), 'utf8'))
  .map(({ from, to }) => [Number.parseInt(from, 16), Number.parseInt(to, 16)]);

const hex4 = (n) => `\\u${n.toString(16).toUpperCase().padStart(4, '0')}`;
/** The source of the regex, as written into each patched file: `^[…]*$` over OWN_CLUSTER_RANGES. */
export const OWN_CLUSTERS_SOURCE = `^[${OWN_CLUSTER_RANGES.map(([a, b]) => `${hex4(a)}-${hex4(b)}`).join('')}]*$`;

/**
 * The helper each patched file gets in place of its `const segmenter = new Intl.Segmenter(…)`:
 * `segmentsOf(string)` gives what `segmenter.segment(string)` iterates to ({segment, index, input} in
 * order), as an array of one code point each when the string is all OWN_CLUSTER_RANGES (BMP: one code
 * unit each), else the real Segments of a segmenter built, once, with the original's arguments.
 */
export function segmentsHelper(construct) {
  return `// Patched by moica-check's build (scripts/patches.mjs): no Intl.Segmenter at load, and none for a string
// whose every code point is a grapheme cluster of its own (the segments are then one code point each).
let segmenter;
const ownClustersRegex = /${OWN_CLUSTERS_SOURCE}/;
function segmentsOf(string) {
	string = \`\${string}\`;
	if (!ownClustersRegex.test(string)) {
		segmenter ??= ${construct};
		return segmenter.segment(string);
	}

	const segments = [];
	for (let index = 0; index < string.length; index++) {
		segments.push({segment: string[index], index, input: string});
	}

	return segments;
}`;
}

STRING_WIDTH.replacements.push(
  ['const segmenter = new Intl.Segmenter();', segmentsHelper('new Intl.Segmenter()')],
  ['for (const {segment} of segmenter.segment(string)) {', 'for (const {segment} of segmentsOf(string)) {'],
);

/** wrap-ansi 9's own string-width (7.2.0, nested): the segmenter patch above, nothing else. */
const STRING_WIDTH_7 = {
  label: 'string-width 7.2.0 index.js (wrap-ansi)',
  sha256: '16421893c66e7c45a68251f0708caaa8d49d74e9570ae574371d21356e9d30a6',
  replacements: [
    ['const segmenter = new Intl.Segmenter();', segmentsHelper('new Intl.Segmenter()')],
    ['for (const {segment: character} of segmenter.segment(string)) {', 'for (const {segment: character} of segmentsOf(string)) {'],
  ],
};

/** @alcalzone/ansi-tokenize 0.2.5 (Ink's output grid: every line it writes is tokenised). */
const ANSI_TOKENIZE = {
  label: '@alcalzone/ansi-tokenize 0.2.5 build/tokenize.js',
  sha256: '2685ddc940a005fb589f2af2182e90349fbe000da0b302c89ebbe782d97ade0d',
  replacements: [
    ['const segmenter = new Intl.Segmenter(undefined, { granularity: "grapheme" });', segmentsHelper('new Intl.Segmenter(undefined, {granularity: "grapheme"})')],
    ['for (const { segment, index } of segmenter.segment(str)) {', 'for (const { segment, index } of segmentsOf(str)) {'],
  ],
};

/**
 * slice-ansi 8.0.0: its segmenter only made lazy, no fast path (it also asks the Segments object for
 * `.containing(i)`). Ink 6.8 reaches slice-ansi only to clip a line of an `overflow="hidden"` box
 * (build/output.js) and through cli-truncate for a `wrap="truncate…"` text wider than its box: the UI uses
 * no overflow clip and cuts every line to its width itself first (source/ui/text/width.ts), so neither
 * happens on the common path.
 */
const SLICE_ANSI = {
  label: 'slice-ansi 8.0.0 tokenize-ansi.js',
  sha256: '8e4dcbf3c29a828963a6de01e7253b4fbcdcc231df424f779e5308cb27aa7f67',
  replacements: [
    [
      "const GRAPHEME_SEGMENTER = new Intl.Segmenter(undefined, {granularity: 'grapheme'});",
      `// Patched by moica-check's build (scripts/patches.mjs): the segmenter is built on its first need.
let graphemeSegmenter;
const graphemeSegmenterOnce = () => (graphemeSegmenter ??= new Intl.Segmenter(undefined, {granularity: 'grapheme'}));`,
    ],
    ['GRAPHEME_SEGMENTER.segment(visibleString)', 'graphemeSegmenterOnce().segment(visibleString)'],
    ['GRAPHEME_SEGMENTER.segment(pair)', 'graphemeSegmenterOnce().segment(pair)'],
    ['GRAPHEME_SEGMENTER.segment(string)', 'graphemeSegmenterOnce().segment(string)'],
  ],
};

/**
 * got 14 imports http2-wrapper at load for its `http2` option (HTTPS only), which nothing of ours sets:
 * that module makes a TLS socket when it loads and brings node:http2 with it, ≈ 8-14 ms on the way to the
 * first check's verdict (issue 15, measured). The patch gives got the same two members (globalAgent, auto)
 * through getters that load http2-wrapper on first use: an HTTP/2 request still gets exactly what it got.
 * (`require` here is bundled by esbuild like an import, and runs only when a getter is read.)
 */
const GOT_HTTP2 = {
  label: 'got 14.6.6 dist/source/core/options.js',
  sha256: '5ee9ba683153a35b01caa7e9685da281b6cdd5322dfc56b58fbb9009677e842f',
  replacements: [
    [
      "import http2wrapper from 'http2-wrapper';\n",
      `// Patched by moica-check's build (scripts/patches.mjs): http2-wrapper loaded on its first use.
let http2wrapperModule;
const loadHttp2wrapper = () => (http2wrapperModule ??= require('http2-wrapper'));
const http2wrapper = {
    get globalAgent() {
        return loadHttp2wrapper().globalAgent;
    },
    get auto() {
        return loadHttp2wrapper().auto;
    },
};
`,
    ],
  ],
};

/**
 * @peculiar/utils 4.1.0 (asn1js 4's and pkijs 4's byte helpers): every asn1js block, a schema's included,
 * is built through `toUint8Array`, and each call asked `Object.prototype.toString` four times (is it an
 * ArrayBuffer? a SharedArrayBuffer? twice each) before finding the view it nearly always is: ≈ 5-7 ms of the
 * demo's verdict (CPU profile) went to those calls (issue 15). The patch asks `ArrayBuffer.isView` first:
 * a view gives the same new Uint8Array over the same bytes, and isBufferSource the same answer (a view is
 * an ArrayBufferView); anything else takes the original path. (The one input told apart: a view given an
 * own Symbol.toStringTag of 'ArrayBuffer', which the original copies and the patch reads in place; neither
 * asn1js nor pkijs makes one. test/scripts/patches.test.ts compares every export over a corpus.)
 */
const PECULIAR_UTILS_BYTES = {
  sha256: 'd3a77cab2b8426ce297e8429b9d2ba03dbdbe97865b8173c51da0c92226b0f49',
  replacements: [
    [
      'function isBufferSource(value) {\n\treturn isArrayBufferLike(value) || isArrayBufferView(value);\n}',
      'function isBufferSource(value) {\n\treturn ArrayBuffer.isView(value) || isArrayBufferLike(value) || isArrayBufferView(value);\n}',
    ],
    [
      'function toUint8Array(data) {\n\tassertBufferSource(data);',
      '// Patched by moica-check\'s build (scripts/patches.mjs): a view first, without Object.prototype.toString.\nfunction toUint8Array(data) {\n\tif (ArrayBuffer.isView(data)) return new Uint8Array(data.buffer, data.byteOffset, data.byteLength);\n\tassertBufferSource(data);',
    ],
  ],
};

/** Which file each patch applies to, by its path under the project's node_modules (a nested copy by its full path). */
export const PATCHES = [
  { module: '@sindresorhus/is/distribution/index.js', ...IS_LIST_FORMAT },
  { module: 'string-width/index.js', ...STRING_WIDTH },
  { module: 'yoga-layout/dist/binaries/yoga-wasm-base64-esm.js', ...YOGA },
  { module: 'yoga-layout/dist/src/index.js', ...YOGA_ENTRY },
  { module: 'ink/build/reconciler.js', ...INK_RECONCILER },
  { module: 'got/dist/source/core/options.js', ...GOT_HTTP2 },
  { module: 'wrap-ansi/node_modules/string-width/index.js', ...STRING_WIDTH_7 },
  { module: '@alcalzone/ansi-tokenize/build/tokenize.js', ...ANSI_TOKENIZE },
  { module: 'slice-ansi/tokenize-ansi.js', ...SLICE_ANSI },
  { module: 'asn1js/node_modules/@peculiar/utils/build/bytes/buffer-source.js', label: '@peculiar/utils 4.1.0 build/bytes/buffer-source.js (asn1js)', ...PECULIAR_UTILS_BYTES },
  { module: 'pkijs/node_modules/@peculiar/utils/build/bytes/buffer-source.js', label: '@peculiar/utils 4.1.0 build/bytes/buffer-source.js (pkijs)', ...PECULIAR_UTILS_BYTES },
];

/** The real path of a patched file (node_modules may be a symlink; esbuild reports real paths). */
export function patchedPath(patch, root = process.cwd()) {
  return realpathSync(join(root, 'node_modules', patch.module));
}

/** The patched text of `source`; throws when the file is not the one the patch was written against. */
export function applyPatch(patch, source) {
  const digest = createHash('sha256').update(source).digest('hex');
  if (digest !== patch.sha256) {
    throw new Error(`${patch.label}: the file changed (sha256 ${digest}, the patch was written against ${patch.sha256}); review scripts/patches.mjs`);
  }
  let out = source;
  for (const [from, to] of patch.replacements) {
    const count = out.split(from).length - 1;
    if (count !== 1) throw new Error(`${patch.label}: expected the patched text once, found it ${count} times: ${from.slice(0, 60)}`);
    out = out.replace(from, () => to);
  }
  return out;
}

/** The esbuild plugin; `seen` collects the labels of the patches applied (checked by assertAllApplied). */
export function patchPlugin(seen = new Set()) {
  return {
    name: 'moica-patches',
    setup(build) {
      const byPath = new Map(PATCHES.map((p) => [patchedPath(p), p]));
      build.onLoad({ filter: /[\\/](?:string-width|yoga-layout|ink|got|slice-ansi|@sindresorhus[\\/]is|@alcalzone[\\/]ansi-tokenize|@peculiar[\\/]utils)[\\/].*\.js$/ }, async (args) => {
        const patch = byPath.get(args.path);
        if (patch === undefined) return undefined;
        seen.add(patch.label);
        return { contents: applyPatch(patch, await readFile(args.path, 'utf8')), loader: 'js' };
      });
    },
  };
}

/** Every patch was applied: a patched file no longer bundled from where expected fails the build too. */
export function assertAllApplied(seen) {
  const missing = PATCHES.filter((p) => !seen.has(p.label)).map((p) => p.label);
  if (missing.length > 0) throw new Error(`patches never applied (the file is no longer bundled where expected): ${missing.join(', ')}`);
}
