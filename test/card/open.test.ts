import { test } from 'node:test';
import assert from 'node:assert/strict';
import { openCard, pickReader } from '../../source/card/open.js';
import { openSource } from '../../source/engine/card-source.js';
import { isMoicaError } from '../../source/errors.js';
import type { ReaderState } from '../../source/card/types.js';

const reader = (name: string, cardPresent: boolean): ReaderState => ({ name, cardPresent, eventCount: 0, ...(cardPresent ? { atr: '3B00' } : {}) });
const readers = [reader('Virtual PCD 00 00', false), reader('Virtual PCD 00 01', true), reader('ACS ACR39U ICC Reader 00 00', false)];

test('--reader: exact name, else a unique case-insensitive substring; ambiguous and unknown are typed', () => {
  assert.equal(pickReader(readers, 'Virtual PCD 00 00').name, 'Virtual PCD 00 00');
  assert.equal(pickReader(readers, 'acr39').name, 'ACS ACR39U ICC Reader 00 00');
  assert.throws(() => pickReader(readers, 'Virtual'), (e) => isMoicaError(e, 'reader-ambiguous') && e.exitCode === 3);
  assert.throws(() => pickReader(readers, 'Gemalto'), (e) => isMoicaError(e, 'no-reader') && e.exitCode === 3);
  assert.throws(() => pickReader([], undefined), (e) => isMoicaError(e, 'no-reader'));
});

test('without --reader: the first reader holding a card, else the first reader', () => {
  assert.equal(pickReader(readers).name, 'Virtual PCD 00 01');
  assert.equal(pickReader([reader('A', false), reader('B', false)]).name, 'A');
});

test('--demo opens the virtual card in-process and reads it; --reader that does not match fails typed', async () => {
  const opened = await openCard({ timeoutMs: 1000 }, () => openSource({ demo: 'expired', timeoutMs: 1000 }));
  try {
    assert.equal(opened.info.number, 'GP0000000615421');
    assert.equal(opened.source.demo?.spec.name, 'expired');
    assert.ok(opened.info.certificates.every((c) => c.notAfter !== null && c.notAfter < new Date()));
  } finally {
    await opened.close();
  }
  await assert.rejects(openCard({ reader: 'Gemalto', timeoutMs: 1000 }, () => openSource({ demo: 'valid', timeoutMs: 1000 })), (e) => isMoicaError(e, 'no-reader'));
});
