/**
 * Serve a virtual card to a vpcd reader, for manual testing and for test rigs in child processes:
 *
 *   tsx source/virtual/serve.ts --port 35963 --scenario rewrite [--generation 2] [--tagging implicit]
 *       [--ocsp-url URL] [--crl-url URL] [--registry-out FILE] [--pki-dir DIR] [--save-state FILE]
 *   tsx source/virtual/serve.ts --port 35963 --state card.json [--save-state card.json]
 *
 * Prints one JSON line per event on stdout ({"event":"inserted",…}). Lines on stdin steer it: `insert`,
 * `remove`, `pull N` (pulled after N more APDUs), `mute`, `fault sw6987|getResponse|wrongLength N`, `quit`. On quit, SIGTERM, SIGINT or the end of
 * stdin the card is removed and, with --save-state, its state (EF contents, tries) written back.
 */
import { readFile, writeFile } from 'node:fs/promises';
import { createInterface } from 'node:readline';
import { parseArgs } from 'node:util';
import { MoicaError, toMoicaError } from '../errors.js';
import { VirtualCard } from './card.js';
import { buildNamedScenario, isScenarioName, SCENARIO_NAMES } from './demos.js';
import type { VirtualCardState } from './image.js';
import { VpcdCardClient } from './vpcd-client.js';

function say(event: string, detail: Record<string, unknown> = {}): void {
  process.stdout.write(`${JSON.stringify({ event, ...detail })}\n`);
}

async function loadCard(values: Record<string, string | undefined>): Promise<VirtualCard> {
  if (values['state']) {
    let state: VirtualCardState;
    try {
      state = JSON.parse(await readFile(values['state'], 'utf8')) as VirtualCardState;
    } catch (error) {
      throw new MoicaError('usage', `cannot read the card state ${values['state']}`, {}, { cause: error });
    }
    return VirtualCard.fromState(state);
  }
  const name = values['scenario'] ?? 'valid';
  if (!isScenarioName(name)) throw new MoicaError('usage', `--scenario must be one of ${SCENARIO_NAMES.join(', ')}`);
  const generation = values['generation'];
  if (generation !== undefined && generation !== '1' && generation !== '2') {
    throw new MoicaError('usage', '--generation must be 1 or 2');
  }
  const tagging = values['tagging'];
  if (tagging !== undefined && tagging !== 'explicit' && tagging !== 'implicit') {
    throw new MoicaError('usage', '--tagging must be explicit or implicit');
  }
  const built = await buildNamedScenario(name, {
    ...(generation ? { generation: Number(generation) as 1 | 2 } : {}),
    ...(tagging ? { tagging } : {}),
    ...(values['ocsp-url'] ? { ocspUrl: values['ocsp-url'] } : {}),
    ...(values['crl-url'] ? { crlUrls: [values['crl-url']] } : {}),
  });
  if (values['registry-out']) await writeFile(values['registry-out'], JSON.stringify(built.registryData, null, 2));
  if (values['pki-dir']) {
    await built.pki.writePemFiles(values['pki-dir']);
    await built.ocsp.writeOpensslIndex(`${values['pki-dir']}/index.txt`);
  }
  return built.card;
}

function setFault(card: VirtualCard, name: string | undefined, count: string | undefined): void {
  const times = Number(count ?? 1);
  if ((name !== 'sw6987' && name !== 'getResponse' && name !== 'wrongLength') || !Number.isInteger(times) || times < 0) {
    say('error', { message: 'fault takes sw6987|getResponse|wrongLength and a count' });
    return;
  }
  card.faults[name] = times;
  say('fault', { name, times });
}

async function main(): Promise<void> {
  const { values } = parseArgs({
    options: {
      port: { type: 'string' },
      host: { type: 'string' },
      scenario: { type: 'string' },
      state: { type: 'string' },
      generation: { type: 'string' },
      tagging: { type: 'string' },
      'ocsp-url': { type: 'string' },
      'crl-url': { type: 'string' },
      'registry-out': { type: 'string' },
      'pki-dir': { type: 'string' },
      'save-state': { type: 'string' },
    },
    strict: true,
  });
  const port = Number(values.port);
  if (!Number.isInteger(port) || port < 1 || port > 65535) throw new MoicaError('usage', '--port N is required (1-65535)');
  const card = await loadCard(values);
  const client = new VpcdCardClient(card, { port, ...(values.host ? { host: values.host } : {}) });
  client.on('removed', () => say('removed'));
  await client.insert();
  say('inserted', { port, generation: card.generation });

  let quitting = false;
  const quit = async (): Promise<void> => {
    if (quitting) return;
    quitting = true;
    await client.remove();
    if (values['save-state']) await writeFile(values['save-state'], JSON.stringify(card.toState()));
    say('stopped');
    process.exit(0);
  };
  process.once('SIGTERM', () => void quit());
  process.once('SIGINT', () => void quit());
  const lines = createInterface({ input: process.stdin });
  lines.on('close', () => void quit());
  lines.on('line', (line) => {
    const [command, argument, rest] = line.trim().split(/\s+/);
    const run = async (): Promise<void> => {
      switch (command) {
        case 'insert': await client.insert(); say('inserted', { port }); return;
        case 'remove': await client.remove(); return;
        case 'pull': client.pullAfter(Number(argument ?? 0)); say('armed', { pullAfter: Number(argument ?? 0) }); return;
        case 'mute': card.stopAnswering(); say('muted'); return;
        case 'fault': setFault(card, argument, rest); return;
        case 'quit': await quit(); return;
        case '': case undefined: return;
        default: say('error', { message: `unknown command ${command}` });
      }
    };
    run().catch((error: unknown) => say('error', toMoicaError(error).toJSON()));
  });
}

main().catch((error: unknown) => {
  const failure = toMoicaError(error);
  process.stderr.write(`serve: ${failure.message}\n`);
  process.exit(failure.exitCode);
});
