/**
 * `moica-check serve-registry --data FILE [--port N]` (or `--demo [SCENARIO]`): the reference registry
 * server on 127.0.0.1 until SIGINT/SIGTERM. The URL goes to stdout (JSON with --json), one line per
 * request to stderr. --port defaults to 0: any free port, printed.
 */
import type { Options } from '../options.js';
import { fail, printJson, type Io, printText, untilSignal } from './io.js';

interface Served {
  url: string;
  ocspUrl?: string;
  cardNumber?: string;
  close(): Promise<void>;
}

async function open(options: Options, log: (line: string) => void): Promise<Served> {
  if (options.data === undefined && options.demo !== undefined) {
    const { buildDemoScenario } = await import('../engine/demo.js');
    const { startDemoRegistry } = await import('../engine/demo-registry.js');
    const demo = await buildDemoScenario(options.demo);
    const server = await startDemoRegistry(demo, log);
    return { ...server, cardNumber: Object.keys(demo.registryData.cards)[0] };
  }
  const { loadRegistryData } = await import('../registry/server/data.js');
  const { start } = await import('../registry/server/server.js');
  const data = await loadRegistryData(options.data!);
  return start({ data, port: options.port ?? 0, host: '127.0.0.1', log });
}

/** Serves until `stopped()` settles (asked only once serving); 0 after a clean close. */
export async function serve(options: Options, io: Io, stopped: () => Promise<void>): Promise<number> {
  let served: Served;
  try {
    served = await open(options, (line) => printText(io.stderr, `${line}\n`));
  } catch (e) {
    return fail(io, options.json, {}, e);
  }
  const { url, ocspUrl, cardNumber } = served;
  if (options.json) printJson(io, { url, ...(ocspUrl ? { ocspUrl } : {}), ...(cardNumber ? { cardNumber } : {}) });
  else {
    printText(io.stdout, `Registry: ${url}\n`);
    if (ocspUrl) printText(io.stdout, `OCSP:     ${ocspUrl}\n`);
    if (cardNumber) printText(io.stdout, `Card:     ${cardNumber}\n`);
    printText(io.stdout, 'Ctrl+C stops it.\n');
  }
  await stopped();
  await served.close();
  return 0;
}

export async function run(options: Options, io: Io): Promise<number> {
  return serve(options, io, untilSignal);
}
