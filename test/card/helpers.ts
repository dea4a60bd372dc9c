/** Shared by the card tests: a virtual card in an in-process reader, with a trace that counts APDUs. */
import { buildNamedScenario, type DemoOptions, type VirtualScenarioName } from '../../source/virtual/demos.js';
import { InProcessTransport, VIRTUAL_READER } from '../../source/virtual/in-process.js';
import type { BuiltScenario } from '../../source/virtual/scenario.js';
import { Trace, type TraceEntry } from '../../source/card/trace.js';
import type { CardChannel } from '../../source/card/types.js';

export interface VirtualSetup {
  scenario: BuiltScenario;
  transport: InProcessTransport;
  channel: CardChannel;
  entries: TraceEntry[];
  trace: Trace;
}

export async function virtualCard(name: VirtualScenarioName = 'valid', options: DemoOptions = {}): Promise<VirtualSetup> {
  return tracedCard(await buildNamedScenario(name, options));
}

/** A built scenario's card in an in-process reader, every APDU in the trace. */
export async function tracedCard(scenario: BuiltScenario): Promise<VirtualSetup> {
  const transport = new InProcessTransport();
  transport.insert(scenario.card);
  const trace = new Trace();
  const entries: TraceEntry[] = [];
  trace.onEntry((e) => entries.push(e));
  const channel = trace.wrap(await transport.connect(VIRTUAL_READER));
  return { scenario, transport, channel, entries, trace };
}

/** A channel over a function: for cards the virtual card cannot be (other ATRs, odd answers). */
export function scriptedChannel(atr: string, answer: (apdu: Uint8Array) => Uint8Array, log: Uint8Array[] = []): CardChannel {
  return {
    reader: 'Scripted Reader 00',
    atr,
    async transmit(apdu) {
      log.push(apdu.slice());
      return answer(apdu);
    },
    async close() {},
  };
}

export const hex = (b: Uint8Array): string => Buffer.from(b).toString('hex').toUpperCase();
export const bytes = (h: string): Uint8Array => Uint8Array.from(Buffer.from(h.replace(/\s/g, ''), 'hex'));
