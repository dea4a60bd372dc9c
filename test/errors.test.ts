/**
 * MoicaError is recognised by a registered brand, not by the class's identity: the TUI's first-frame
 * code is a bundle of its own (dist/tui.cjs) with its own copy of source/errors.ts, and an engine error
 * must still be a MoicaError there (ui/hooks/engine-call.ts: toMoicaError keeps its code).
 */
import { test } from 'node:test';
import assert from 'node:assert/strict';
import { pathToFileURL } from 'node:url';
import { join } from 'node:path';
import { MoicaError, isMoicaError, toMoicaError } from '../source/errors.js';

const root = join(import.meta.dirname, '..');

test('a MoicaError of another copy of errors.ts is a MoicaError here: instanceof, isMoicaError, toMoicaError keep its code', async () => {
  // A second instance of the module (another URL), as the TUI bundle holds one.
  const other = (await import(`${pathToFileURL(join(root, 'source/errors.ts')).href}?copy`)) as typeof import('../source/errors.js');
  assert.notEqual(other.MoicaError, MoicaError, 'a distinct copy of the class');
  const foreign = new other.MoicaError('card-busy', 'busy', { pid: 1 });
  assert.ok(foreign instanceof MoicaError);
  assert.ok(isMoicaError(foreign, 'card-busy'));
  assert.equal(toMoicaError(foreign), foreign);
  assert.equal(toMoicaError(foreign).code, 'card-busy');
  assert.ok(new MoicaError('usage', 'x') instanceof other.MoicaError);
});

test('only MoicaErrors are MoicaErrors: other errors and look-alikes are not; the brand adds no own property', () => {
  assert.ok(!(new Error('x') instanceof MoicaError));
  const lookAlike: object = { name: 'MoicaError', code: 'usage', message: 'x', detail: {} };
  assert.ok(!(lookAlike instanceof MoicaError));
  const nothing: object | null = null;
  assert.ok(!((nothing as unknown as object) instanceof MoicaError));
  assert.equal(toMoicaError(new Error('boom')).code, 'internal');
  const e = new MoicaError('usage', 'x', { a: 1 });
  assert.deepEqual(Object.getOwnPropertySymbols(e), []);
  assert.equal(JSON.stringify(e), JSON.stringify({ code: 'usage', message: 'x', a: 1 }));
});
