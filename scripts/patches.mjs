// Build-time patches of dependencies, for start-up time and so that the TUI's first-frame code fits in one
// CommonJS file (no top-level await); none changes what a dependency computes. Each patch names the exact
// file it was written against (its SHA-256) and replaces text that must occur exactly once: a dependency
// update that changes the file fails the build (`npm run build`) instead of shipping a patch that no longer
// fits. test/scripts/patches.test.ts proves each patched file computes what the original does.
import { createHash } from 'node:crypto';
import { realpathSync } from 'node:fs';
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

/** Which file each patch applies to, by its path under the project's node_modules (not a nested copy). */
export const PATCHES = [
  { module: '@sindresorhus/is/distribution/index.js', ...IS_LIST_FORMAT },
  { module: 'string-width/index.js', ...STRING_WIDTH },
  { module: 'yoga-layout/dist/binaries/yoga-wasm-base64-esm.js', ...YOGA },
  { module: 'yoga-layout/dist/src/index.js', ...YOGA_ENTRY },
  { module: 'ink/build/reconciler.js', ...INK_RECONCILER },
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
      build.onLoad({ filter: /[\\/](?:string-width|yoga-layout|ink|@sindresorhus[\\/]is)[\\/].*\.js$/ }, async (args) => {
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
