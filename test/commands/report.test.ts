/**
 * Issue 14 item 16: `report` writes one 0600 file for the helpline: versions, doctor, the read, the check,
 * the trace of the run (--trace), the event log (from the TUI); the holder's name as initials unless
 * --full, also inside the trace's hex; never the PIN. Over the demo card (in-process, real APDUs).
 */
import { test, after } from 'node:test';
import assert from 'node:assert/strict';
import { mkdtempSync, readFileSync, rmSync, statSync, writeFileSync } from 'node:fs';
import { execFileSync } from 'node:child_process';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { PassThrough } from 'node:stream';
import { parseOptions } from '../../source/options.js';
import { buildReport, initials, run, writeReport } from '../../source/commands/report.js';
import type { Io } from '../../source/commands/io.js';

const dir = mkdtempSync(join(tmpdir(), 'moica-report-'));
after(() => rmSync(dir, { recursive: true, force: true }));
const NAME = '王小明'; // the demo holder
const hexForms = (s: string) => {
  const h = Buffer.from(s, 'utf8').toString('hex');
  return [h, h.toUpperCase(), h.match(/../g)!.join(' ').toUpperCase()];
};

test('report --demo --trace: every section, the name as initials everywhere (text, JSON, trace hex), file 0600', { timeout: 120_000 }, async () => {
  const out = join(dir, 'r.txt');
  const trace = join(dir, 'trace.txt');
  const options = parseOptions(['report', '--demo', 'valid', '--out', out, '--trace', trace, '--lang', 'en'], {});
  const stdout = new PassThrough();
  let printed = '';
  stdout.on('data', (c: Buffer) => { printed += c.toString(); });
  const io: Io = { stdout, stderr: new PassThrough(), stdin: new PassThrough(), env: {} };
  assert.equal(await run(options, io), 0);
  assert.match(printed, new RegExp(`Report written to ${out}`));
  assert.equal(statSync(out).mode & 0o777, 0o600);
  const text = readFileSync(out, 'utf8');
  for (const title of ['moica-check report', 'doctor', 'read', 'check', 'check (JSON)', 'trace']) assert.match(text, new RegExp(`==== ${title.replace(/[()]/g, '\\$&')}`), title);
  assert.match(text, /moica-check 0\.\d+\.\d+/);
  assert.match(text, /Card number: TP\d+/);
  assert.match(text, /"verdict": "A"/);
  assert.match(text, /> 00 B0|00 A4/i, 'the trace of this run is in');
  assert.ok(!text.includes(NAME), 'the full name is nowhere');
  for (const h of hexForms(NAME)) assert.ok(!text.includes(h), `nor its bytes (${h})`);
  assert.match(text, /CN=王○○/);
  assert.ok(readFileSync(trace, 'utf8').length > 0);
});

test('report --full keeps the name; an existing file is rewritten 0600; a FIFO is refused', { timeout: 120_000 }, async () => {
  const out = join(dir, 'full.txt');
  writeFileSync(out, 'old', { mode: 0o644 });
  const path = await writeReport(parseOptions(['report', '--demo', 'valid', '--out', out, '--full'], {}));
  assert.equal(path, out);
  assert.equal(statSync(out).mode & 0o777, 0o600);
  assert.ok(readFileSync(out, 'utf8').includes(NAME));
  const fifo = join(dir, 'fifo');
  execFileSync('mkfifo', [fifo]);
  await assert.rejects(writeReport(parseOptions(['report', '--demo', 'valid', '--out', fifo], {})), /not a regular file/);
});

test('the TUI can pass its event log; initials of Latin and CJK names', async () => {
  const { text } = await buildReport(parseOptions(['report', '--demo', 'revoked', '--lang', 'en'], {}), { eventLog: ['card inserted', 'check: C'] });
  assert.match(text, /==== event log ====\ncard inserted\ncheck: C/);
  assert.equal(initials('王小明'), '王○○');
  assert.equal(initials('John Smith'), 'J. S.');
});
