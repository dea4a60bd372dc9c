/**
 * The rewrite step machine's parts over the in-process virtual card (the real APDU path), for the safety
 * tests that count what reaches the card: every APDU in a trace, the scenario's registry answering from
 * its data and recording the rewrite, the card read as check/rewrite.ts reads it, the virtual writer.
 */
import { MoicaCard } from '../../source/card/moica.js';
import { VirtualCardWriter } from '../../source/card/writers/virtual-apdu.js';
import type { RewriteRecord, RewriteRegistry } from '../../source/check/rewrite.js';
import type { RegistryCard } from '../../source/registry/types.js';
import type { BuiltScenario } from '../../source/virtual/scenario.js';
import { tracedCard } from '../card/helpers.js';

export async function virtualRewriteParts(scenario: BuiltScenario) {
  const { channel, entries } = await tracedCard(scenario);
  const { registryData } = scenario;
  const registry: RewriteRegistry & { records: RewriteRecord[] } = {
    records: [],
    async getCard(cardNumber) {
      const entry = registryData.cards[cardNumber]!;
      return { cardNumber, certificates: entry.certificates.map((c) => ({ ...c, notBefore: new Date(c.notBefore), notAfter: new Date(c.notAfter) })) } satisfies RegistryCard;
    },
    async getCertificate(serial) {
      return Uint8Array.from(Buffer.from(registryData.certificates[serial]!, 'base64'));
    },
    async postRewrite(_n, record) { registry.records.push(record); },
  };
  const readCard = async () => {
    const card = await MoicaCard.open(channel);
    return { ...(await card.read()), caCertificates: await card.caCertificates() };
  };
  const writer = new VirtualCardWriter(await MoicaCard.open(channel));
  return { entries, registry, readCard, writer };
}
