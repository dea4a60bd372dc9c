/** Issue 13 item 6 in the TUI: every outside string goes through sanitize(): an escape sequence is shown inert. */
import { test } from 'node:test';
import assert from 'node:assert/strict';
import { FakeEngine } from './fake-engine.js';
import { card, result } from './fixtures.js';
import { renderApp } from './render.js';
import { squash } from './frames.js';

test('escape sequences in a reader name, a registry/OCSP detail, guidance params and an error are shown inert (no ESC, no BEL reaches the terminal)', async () => {
  const reader = 'Evil\u001B]0;PWNED\u0007 Reader\u009B2J';
  const engine = new FakeEngine();
  engine.addReader(reader);
  engine.insert(reader, card(reader, 'TP0313\u001B[2J0708163649'));
  const answer = result('C', 'expired', {
    ocsp: { checked: false, certificates: [], notCheckedReason: 'bad-signature', warning: true, detail: 'signer O=\u001B]0;OWNED\u0007\u202Eevil' },
    guidance: [{ kind: 'renew', key: 'guidance.renew', params: { opens: '2026-01-01\u001B[31m', closes: '2029\u001B[2J', daysLeft: 3 } }],
  });
  engine.checkAnswer = answer;
  const app = await renderApp({ engine, lang: 'en', color: false }, { columns: 100, rows: 40 });
  const frame = await app.waitFor((f) => f.includes('verdict C'), 'verdict');
  const all = app.allFrames();
  assert.ok(!all.includes('\u001B'), 'no ESC in any frame');
  assert.ok(!all.includes('\u0007') && !all.includes('\u009B') && !all.includes('\u202E'), 'no BEL, C1 or bidi override');
  assert.match(frame, /Evil\]0;PWNED Reader2J/, 'the reader name, inert');
  assert.ok(squash(frame).includes('signerO=]0;OWNEDevil'), 'the OCSP detail, inert');
  assert.match(frame, /2026-01-01\[31m/, 'guidance params, inert');
  assert.match(frame, /TP0313\[2J0708163649/, 'the card number, inert');
  app.unmount();

  const failing = new FakeEngine();
  failing.addReader('R');
  failing.insert('R');
  failing.checkAnswer = { error: 'internal' };
  const app2 = await renderApp({ engine: failing, lang: 'en', color: false }, { columns: 100, rows: 30 });
  await app2.waitFor((f) => f.includes('error'), 'error');
  assert.ok(!app2.allFrames().includes('\u001B'));
  app2.unmount();
});
