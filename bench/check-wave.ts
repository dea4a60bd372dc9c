/**
 * Check-wave bench: the check's network wall time — the registry GET and one OCSP request per serial
 * fired as one concurrent wave — beside the slowest of those requests made alone, against the reference
 * server and its OCSP endpoint on loopback (the demo's 'valid' scenario). ratio ≈ 1 means the wave costs
 * no more than its slowest request; a sequential check would approach the request count (3).
 * Prints figures; asserts nothing.
 *   npx tsx bench/check-wave.ts [rounds] [delayMs]
 */
import { pathToFileURL } from 'node:url';
import { buildNamedScenario } from '../source/virtual/demos.js';
import { createRegistryClient } from '../source/registry/client.js';
import { checkOcsp } from '../source/registry/ocsp.js';
import type { OcspStatusEntry } from '../source/registry/server/ocsp-responder.js';
import { start } from '../source/registry/server/server.js';

export interface CheckWaveFigures {
  /** Median wall time of the wave: registry GET ∥ OCSP for every serial. */
  waveMs: number;
  /** Median of the slowest single request of the wave, each made alone. */
  slowestSingleMs: number;
  /** Median of the same requests one after another, for comparison. */
  sequentialMs: number;
  /** waveMs / slowestSingleMs */
  ratio: number;
  requests: number;
  rounds: number;
  /** Simulated latency the server added to every answer. */
  delayMs: number;
}

const median = (xs: number[]): number => [...xs].sort((a, b) => a - b)[Math.floor(xs.length / 2)]!;

async function timed<T>(f: () => Promise<T>): Promise<number> {
  const t0 = performance.now();
  await f();
  return performance.now() - t0;
}

export async function benchCheckWave(options: { rounds?: number; delayMs?: number } = {}): Promise<CheckWaveFigures> {
  const rounds = options.rounds ?? 7;
  const delayMs = options.delayMs ?? 0;
  const demo = await buildNamedScenario('valid');
  const statuses: Record<string, OcspStatusEntry> = {};
  for (const e of Object.values(demo.ocsp.entries)) {
    statuses[e.serialNumber] = e.status === 'revoked' ? { status: 'revoked', reason: e.reason ?? 'unspecified' } : { status: e.status };
  }
  const server = await start({
    data: demo.registryData,
    delayMs,
    ocsp: { caCertDer: demo.ocsp.issuer.der, caPrivateKey: demo.ocsp.responderKeyPkcs8, statuses },
  });
  const client = createRegistryClient({ baseUrl: server.url, timeoutMs: 10_000 });
  const cardNumber = Object.keys(demo.registryData.cards)[0]!;
  const serials = demo.onCard.map((c) => c.serialNumber);
  const ocsp = (serialNumbers: string[]) =>
    checkOcsp({ serialNumbers, issuerDer: demo.ocsp.issuer.der, url: server.ocspUrl, timeoutMs: 10_000 }).then((r) => {
      if (!r.checked) throw new Error(`OCSP not checked: ${r.detail}`);
    });
  const singles: Array<() => Promise<unknown>> = [() => client.getCard(cardNumber), ...serials.map((s) => () => ocsp([s]))];
  try {
    await Promise.all([client.getCard(cardNumber), ocsp(serials)]); // warm-up: connections, JIT
    const waves: number[] = [];
    const slowest: number[] = [];
    const sequential: number[] = [];
    for (let i = 0; i < rounds; i++) {
      waves.push(await timed(() => Promise.all([client.getCard(cardNumber), ocsp(serials)])));
      const alone: number[] = [];
      for (const single of singles) alone.push(await timed(single));
      slowest.push(Math.max(...alone));
      sequential.push(alone.reduce((a, b) => a + b, 0));
    }
    const waveMs = median(waves);
    const slowestSingleMs = median(slowest);
    return { waveMs, slowestSingleMs, sequentialMs: median(sequential), ratio: waveMs / slowestSingleMs, requests: singles.length, rounds, delayMs };
  } finally {
    client.close();
    await server.close();
  }
}

if (process.argv[1] !== undefined && import.meta.url === pathToFileURL(process.argv[1]).href) {
  const rounds = Number(process.argv[2] ?? 7);
  const delays = process.argv[3] !== undefined ? [Number(process.argv[3])] : [0, 50];
  for (const delayMs of delays) {
    const f = await benchCheckWave({ rounds, delayMs });
    console.log(`check wave (${f.requests} requests, +${f.delayMs} ms per answer, median of ${f.rounds}): ` +
      `wave ${f.waveMs.toFixed(1)} ms, slowest single ${f.slowestSingleMs.toFixed(1)} ms, ratio ${f.ratio.toFixed(2)}, ` +
      `sequential ${f.sequentialMs.toFixed(1)} ms`);
  }
}
