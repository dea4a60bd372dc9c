/**
 * The TUI's `e` key (issue 16 item 3, issue 14 item 16): the helpdesk report, hinted on any error and in
 * the palette and the help always, written through the engine port; the panel shows the file's full path
 * (wrapped, not cut) and that the holder's name is initials only; a failure says what to do. Then the real
 * engine over the demo: the file exists, holds the event log's lines, and no PIN of a rewrite done before.
 */
import { test, after } from 'node:test';
import assert from 'node:assert/strict';
import { mkdtempSync, readFileSync, rmSync, existsSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { createEngine } from '../../source/engine/index.js';
import { eventLineText } from '../../source/engine/events.js';
import { parseOptions } from '../../source/options.js';
import { hintsFor, resolveCommand, type KeyContext } from '../../source/ui/keymap.js';
import { FakeEngine } from './fake-engine.js';
import { RESULTS } from './fixtures.js';
import { assertContains, assertFits, squash } from './frames.js';
import { KEYS, renderApp } from './render.js';

const READER = 'ACS ACR39U 00 00';
const dir = mkdtempSync(join(tmpdir(), 'moica-report-key-'));
after(() => rmSync(dir, { recursive: true, force: true }));

function engineWith(answer: FakeEngine['checkAnswer']): FakeEngine {
  const engine = new FakeEngine();
  engine.addReader(READER);
  engine.insert(READER);
  engine.checkAnswer = answer;
  return engine;
}

test('keymap: e is hinted only with an error on screen, works everywhere but prompts and a running rewrite', () => {
  const base: KeyContext = { mode: 'main', canCheck: true, canRewrite: false, demo: false };
  const bar = (c: KeyContext) => hintsFor(c).some((b) => b.command === 'report');
  assert.equal(bar(base), false);
  assert.equal(bar({ ...base, error: true }), true);
  assert.equal(resolveCommand('e', {} as never, base), 'report');
  for (const mode of ['help', 'rewrite-path', 'rewrite-result'] as const) assert.equal(resolveCommand('e', {} as never, { ...base, mode }), 'report', mode);
  for (const mode of ['pin', 'certificates', 'rewrite-running'] as const) assert.notEqual(resolveCommand('e', {} as never, { ...base, mode }), 'report', mode);
  assert.equal(resolveCommand('e', {} as never, { ...base, mode: 'report' }), 'report-close');
});

test('e on a check error: hinted, the panel says it is written, then the full path wrapped (not cut) and initials only', async () => {
  const engine = engineWith({ error: 'registry-timeout' });
  const long = `/tmp/${'a-very-long-directory-name/'.repeat(4)}moica-check-report-20260115-1200.txt`;
  engine.reportAnswer = { hold: true };
  const app = await renderApp({ engine }, { columns: 60, rows: 24 });
  try {
    const errorFrame = await app.waitFor((f) => /did not answer in time/i.test(squash(f)) || f.includes('Press c'), 'the check error');
    assert.match(errorFrame, /\be report\b/, 'e offered in the status bar');
    await app.press('e');
    await app.waitFor((f) => f.includes('Helpdesk report') && f.includes('Writing the helpdesk report'), 'writing');
    engine.reportAnswer = { path: long };
    engine.releaseReport();
    const frame = await app.waitFor((f) => f.includes('The helpdesk report is in'), 'the path');
    assertContains(frame, long, 'the whole path');
    assert.ok(!frame.includes('…'), `nothing cut:\n${frame}`);
    assertContains(frame, "The holder's name is in it as initials only");
    assertFits(frame, 60, 24);
    assert.equal(engine.calls.filter((c) => c.method === 'report').length, 1);
    await app.press(KEYS.escape);
    const closed = await app.waitFor((f) => !f.includes('Helpdesk report'), 'closed');
    assert.match(closed, /\be report\b/, 'still offered after closing');
  } finally {
    app.unmount();
  }
});

test('a report that cannot be written: a typed error, said with what to do', async () => {
  const engine = engineWith({ error: 'card-timeout' });
  engine.reportAnswer = { error: 'report-unwritable', detail: { path: '/read-only/report.txt', reason: 'EACCES' } };
  const app = await renderApp({ engine }, { columns: 80, rows: 24 });
  try {
    await app.waitFor((f) => f.includes(' e report'), 'e offered');
    await app.press('e');
    const frame = await app.waitFor((f) => f.includes('was not written'), 'the failure');
    assertContains(frame, 'The helpdesk report cannot be written to /read-only/report.txt (EACCES).');
    assertContains(frame, 'press e again');
  } finally {
    app.unmount();
  }
});

test('the palette lists the report with its key even with no error, and runs it; the help lists e', async () => {
  const engine = engineWith(RESULTS.A());
  const app = await renderApp({ engine }, { columns: 100, rows: 30 });
  try {
    const checked = await app.waitFor((f) => f.includes('valid') && !f.includes('checking'), 'verdict A');
    assert.doesNotMatch(checked, /\be report\b/, 'not hinted with no error');
    await app.press('?');
    const help = await app.waitFor((f) => f.includes('FAQ') || f.includes('Legend') || f.includes('Help'), 'help');
    void help;
    let helpText = '';
    for (let i = 0; i < 12 && !squash(helpText).includes('ereport'); i++) {
      helpText += app.lastFrame();
      await app.press(KEYS.pageDown);
    }
    assert.ok(squash(helpText).includes('ereport'), 'the help lists e');
    await app.press(KEYS.escape);
    await app.press('\u0010');
    await app.press('helpdesk');
    const palette = await app.waitFor((f) => f.includes('Write the helpdesk report'), 'palette entry');
    assert.match(palette, /e\s+Write the helpdesk report/);
    await app.press(KEYS.enter);
    await app.waitFor((f) => f.includes('The helpdesk report is in') && f.includes('/tmp/moica-check-report-fake.txt'), 'written from the palette');
  } finally {
    app.unmount();
  }
});

test('the real engine over the demo: e writes the file, with the event log lines and no PIN of the rewrite before', { timeout: 120_000 }, async () => {
  const out = join(dir, 'tui-report.txt');
  const engine = await createEngine(parseOptions(['--demo', 'rewrite', '--backup-dir', join(dir, 'backups'), '--out', out, '--lang', 'en'], {}), { report: () => import('../../source/commands/report.js') });
  try {
    await engine.ready();
    const reader = engine.readers()[0]!.name;
    const card = await engine.readCard(reader);
    assert.equal((await engine.check(card)).verdict.verdict, 'B-1');
    const pinText = engine.info().demoPin!;
    await engine.rewrite(card, new TextEncoder().encode(pinText), () => undefined);
    const before = engine.events.lines().map(eventLineText);
    assert.ok(before.some((l) => /VERIFY .*\[\d+ bytes redacted\]/.test(l)), 'the rewrite verified a PIN');
    const app = await renderApp({ engine }, { columns: 100, rows: 30 });
    try {
      await app.waitFor((f) => /verdict|valid/i.test(f) && !f.includes('reading'), 'the card on screen');
      await app.press('e');
      const frame = await app.waitFor((f) => f.includes('The helpdesk report is in'), 'written', 60_000);
      assertContains(frame, out, 'the absolute path');
    } finally {
      app.unmount();
    }
    assert.ok(existsSync(out));
    const text = readFileSync(out, 'utf8');
    const log = text.slice(text.indexOf('==== event log ===='));
    assert.ok(log.length > 0 && text.includes('==== event log ===='), 'an event log section');
    for (const line of before) assert.ok(log.includes(line), `the event log line "${line}" is in the report`);
    assert.ok(!text.includes(pinText), 'no PIN digits anywhere in the report');
    const hex = Array.from(new TextEncoder().encode(pinText), (b) => b.toString(16).toUpperCase().padStart(2, '0'));
    assert.ok(!text.includes(hex.join(' ')) && !text.toUpperCase().includes(hex.join('')), 'no PIN bytes');
    assert.ok(!text.includes('王小明'), 'the holder as initials only');
  } finally {
    await engine.close();
  }
});
