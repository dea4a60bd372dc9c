/** doctor's card probe: the issuing CA told by key (issuer.ts), its table status, and a corrupted CA area. */
import { test } from 'node:test';
import assert from 'node:assert/strict';
import { buildScenario, type ScenarioSpec } from '../../source/virtual/scenario.js';
import { InProcessTransport } from '../../source/virtual/in-process.js';
import { probeCard } from '../../source/doctor/pcsc.js';

const spec = (extra: Partial<ScenarioSpec> = {}): ScenarioSpec => ({
  name: 'doctor-ca', cardNumber: 'TP03130708163649',
  onCard: [{ serialNumber: '3B7161C40F46488916A', notBefore: -100, notAfter: 900 }, { serialNumber: '3B7161C40F46488916B', notBefore: -100, notAfter: 900 }],
  ...extra,
});

async function probe(extra: Partial<ScenarioSpec> = {}) {
  const built = await buildScenario(spec(extra));
  const transport = new InProcessTransport();
  transport.insert(built.card);
  try {
    return { built, probe: await probeCard({ timeoutMs: 5000 } as never, { transport, close: () => transport.close() }, true) };
  } finally {
    await transport.close();
  }
}

test('doctor: the test PKI\'s CA is reported unknown (not refused), chain verified, and is the OCSP issuer', async () => {
  const { built, probe: p } = await probe();
  assert.equal(p.line.status, 'ok');
  assert.deepEqual(p.issuerDer, built.pki.issuing.certificate.der);
  const ca = (p.line.details as { ca?: Record<string, unknown> }).ca;
  assert.equal(ca?.issuer, 'unknown');
  assert.equal(ca?.generation, null);
  assert.equal(ca?.chain, 'verified');
});

test('doctor: a CA area whose root signature fails is an inconsistent card', async () => {
  const { probe: p } = await probe({ caAreaFault: 'root-signature' });
  assert.equal(p.line.status, 'warn');
  assert.equal(p.line.code, 'card-inconsistent');
  assert.equal(p.issuerDer, undefined);
  assert.match(String((p.line.details as { caArea?: string }).caArea), /fails its own signature/);
});
