/**
 * A tab per card over the real pieces (issue 16 item 3): the private pcscd rig with two vpcd readers
 * ("Virtual PCD 00 00" and "… 00 01"), a virtual card in each, the reference registry with its OCSP
 * endpoint on 127.0.0.1 for both cards, and the TUI over the real engine (source/engine). Two tabs with
 * their own verdicts; a rewrite in one tab, held at the registry's certificate download, while the other
 * tab's card is read and checked; the same card number in both readers: the second write is refused by
 * the per-card lock (card-busy) in its own tab while the first one writes.
 *
 * The rewrite is held by a loopback proxy in front of the registry that keeps GET /v1/certificates/…
 * until released: nothing here waits on a fixed time, every step waits on a frame or an event.
 */
import { after, before, test } from 'node:test';
import assert from 'node:assert/strict';
import http from 'node:http';
import type { AddressInfo } from 'node:net';
import { rmSync } from 'node:fs';
import { stripVTControlCharacters } from 'node:util';
import { createEngine } from '../../source/engine/index.js';
import { parseOptions } from '../../source/options.js';
import { start, type RunningServer } from '../../source/registry/server/server.js';
import type { OcspStatusEntry } from '../../source/registry/server/ocsp-responder.js';
import type { RegistryData } from '../../source/registry/types.js';
import { buildScenario, type BuiltScenario } from '../../source/virtual/scenario.js';
import { scenarioSpec } from '../../source/virtual/demos.js';
import { VpcdCardClient } from '../../source/virtual/vpcd-client.js';
import { PcscTransport } from '../../source/card/pcsc.js';
import { t } from '../../source/i18n/t.js';
import '../../source/i18n/check.js';
import { startPcscd, waitFor, type PcscdRig } from '../rig/pcscd.js';
import { squash } from '../ui/frames.js';
import { KEYS, renderApp } from '../ui/render.js';
import { apduLog, pinVerifies, staleScenario, tempDir } from './harness.js';

const ONE = 'Virtual PCD 00 00';
const TWO = 'Virtual PCD 00 01';
const TAB = '\t';
const SHIFT_TAB = '\u001B[Z';

let rig: PcscdRig;
let watcher: PcscTransport;
const dirs: string[] = [];

before(async () => {
  rig = await startPcscd();
  // pcsc-lite reads the socket name once per process: set before the first context is made.
  process.env.PCSCLITE_CSOCK_NAME = rig.socketPath;
  // The per-card write locks of this file's rewrites go to a directory of its own.
  const runtime = tempDir('moica-tabs-run-');
  dirs.push(runtime);
  process.env.XDG_RUNTIME_DIR = runtime;
  watcher = await PcscTransport.create({ timeoutMs: 10_000 });
  await watcher.ready();
});

after(async () => {
  await watcher?.close();
  await rig?.stop();
  for (const dir of dirs) rmSync(dir, { recursive: true, force: true });
});

const present = (reader: string): boolean => watcher.readers().find((r) => r.name === reader)?.cardPresent === true;

async function insert(scenario: BuiltScenario, reader: string): Promise<VpcdCardClient> {
  const client = new VpcdCardClient(scenario.card, { port: reader === ONE ? rig.port : rig.port + 1 });
  await client.insert();
  await waitFor(`pcscd to see the card in ${reader}`, () => present(reader), 15_000);
  return client;
}

async function remove(client: VpcdCardClient, reader: string): Promise<void> {
  await client.remove();
  await waitFor(`pcscd to see ${reader} empty`, () => !present(reader), 15_000);
}

/**
 * The reference registry for several scenarios built with one `now` (so one test CA: the same pooled keys,
 * names and dates), with its OCSP endpoint signing as that CA, behind a proxy that can hold the
 * certificate downloads of a rewrite.
 */
