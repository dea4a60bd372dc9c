/**
 * Load: 200 checks at once against the reference registry on loopback — the registry GET of each, and
 * OCSP for each through the in-process responder. All must succeed; the registry client must reuse its
 * connections. Connections are counted server-side, as 'connection' events of a TCP relay in front of
 * the server (the reference server does not expose its own).
 */
import { after, before, test } from 'node:test';
import assert from 'node:assert/strict';
import net from 'node:net';
import { buildNamedScenario } from '../../source/virtual/demos.js';
import type { BuiltScenario } from '../../source/virtual/scenario.js';
import { createRegistryClient } from '../../source/registry/client.js';
import { checkOcsp } from '../../source/registry/ocsp.js';
import { start, type RunningServer } from '../../source/registry/server/server.js';
import type { OcspStatusEntry } from '../../source/registry/server/ocsp-responder.js';

const CHECKS = 200;

interface Relay {
  url: string;
  connections(): number;
  close(): Promise<void>;
}

/** A TCP relay to `target` that counts the connections it accepts. */
async function countingRelay(target: URL): Promise<Relay> {
  let connections = 0;
  const sockets = new Set<net.Socket>();
  const server = net.createServer((downstream) => {
    connections++;
    const upstream = net.connect(Number(target.port), target.hostname);
    for (const s of [downstream, upstream]) {
      sockets.add(s);
      s.on('error', () => s.destroy());
      s.on('close', () => sockets.delete(s));
    }
    downstream.pipe(upstream).pipe(downstream);
    downstream.on('close', () => upstream.destroy());
    upstream.on('close', () => downstream.destroy());
  });
  await new Promise<void>((resolve) => server.listen(0, '127.0.0.1', () => resolve()));
  const { port } = server.address() as net.AddressInfo;
  return {
    url: `http://127.0.0.1:${port}`,
    connections: () => connections,
    close: () => new Promise<void>((resolve) => {
      for (const s of sockets) s.destroy();
      server.close(() => resolve());
    }),
  };
}

let scenario: BuiltScenario;
let server: RunningServer;
let relay: Relay;

before(async () => {
  scenario = await buildNamedScenario('valid');
  const statuses: Record<string, OcspStatusEntry> = {};
  for (const e of Object.values(scenario.ocsp.entries)) statuses[e.serialNumber] = { status: 'good' };
  server = await start({
    data: scenario.registryData,
    ocsp: { caCertDer: scenario.ocsp.issuer.der, caPrivateKey: scenario.ocsp.responderKeyPkcs8, statuses },
  });
  relay = await countingRelay(new URL(server.url));
});

after(async () => {
  await relay?.close();
  await server?.close();
});

test(`${CHECKS} concurrent registry GETs: all answered, over far fewer than ${CHECKS} connections`, async () => {
  const client = createRegistryClient({ baseUrl: relay.url, timeoutMs: 30_000 });
  const before = relay.connections();
  const cardNumber = scenario.spec.cardNumber;
  const t0 = performance.now();
  const results = await Promise.allSettled(Array.from({ length: CHECKS }, () => client.getCard(cardNumber)));
  const ms = performance.now() - t0;
  client.close();
  const failed = results.filter((r) => r.status === 'rejected');
  assert.deepEqual(failed.map((r) => String((r as PromiseRejectedResult).reason)).slice(0, 3), []);
  for (const r of results) {
    assert.deepEqual((r as PromiseFulfilledResult<Awaited<ReturnType<typeof client.getCard>>>).value.certificates.map((c) => c.serialNumber),
      scenario.onCard.map((c) => c.serialNumber));
  }
  const connections = relay.connections() - before;
  console.log(`load: ${CHECKS} registry GETs in ${ms.toFixed(0)} ms over ${connections} TCP connections`);
  assert.ok(connections >= 1);
  assert.ok(connections <= CHECKS / 10, `${connections} connections for ${CHECKS} requests: the client does not reuse them`);
});

test(`${CHECKS} concurrent OCSP checks against the in-process responder: all verified`, async () => {
  const before = relay.connections();
  const serial = scenario.onCard[0].serialNumber;
  const t0 = performance.now();
  const reports = await Promise.all(Array.from({ length: CHECKS }, () =>
    checkOcsp({ serialNumbers: [serial], issuerDer: scenario.ocsp.issuer.der, url: `${relay.url}/ocsp`, timeoutMs: 60_000 })));
  const ms = performance.now() - t0;
  const unchecked = reports.filter((r) => !r.checked);
  assert.deepEqual(unchecked.slice(0, 3).map((r) => `${r.notCheckedReason}: ${r.detail}`), []);
  for (const r of reports) assert.equal(r.certificates[0]?.status, 'good');
  // One connection per OCSP request is ocsp.ts's decision (simple responders serve one connection at a
  // time); printed, not asserted.
  console.log(`load: ${CHECKS} OCSP checks in ${ms.toFixed(0)} ms over ${relay.connections() - before} TCP connections`);
});
