/**
 * The step machine over the project's virtual card (in-process, the real APDU path): a stale card ends
 * A, and a card left inconsistent by a torn write is finished by the same machine.
 */
import { test } from 'node:test';
import assert from 'node:assert/strict';
import { MoicaCard } from '../../source/card/moica.js';
import { VirtualCardWriter } from '../../source/card/writers/virtual-apdu.js';
import { runRewrite, type RewriteRecord, type RewriteRegistry } from '../../source/check/rewrite.js';
import { decideVerdict } from '../../source/check/verdict.js';
import type { RegistryCard } from '../../source/registry/types.js';
import { MoicaError } from '../../source/errors.js';
import { virtualCard } from '../card/helpers.js';
import { MemoryBackups } from './fakes.js';

async function setup(name: 'rewrite' | 'inconsistent') {
  const v = await virtualCard(name);
  const { registryData } = v.scenario;
  const registry: RewriteRegistry & { records: RewriteRecord[] } = {
    records: [],
    async getCard(cardNumber) {
      const entry = registryData.cards[cardNumber];
      if (!entry) throw new MoicaError('card-not-found', cardNumber);
      return { cardNumber, certificates: entry.certificates.map((c) => ({ ...c, notBefore: new Date(c.notBefore), notAfter: new Date(c.notAfter) })) } satisfies RegistryCard;
    },
    async getCertificate(serial) {
      return Uint8Array.from(Buffer.from(registryData.certificates[serial]!, 'base64'));
    },
    async postRewrite(_n, record) {
      registry.records.push(record);
    },
  };
  // A re-read opens the card afresh, as after a reinsertion: nothing cached.
  const readCard = async () => {
    const card = await MoicaCard.open(v.channel);
    return { ...(await card.read()), caCertificates: await card.caCertificates() };
  };
  const writer = new VirtualCardWriter(await MoicaCard.open(v.channel));
  const pin = () => Promise.resolve(new TextEncoder().encode(v.scenario.pin));
  return { v, registry, readCard, writer, pin, now: () => v.scenario.now };
}

for (const name of ['rewrite', 'inconsistent'] as const) {
  test(`virtual card "${name}": the machine rewrites it, and the card then reads A`, async () => {
    const s = await setup(name);
    const steps: string[] = [];
    const result = await runRewrite(
      { registry: s.registry, writer: s.writer, readCard: s.readCard, backupStore: new MemoryBackups([]), askPin: s.pin },
      { now: s.now, onProgress: (p) => steps.push(p.step) },
    );
    assert.equal(result.verdict, 'B-2');
    assert.ok(steps.includes('key-proof'));
    const after = await s.readCard();
    const answer = await s.registry.getCard(after.number);
    const v = decideVerdict(after, answer, { checked: false, certificates: [], notCheckedReason: 'disabled' }, s.now());
    assert.equal(v.verdict, 'A');
    assert.deepEqual(s.registry.records.map((r) => r.result), ['completed']);
  });
}