async function registryFor(scenarios: BuiltScenario[]): Promise<{ url: string; ocspUrl: string; hold(): void; held: Promise<void>; release(): void; server: RunningServer; close(): Promise<void> }> {
  const [first] = scenarios;
  for (const s of scenarios) {
    assert.ok(Buffer.from(s.ocsp.issuer.der).equals(Buffer.from(first!.ocsp.issuer.der)), 'one test CA for every card (same now, same pooled keys)');
  }
  const data: RegistryData = { cards: {}, certificates: {} };
  const statuses: Record<string, OcspStatusEntry> = {};
  for (const s of scenarios) {
    Object.assign(data.cards, s.registryData.cards);
    Object.assign(data.certificates, s.registryData.certificates);
    for (const entry of Object.values(s.ocsp.entries)) {
      statuses[entry.serialNumber] = entry.status === 'revoked'
        ? { status: 'revoked', reason: entry.reason ?? 'unspecified', ...(entry.revokedAt ? { revokedAt: entry.revokedAt } : {}) }
        : { status: entry.status };
    }
  }
  const server = await start({
    data, host: '127.0.0.1', port: 0,
    ocsp: { caCertDer: first!.ocsp.issuer.der, caPrivateKey: first!.ocsp.responderKeyPkcs8, statuses },
  });
  const target = new URL(server.url);
  let holding = false;
  let heldOnce: () => void = () => {};
  const held = new Promise<void>((resolve) => (heldOnce = resolve));
  const waiting: Array<() => void> = [];
  const proxy = http.createServer((req, res) => {
    const forward = (): void => {
      const upstream = http.request({ host: target.hostname, port: target.port, method: req.method, path: req.url, headers: req.headers }, (answer) => {
        res.writeHead(answer.statusCode ?? 502, answer.headers);
        answer.pipe(res);
      });
      upstream.on('error', () => res.destroy());
      req.pipe(upstream);
    };
    if (holding && req.url?.startsWith('/v1/certificates/')) {
      waiting.push(forward);
      heldOnce();
    } else forward();
  });
  await new Promise<void>((resolve) => proxy.listen(0, '127.0.0.1', resolve));
  const url = `http://127.0.0.1:${(proxy.address() as AddressInfo).port}`;
  return {
    url,
    ocspUrl: server.ocspUrl ?? `${server.url}/ocsp`,
    server,
    held,
    hold: () => (holding = true),
    release() {
      holding = false;
      for (const go of waiting.splice(0)) go();
    },
    async close() {
      proxy.closeAllConnections();
      await new Promise<void>((resolve) => proxy.close(() => resolve()));
      await server.close();
    },
  };
}

/** A promise that must settle within `ms` (a held download that never comes fails the test, never hangs it). */
function within<T>(promise: Promise<T>, ms: number, what: string): Promise<T> {
  let timer: NodeJS.Timeout | undefined;
  const late = new Promise<never>((_, reject) => (timer = setTimeout(() => reject(new Error(`timed out waiting for ${what}`)), ms)));
  return Promise.race([promise, late]).finally(() => clearTimeout(timer));
}

/** The tab bar: the line that names both readers (the side bar names one a line). */
const tabLine = (frame: string): string => stripVTControlCharacters(frame).split('\n').find((l) => l.includes('00 00') && l.includes('00 01')) ?? '';

async function engineOver(registry: { url: string; ocspUrl: string }) {
  const backups = tempDir('moica-tabs-backup-');
  dirs.push(backups);
  return createEngine(parseOptions(['--registry', registry.url, '--ocsp', registry.ocspUrl, '--timeout', '20000', '--backup-dir', backups, '--lang', 'en'], { LANG: 'C' }));
}

type App = Awaited<ReturnType<typeof renderApp>>;
type Registry = Awaited<ReturnType<typeof registryFor>>;

/**
 * The TUI over the real engine with `cards[0]` in reader ONE and `cards[1]` in TWO, the registry holding
 * what `issued` were issued, both tabs on screen; everything taken down after `use`, whatever it does.
 */
async function withTwoTabs(cards: [BuiltScenario, BuiltScenario], issued: BuiltScenario[], use: (app: App, registry: Registry) => Promise<void>): Promise<void> {
  const registry = await registryFor(issued);
  const one = await insert(cards[0], ONE);
  const two = await insert(cards[1], TWO);
  const engine = await engineOver(registry);
  try {
    const app = await renderApp({ engine, lang: 'en' }, { columns: 100, rows: 40 });
    await app.waitFor((f) => tabLine(f) !== '', 'two tabs', 30_000);
    await use(app, registry);
  } finally {
    await engine.close();
    await remove(one, ONE);
    await remove(two, TWO);
    await registry.close();
  }
}

/** From the shown tab's B-1 verdict to its rewrite running (the PIN typed), the download held at the proxy. */
async function startRewrite(app: App, pin: string): Promise<void> {
  await app.press('r');
  await app.waitFor((f) => f.includes('0-9'), 'the PIN prompt', 30_000);
  await app.press(pin);
  await app.press(KEYS.enter);
}

