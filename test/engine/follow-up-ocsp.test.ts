/**
 * A stale card (B-1): OCSP for the serials only the registry lists (the renewal never written) starts as
 * soon as the registry answers, beside the wave for the card's own serials, not after it. An OCSP proxy in
 * front of the demo's responder holds the wave's requests until a follow-up request arrives (or 5 s pass):
 * a follow-up that waited for the wave could only come after that deadline.
 */
import { test } from 'node:test';
import assert from 'node:assert/strict';
import { createServer } from 'node:http';
import type { AddressInfo } from 'node:net';
import * as pkijs from 'pkijs';
import { buildNamedScenario } from '../../source/virtual/demos.js';
import { InProcessTransport } from '../../source/virtual/in-process.js';
import { openCardAccess } from '../../source/engine/card-access.js';
import { runCheck, type Network } from '../../source/engine/check.js';
import { startDemoRegistry } from '../../source/engine/demo-registry.js';
import { createRegistryClient } from '../../source/registry/client.js';
import { certIdSerial } from '../../source/registry/ocsp-asn1.js';
import { serialsEqual } from '../../source/domain/serial.js';

const HOLD_MS = 5000;

test('B-1: the follow-up OCSP is asked while the wave for the card\'s serials is still unanswered', async () => {
  const demo = await buildNamedScenario('rewrite');
  const registry = await startDemoRegistry(demo);
  const transport = new InProcessTransport();
  transport.insert(demo.card);
  const access = await openCardAccess({ timeoutMs: 5000 } as never, { transport, close: () => transport.close() });
  const cardSerials = access.info.certificates.map((c) => c.serialNumber);

  const arrivals: string[] = [];
  let followUpArrived: () => void = () => undefined;
  const followUp = new Promise<'follow-up'>((resolve) => (followUpArrived = () => resolve('follow-up')));
  const released: string[] = [];
  const proxy = createServer((req, res) => {
    const chunks: Buffer[] = [];
    req.on('data', (c: Buffer) => chunks.push(c));
    req.on('end', () => {
      void (async () => {
        const body = Buffer.concat(chunks);
        const serial = certIdSerial(pkijs.OCSPRequest.fromBER(new Uint8Array(body)).tbsRequest.requestList[0]!.reqCert);
        arrivals.push(serial);
        if (cardSerials.some((s) => serialsEqual(s, serial))) {
          let timer: NodeJS.Timeout | undefined;
          const deadline = new Promise<'deadline'>((resolve) => (timer = setTimeout(() => resolve('deadline'), HOLD_MS)));
          released.push(await Promise.race([followUp, deadline]));
          clearTimeout(timer);
        } else {
          followUpArrived();
        }
        const answer = await fetch(registry.ocspUrl, { method: 'POST', body, headers: { 'content-type': 'application/ocsp-request' } });
        res.writeHead(answer.status, { 'content-type': 'application/ocsp-response' });
        res.end(Buffer.from(await answer.arrayBuffer()));
      })().catch((e: unknown) => { res.statusCode = 500; res.end(String(e)); });
    });
  });
  await new Promise<void>((resolve) => proxy.listen(0, '127.0.0.1', resolve));
  const net: Network = {
    registry: createRegistryClient({ baseUrl: registry.url, timeoutMs: 10_000 }),
    ocspUrl: `http://127.0.0.1:${(proxy.address() as AddressInfo).port}/`,
    timeoutMs: 10_000,
    crl: false,
  };
  try {
    const outcome = await runCheck(access, net, demo.now);
    assert.equal(outcome.verdict.verdict, 'B-1');
    assert.equal(outcome.ocsp.checked, true, outcome.ocsp.detail);
    const followUps = arrivals.filter((s) => !cardSerials.some((c) => serialsEqual(c, s)));
    assert.ok(followUps.length > 0, `no follow-up was asked: ${arrivals.join(', ')}`);
    assert.deepEqual(released, cardSerials.map(() => 'follow-up'), 'the wave was released by the follow-up, not by the deadline');
  } finally {
    await new Promise((resolve) => proxy.close(resolve));
    await access.close();
    await transport.close();
    await registry.close();
  }
});
