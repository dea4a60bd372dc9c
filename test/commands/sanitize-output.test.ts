/**
 * Issue 13 item 6 for the commands: text mode passes everything it prints through sanitize() (printText,
 * fail, the usage errors, the terminal questions): escape sequences from a card, a certificate, a registry
 * or a reader name never reach the terminal, in text mode; JSON keeps the string (escaped by JSON).
 */
import { test } from 'node:test';
import assert from 'node:assert/strict';
import { main } from '../../source/cli.js';
import { fail, printText } from '../../source/commands/io.js';
import { cardText, readersText } from '../../source/commands/card-report.js';
import { MoicaError } from '../../source/errors.js';
import { card, holder, SERIAL0, SERIAL1 } from '../check/fixtures.js';
import { memoryIo } from './memory-io.js';

const HOSTILE = 'O=\u001b]0;PWNED\u0007\u001b[2J\u009b31m\u202eevil\u0000';
const UNSAFE = /[\u0000-\u0009\u000b-\u001f\u007f-\u009f\u202a-\u202e\u2066-\u2069]/;

test('printText and fail (text) drop C0/C1 controls and bidi overrides; JSON keeps the string, escaped', () => {
  const io = memoryIo({ LANG: 'C' });
  printText(io.stdout, `reader ${HOSTILE}\nnext line\n`);
  fail(io, false, {}, new MoicaError('rewrite-refused', `issuer ${HOSTILE} is not the card's CA`));
  assert.doesNotMatch(io.out(), UNSAFE);
  assert.match(io.out(), /reader O=\]0;PWNED\[2J31mevil\nnext line\n/);
  assert.doesNotMatch(io.err(), UNSAFE);
  const json = memoryIo({ LANG: 'C' });
  fail(json, true, {}, new MoicaError('rewrite-refused', `issuer ${HOSTILE}`));
  assert.equal((JSON.parse(json.out()) as { error: { message: string } }).error.message, `issuer ${HOSTILE}`);
});

test('card fields (subject, issuer, serial, reader name) in the read/readers text come out clean', () => {
  const info = card([SERIAL0, SERIAL1], {
    certificates: [holder(0, SERIAL0, { subject: `CN=${HOSTILE}`, issuer: HOSTILE }), holder(1, SERIAL1, { issuer: HOSTILE })],
  });
  const io = memoryIo({ LANG: 'C' });
  printText(io.stdout, cardText(`Reader ${HOSTILE}`, info, 'en'));
  printText(io.stdout, readersText([{ name: `Reader ${HOSTILE}`, cardPresent: true, atr: '3B', eventCount: 0 }], 'en'));
  assert.doesNotMatch(io.out(), UNSAFE);
  assert.match(io.out(), /Reader O=\]0;PWNED/);
});

test('an argument with escape sequences is not echoed raw in the usage error (text or JSON)', async () => {
  const io = memoryIo({ LANG: 'C' });
  assert.equal(await main([`chek${HOSTILE}`], io), 2);
  await new Promise((r) => setImmediate(r));
  assert.doesNotMatch(io.err(), UNSAFE);
  const flag = memoryIo({ LANG: 'C' });
  assert.equal(await main([`--x${HOSTILE}`], flag), 2);
  await new Promise((r) => setImmediate(r));
  assert.doesNotMatch(flag.err(), UNSAFE);
});
