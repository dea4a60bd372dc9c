/**
 * The event log (source/engine/events.ts): the ring's cap, sanitising, APDU lines redacted by the trace's
 * own code, HTTP requests through Node's diagnostics channels, and the real TUI engine over the demo card
 * (read, check, a rewrite with its PIN) logging every kind of line with no PIN byte in any of them.
 */
import { test } from 'node:test';
import assert from 'node:assert/strict';
import http from 'node:http';
import { readFileSync, rmSync } from 'node:fs';
import { join } from 'node:path';
import { once } from 'node:events';
import { EventLog, apduSummary, tapChannel, watchHttp } from '../../source/engine/events.js';
import { createEngine } from '../../source/engine/index.js';
import { Trace, formatCommand } from '../../source/card/trace.js';
import type { CardChannel } from '../../source/card/types.js';
import { parseOptions } from '../../source/options.js';
import { tempDir } from '../e2e/harness.js';

test('ring: keeps the last 1,000 lines in order, numbers every line, sanitises text, survives a throwing listener', () => {
  const log = new EventLog();
  let seen = 0;
  log.subscribe(() => {
    throw new Error('listener bug');
  });
  log.subscribe(() => seen++);
  for (let i = 1; i <= 2500; i++) log.push('card', `line ${i}`);
  const lines = log.lines();
  assert.equal(lines.length, 1000);
  assert.equal(lines[0]!.text, 'line 1501');
  assert.equal(lines.at(-1)!.text, 'line 2500');
  assert.deepEqual(lines.map((l) => l.seq), Array.from({ length: 1000 }, (_, i) => 1501 + i), 'consecutive seqs');
  assert.equal(log.total(), 2500);
  assert.equal(seen, 2500);
  log.push('net', 'registry says \u001B[2J\u001B]0;pwned\u0007 hi\u202E');
  const text = log.lines().at(-1)!.text;
  assert.equal(text, 'registry says [2J]0;pwned hi');
  assert.ok(!/[\u0000-\u001f\u202e]/.test(text));
});

test('ring: pushing 100,000 lines takes well under a second (O(1) each, nothing waits)', () => {
  const log = new EventLog();
  log.subscribe(() => undefined);
  const t0 = performance.now();
  for (let i = 0; i < 100_000; i++) log.push('apdu', `READ BINARY 00 B0 ${i}`);
  const ms = performance.now() - t0;
  assert.ok(ms < 1000, `${ms.toFixed(0)} ms`);
  assert.equal(log.lines().length, 1000);
});

/** A channel that answers 63C2 to VERIFY and 9000 with data to anything else. */
function fakeChannel(): CardChannel {
  return {
    reader: 'Virtual PCD 00 00',
    atr: '3B',
    async transmit(apdu) {
      return apdu[1] === 0x20 ? Uint8Array.of(0x63, 0xc2) : Uint8Array.of(1, 2, 3, 0x90, 0x00);
    },
    async close() {},
  };
}

test('APDU lines: status word, time, cut after a few bytes; a VERIFY\'s PIN redacted exactly as --trace redacts it', async () => {
  const log = new EventLog();
  const dir = tempDir('moica-events-trace-');
  const file = join(dir, 'trace.txt');
  const trace = new Trace(file);
  // The same channel traced to a file (--trace) and tapped for the log.
  const channel = tapChannel(trace.wrap(fakeChannel()), log);
  const pin = new TextEncoder().encode('918273');
  const verify = Uint8Array.of(0x00, 0x20, 0x00, 0x01, pin.length, ...pin);
  await channel.transmit(verify);
  await channel.transmit(Uint8Array.of(0x00, 0xd6, 0x00, 0x00, 40, ...new Uint8Array(40).fill(0xab)));
  await trace.close();
  const lines = log.lines().map((l) => l.text);
  assert.match(lines[0]!, /^\[Virtual PCD 00 00\] VERIFY 00 20 00 01 06 \[6 bytes redacted\] → 63C2 \(\d+\.\d ms\)$/);
  assert.match(lines[1]!, /^\[Virtual PCD 00 00\] UPDATE BINARY 00 D6 00 00 28 AB AB AB AB AB AB AB … \(45 bytes\) → 9000 \+3 bytes \(\d+\.\d ms\)$/);
  assert.equal(log.lines()[0]!.level, 'warn', 'a status word other than 9000/61xx');
  // The --trace file shows the same redacted command text.
  const traced = readFileSync(file, 'utf8');
  assert.ok(traced.includes('> 00 20 00 01 06 [6 bytes redacted]'), traced);
  const all = lines.join('\n') + traced;
  for (const needle of ['39 31 38 32 37 33', '391827', '918273']) assert.ok(!all.includes(needle), `no PIN (${needle})`);
  // apduSummary is formatCommand's text (the trace's one redaction), cut.
  const entry = { reader: 'r', command: Uint8Array.of(0x00, 0x20, 0x00, 0x01, 6, 0, 0, 0, 0, 0, 0), response: Uint8Array.of(0x90, 0), ms: 1, at: 0 };
  assert.ok(apduSummary(entry).includes(formatCommand(entry)));
  rmSync(dir, { recursive: true, force: true });
});

