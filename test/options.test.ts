import { test } from 'node:test';
import assert from 'node:assert/strict';
import { parseOptions } from '../source/options.js';
import { isMoicaError } from '../source/errors.js';
import { VERSION } from '../source/version.js';
import { readFileSync } from 'node:fs';

test('--no-ocsp disables OCSP, --ocsp URL overrides it', () => {
  assert.equal(parseOptions(['check', '--no-ocsp'], {}).ocsp, false);
  assert.equal(parseOptions(['check', '--ocsp', 'http://127.0.0.1:1/'], {}).ocsp, 'http://127.0.0.1:1/');
  assert.equal(parseOptions(['check'], {}).ocsp, undefined);
});

test('--demo takes an optional scenario name', () => {
  assert.equal(parseOptions(['--demo'], {}).demo, 'rewrite');
  assert.equal(parseOptions(['--demo', 'revoked'], {}).demo, 'revoked');
  const o = parseOptions(['--demo', 'check', '--json'], {});
  assert.equal(o.command, 'check');
  assert.equal(o.demo, 'rewrite');
  assert.equal(o.json, true);
});

test('language from LANG, overridden by --lang', () => {
  assert.equal(parseOptions([], { LANG: 'zh_TW.UTF-8' }).lang, 'zh-TW');
  assert.equal(parseOptions([], { LANG: 'en_US.UTF-8' }).lang, 'en');
  assert.equal(parseOptions(['--lang', 'en'], { LANG: 'zh_TW.UTF-8' }).lang, 'en');
});

test('colour off by --no-color, NO_COLOR or TERM=dumb', () => {
  assert.equal(parseOptions([], {}).color, true);
  assert.equal(parseOptions(['--no-color'], {}).color, false);
  assert.equal(parseOptions([], { NO_COLOR: '1' }).color, false);
  assert.equal(parseOptions([], { TERM: 'dumb' }).color, false);
});

test('bad flags are usage errors', () => {
  for (const argv of [['frobnicate'], ['check', 'extra'], ['--timeout', 'abc'], ['--timeout', '0'], ['--lang', 'fr'], ['--port', '70000'], ['serve-registry']]) {
    assert.throws(() => parseOptions(argv, {}), (e: unknown) => isMoicaError(e, 'usage'), argv.join(' '));
  }
});

test('environment supplies registry URL and PKCS#11 module', () => {
  const o = parseOptions(['check'], { MOICA_REGISTRY_URL: 'https://r.example/', MOICA_PKCS11_MODULE: '/lib/x.so' });
  assert.equal(o.registry, 'https://r.example/');
  assert.equal(o.pkcs11Module, '/lib/x.so');
});

test('the version meow prints is package.json\'s', () => {
  const pkg = JSON.parse(readFileSync(new URL('../package.json', import.meta.url), 'utf8')) as { version: string };
  assert.equal(VERSION, pkg.version);
});