test('rig: two cards, two tabs, each its own verdict from the real engine; a rewrite in tab 1 while tab 2 is read and checked', async () => {
  const now = new Date();
  const [stale, revoked] = await Promise.all([staleScenario({ now }), buildScenario(scenarioSpec('revoked'), { now })]);
  await withTwoTabs([stale, revoked], [stale, revoked], async (app, registry) => {
    await app.press(TAB);
    let frame = await app.waitFor((f) => f.includes(stale.spec.cardNumber) && f.includes('verdict B-1'), 'tab 1: B-1', 30_000);
    assert.match(tabLine(frame), /▶ Virtual PCD 00 00 ⚠\s+Virtual PCD 00 01 ·/, 'tab 1 B-1, tab 2 not read yet');

    // The rewrite in tab 1 goes as far as the certificate download, held there.
    registry.hold();
    await startRewrite(app, stale.pin);
    await within(registry.held, 60_000, 'the rewrite to reach the certificate download');
    await app.waitFor((f) => /rewriting: do not remove the card/.test(f), 'tab 1 writing', 30_000);

    // Tab 2's card is read and checked meanwhile, by the same engine, over the other reader.
    await app.press(TAB);
    frame = await app.waitFor((f) => f.includes(revoked.spec.cardNumber) && f.includes('✖ revoked'), 'tab 2 read and checked while tab 1 writes', 30_000);
    assert.match(tabLine(frame), /Virtual PCD 00 00 \S\s+▶ Virtual PCD 00 01 ✖/);
    assert.doesNotMatch(tabLine(frame), /00 00 [✔⚠✖]/, 'tab 1 shows it is busy, not a verdict');
    assert.equal(registry.server.rewrites.length, 0, 'tab 1 has not finished');

    registry.release();
    // Tab 1 finishes in the background: B-2, its card read and checked again by itself (A).
    frame = await app.waitFor((f) => /▶ Virtual PCD 00 01 ✖/.test(tabLine(f)) && /Virtual PCD 00 00 ✔/.test(tabLine(f)), 'tab 1 ✔ in the background', 60_000);
    assert.match(frame, /✖ revoked/, 'tab 2 still shown, its verdict untouched');
    assert.equal(registry.server.rewrites.at(-1)?.result, 'completed');
    assert.equal(registry.server.rewrites.at(-1)?.cardNumber, stale.spec.cardNumber);
    await app.press(SHIFT_TAB);
    frame = await app.waitFor((f) => f.includes(stale.spec.cardNumber) && f.includes('verdict B-2'), 'tab 1: B-2', 30_000);
    assert.match(frame, /✔ valid · verdict A/, 'and the re-check from the card: A');
    await app.press(KEYS.escape);
    await app.press('q');
    assert.equal(await app.exitCode(), 0);
  });
});

test('rig: the same card number in both readers: the second tab\'s write is refused by the card lock (card-busy) while the first writes', async () => {
  const now = new Date();
  // Two virtual cards of one B-1 card (the same number, certificates and registry record), one per reader.
  const [first, second] = await Promise.all([staleScenario({ now }), staleScenario({ now })]);
  await withTwoTabs([first, second], [first], async (app, registry) => {
    await app.press(TAB);
    await app.waitFor((f) => f.includes('verdict B-1') && /▶ Virtual PCD 00 00 ⚠/.test(tabLine(f)), 'tab 1: B-1', 30_000);
    registry.hold();
    await startRewrite(app, first.pin);
    await within(registry.held, 60_000, 'the rewrite to reach the certificate download');
    await app.press(TAB);
    await app.waitFor((f) => f.includes('verdict B-1') && /▶ Virtual PCD 00 01 ⚠/.test(tabLine(f)), 'tab 2: the same card, B-1', 30_000);
    const log = apduLog(second.card);
    await startRewrite(app, second.pin);
    const refused = await app.waitFor((f) => squash(f).includes(squash(t('en', 'rewrite.busyInTab', { reader: ONE }))), 'tab 2 refused: card-busy', 30_000);
    assert.match(tabLine(refused), /▶ Virtual PCD 00 01 ✖/, 'the error is tab 2\'s');
    assert.ok(squash(refused).includes(squash(t('en', 'next.card-busy-tab'))), 'what to do next');
    assert.equal(pinVerifies(log), 0, 'the refused write sent no PIN to the second card');
    // Tab 1 still writes; released, it finishes.
    registry.release();
    await app.press(SHIFT_TAB);
    const done = await app.waitFor((f) => f.includes('verdict B-2'), 'tab 1: B-2', 60_000);
    assert.ok(!squash(done).includes(squash(t('en', 'rewrite.busyInTab', { reader: ONE }))), 'tab 1 shows no error');
    assert.equal(registry.server.rewrites.filter((r) => r.result === 'completed').length, 1, 'one write, one record');
    app.unmount();
  });
});