test('HTTP: every request with its URL, status and time; a refused connection as an error line', async () => {
  const log = new EventLog();
  const stop = watchHttp(log);
  const server = http.createServer((req, res) => {
    res.statusCode = req.url === '/missing' ? 404 : 200;
    res.end('x');
  });
  server.listen(0, '127.0.0.1');
  await once(server, 'listening');
  const port = (server.address() as { port: number }).port;
  try {
    for (const path of ['/cards/TP03130708163649', '/missing']) {
      const res = await fetch(`http://127.0.0.1:${port}${path}`).catch(() => undefined);
      void res;
      await new Promise<void>((resolve) => http.get(`http://127.0.0.1:${port}${path}`, (r) => { r.resume(); r.on('end', resolve); }));
    }
    await new Promise<void>((resolve) => http.get('http://127.0.0.1:1/x', () => resolve()).on('error', () => resolve()));
  } finally {
    server.close();
    stop();
  }
  const texts = log.lines().map((l) => l.text);
  assert.ok(texts.some((t) => new RegExp(`^GET http://127\\.0\\.0\\.1:${port}/cards/TP03130708163649 → 200 \\(\\d+ ms\\)$`).test(t)), texts.join('\n'));
  assert.ok(texts.some((t) => t.startsWith(`GET http://127.0.0.1:${port}/missing → 404`)), texts.join('\n'));
  assert.ok(texts.some((t) => /^GET http:\/\/127\.0\.0\.1:1\/x ✖ .*ECONNREFUSED/.test(t)), texts.join('\n'));
  const before = log.lines().length;
  await new Promise<void>((resolve) => http.get('http://127.0.0.1:1/y', () => resolve()).on('error', () => resolve()));
  assert.equal(log.lines().length, before, 'unsubscribed');
});

test('the TUI engine over the demo card: reader, card, APDU, network, check and rewrite lines; no PIN byte anywhere', async () => {
  const backupDir = tempDir('moica-events-engine-');
  const engine = await createEngine(parseOptions(['--demo', 'rewrite', '--backup-dir', backupDir], {}));
  try {
    await engine.ready();
    const reader = engine.readers()[0]!.name;
    const card = await engine.readCard(reader);
    const checked = await engine.check(card);
    assert.equal(checked.verdict.verdict, 'B-1');
    const pinText = engine.info().demoPin!;
    const pin = new TextEncoder().encode(pinText);
    await engine.rewrite(card, pin, () => undefined);
    const lines = engine.events.lines();
    const texts = lines.map((l) => `${l.source} ${l.text}`);
    const has = (re: RegExp, what: string): void => assert.ok(texts.some((t) => re.test(t)), `${what}:\n${texts.slice(-40).join('\n')}`);
    has(/^card reading the card in /, 'read started');
    has(/^card card TP\w+ read \(generation/, 'read done');
    has(/^apdu \[.*\] SELECT [0-9A-F]{2} A4 .* → 9000/, 'a SELECT with its status word');
    has(/^apdu \[.*\] VERIFY [0-9A-F]{2} 20 [0-9A-F]{2} [0-9A-F]{2} [0-9A-F]{2} \[\d+ bytes redacted\] → 9000/, 'the VERIFY, redacted');
    has(/^net (GET|POST) http:\/\/127\.0\.0\.1:\d+\/\S+ → 200 \(\d+ ms\)/, 'a registry/OCSP request');
    has(/^check card TP\w+: verdict B-1, status valid/, 'the verdict');
    has(/^rewrite .* step: verify-pin/, 'a rewrite step');
    has(/^rewrite .* wrote slot 0: \d+ bytes/, 'a slot written');
    has(/^rewrite .* rewrite done: serials /, 'the rewrite done');
    const hex = Array.from(pin, (b) => b.toString(16).toUpperCase().padStart(2, '0'));
    const all = texts.join('\n');
    assert.ok(!all.includes(hex.join(' ')) && !all.includes(hex.join('')), 'no PIN bytes in hex');
    assert.ok(!all.includes(pinText), 'no PIN digits');
  } finally {
    await engine.close();
    rmSync(backupDir, { recursive: true, force: true });
  }
});
