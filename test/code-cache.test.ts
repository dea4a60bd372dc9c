/**
 * source/code-cache.ts: a CommonJS file run through V8's code cache. The first start writes the cache
 * (0600) and the next uses it (V8 accepts it); another build's files are removed; a corrupt cache is a
 * normal start and is rewritten; no build id or MOICA_NO_CODE_CACHE=1 reads and writes nothing; an
 * unwritable cache directory is a normal start too. What the file exports is the same every time. The
 * built TUI's two files (dist/tui.cjs, dist/engine.cjs) go through it in a real start, and the next takes both;
 * a session that never checks a card, or whose demo built its certificates, makes neither.
 */
import { test } from 'node:test';
import assert from 'node:assert/strict';
import { copyFileSync, existsSync, mkdirSync, mkdtempSync, readFileSync, readdirSync, rmSync, statSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { execFileSync } from 'node:child_process';
import { codeCacheDir, loadCached } from '../source/code-cache.js';
import { V8_DEFAULT_YOUNG_GENERATION } from '../source/ui/run.js';
import { inPty } from './ui/pty.js';

const work = mkdtempSync(join(tmpdir(), 'moica-code-cache-'));
process.on('exit', () => rmSync(work, { recursive: true, force: true }));
const SOURCE = "const os = require('node:os');\nfunction twice(x) { return x * 2; }\nmodule.exports = { twice, eol: os.EOL, here: __filename };\n";
type Mod = { twice(x: number): number; eol: string; here: string };
let copies = 0;
/**
 * The module at a path of its own each time: V8 keeps what a process compiled (its compilation cache,
 * keyed by the text and the file name), so one process loading the same file twice would not consult
 * the code cache at all. Each start of the app is a new process; each copy here stands for one.
 */
function start(): string {
  const file = join(work, `mod-${++copies}.cjs`);
  writeFileSync(file, SOURCE);
  return file;
}

function fresh(): NodeJS.ProcessEnv {
  return { XDG_CACHE_HOME: mkdtempSync(join(work, 'xdg-')) };
}

test('code cache: written once (0600) by the first start, used by the next; same exports', () => {
  const env = fresh();
  const file = start();
  const first = loadCached<Mod>(file, 'tui', 'build-a', env);
  assert.equal(first.accepted, false, 'no cache yet');
  assert.equal(first.exports.twice(21), 42);
  assert.equal(first.exports.here, file);
  assert.equal(existsSync(codeCacheDir(env)), false, 'nothing before save()');
  first.save();
  const [name] = readdirSync(codeCacheDir(env));
  assert.match(name!, new RegExp(`^tui-build-a-${process.version}-${process.arch}\\.bin$`));
  assert.equal(statSync(join(codeCacheDir(env), name!)).mode & 0o777, 0o600);
  const second = loadCached<Mod>(start(), 'tui', 'build-a', env);
  assert.equal(second.accepted, true, 'V8 took the code from the cache');
  assert.equal(second.exports.twice(4), 8);
  const before = statSync(join(codeCacheDir(env), name!)).mtimeMs;
  second.save(); // the cache was used: not written again
  assert.equal(statSync(join(codeCacheDir(env), name!)).mtimeMs, before);
});

test('code cache: another build writes its own and removes the old one; a corrupt cache is a normal start, rewritten', () => {
  const env = fresh();
  loadCached<Mod>(start(), 'tui', 'build-a', env).save();
  const b = loadCached<Mod>(start(), 'tui', 'build-b', env);
  b.save();
  assert.deepEqual(readdirSync(codeCacheDir(env)), [`tui-build-b-${process.version}-${process.arch}.bin`]);
  const path = join(codeCacheDir(env), `tui-build-b-${process.version}-${process.arch}.bin`);
  writeFileSync(path, 'not a V8 cache');
  const corrupt = loadCached<Mod>(start(), 'tui', 'build-b', env);
  assert.equal(corrupt.accepted, false);
  assert.equal(corrupt.exports.twice(1), 2);
  corrupt.save();
  assert.notEqual(readFileSync(path, 'latin1'), 'not a V8 cache', 'rewritten from what V8 compiled');
  const rewritten = statSync(path).mtimeMs;
  const next = loadCached<Mod>(start(), 'tui', 'build-b', env);
  assert.equal(next.accepted, true);
  assert.equal(next.exports.twice(3), 6);
  next.save();
  assert.equal(statSync(path).mtimeMs, rewritten, 'V8 took the rewritten cache: nothing to write');
});

test('code cache: no build id (run from source) or MOICA_NO_CODE_CACHE=1: nothing read or written; an unwritable directory: a normal start', () => {
  const env = fresh();
  const none = loadCached<Mod>(start(), 'tui', undefined, env);
  none.save();
  const off = loadCached<Mod>(start(), 'tui', 'build-a', { ...env, MOICA_NO_CODE_CACHE: '1' });
  off.save();
  assert.equal(off.accepted, false);
  assert.equal(off.exports.twice(5), 10);
  assert.equal(existsSync(codeCacheDir(env)), false);
  const blocked = join(work, 'a-file');
  writeFileSync(blocked, '');
  const stuck = loadCached<Mod>(start(), 'tui', 'build-a', { XDG_CACHE_HOME: blocked });
  assert.doesNotThrow(() => stuck.save());
  assert.equal(stuck.exports.twice(6), 12);
});

test('the TUI\'s cache is made with the young generation\'s flag back at V8\'s default: the value node --v8-options gives', () => {
  const options = execFileSync(process.execPath, ['--v8-options'], { encoding: 'utf8' });
  const stated = /--semi-space-growth-factor[^\n]*\n\s*type: int\s+default: (--semi-space-growth-factor=\d+)/.exec(options);
  assert.ok(stated, 'node --v8-options describes the flag');
  assert.equal(V8_DEFAULT_YOUNG_GENERATION, stated[1]);
});

test('code cache, the built TUI: its first-frame file and its engine, written by the first start that checks a card and builds no demo certificate, taken by the next (neither written again)', async () => {
  const env = fresh();
  const toVerdict = (out: string) => /判定 [ABC]/.test(out);
  // each file's inode and bytes: a cache written again is a new file (temp file + rename)
  const cacheFiles = () => Object.fromEntries(readdirSync(codeCacheDir(env)).map((f) => {
    const path = join(codeCacheDir(env), f);
    return [f, `${statSync(path).ino}:${readFileSync(path).toString('base64')}`];
  }));
  // A session that never checks a card (here the engine cannot start: its key cache is unusable) leaves no
  // cache: one made then would lack the check's code (the engine's) and the screens of a check (the TUI's),
  // and V8 would take it from then on.
  const failed = await inPty(['--demo', '--lang', 'en'], { ...env, MOICA_VIRTUAL_KEY_CACHE: '/dev/null/keys' }, (o) => o.includes('Could not start'), { quit: 'q' });
  assert.match(failed, /Could not start/);
  assert.deepEqual(existsSync(codeCacheDir(env)) ? readdirSync(codeCacheDir(env)) : [], []);
  // The demo's first start builds its certificates (@peculiar/x509, which no later start runs): no cache
  // from it either, or every later start would read that code. (A key cache of its own, with the shared
  // one's keys when there is one, and no certificates yet.)
  const keys = join(env.XDG_CACHE_HOME!, 'moica-check', 'demo-keys');
  mkdirSync(keys, { recursive: true });
  const shared = process.env.MOICA_VIRTUAL_KEY_CACHE;
  if (shared !== undefined && existsSync(shared)) for (const f of readdirSync(shared)) if (f.endsWith('.p8')) copyFileSync(join(shared, f), join(keys, f));
  env.MOICA_VIRTUAL_KEY_CACHE = keys;
  const building = await inPty(['--demo'], { ...env, LANG: 'zh_TW.UTF-8', LC_ALL: undefined }, toVerdict, { quit: 'q' });
  assert.match(building, /判定 B-1/);
  assert.ok(existsSync(join(keys, 'certificates.json')), 'the certificates were built and kept');
  assert.deepEqual(existsSync(codeCacheDir(env)) ? readdirSync(codeCacheDir(env)) : [], []);
  const first = await inPty(['--demo'], { ...env, LANG: 'zh_TW.UTF-8', LC_ALL: undefined }, toVerdict, { quit: 'q' });
  assert.match(first, /判定 B-1/);
  const written = cacheFiles();
  assert.deepEqual(Object.keys(written).map((f) => f.replace(/-[0-9a-f]{16}-/, '-ID-')).sort(), [
    `engine-ID-${process.version}-${process.arch}.bin`,
    `tui-ID-${process.version}-${process.arch}.bin`,
  ]);
  const second = await inPty(['--demo'], { ...env, LANG: 'zh_TW.UTF-8', LC_ALL: undefined }, toVerdict, { quit: 'q' });
  assert.match(second, /判定 B-1/);
  // save() writes only when V8 had no cache or rejected it: the same bytes mean both were accepted
  assert.deepEqual(cacheFiles(), written);
});
