/**
 * `--demo`: the reference registry server for the demo scenario, in-process on loopback, with its OCSP
 * endpoint signing as the scenario's issuing CA. The real client, OCSP verification and check code run
 * against it: the demo takes no shortcut the real path does not.
 */
import type { BuiltScenario } from './demo.js';
import type { OcspStatusEntry } from '../registry/server/ocsp-responder.js';

export async function startDemoRegistry(demo: BuiltScenario, log?: (line: string) => void) {
  const { start } = await import('../registry/server/server.js');
  const statuses: Record<string, OcspStatusEntry> = {};
  for (const entry of Object.values(demo.ocsp.entries)) {
    statuses[entry.serialNumber] = entry.status === 'revoked'
      ? { status: 'revoked', reason: entry.reason ?? 'unspecified', ...(entry.revokedAt ? { revokedAt: entry.revokedAt } : {}) }
      : { status: entry.status };
  }
  const server = await start({
    data: demo.registryData,
    host: '127.0.0.1',
    port: 0,
    log,
    ocsp: { caCertDer: demo.ocsp.issuer.der, caPrivateKey: demo.ocsp.responderKeyPkcs8, statuses },
  });
  return { url: server.url, ocspUrl: server.ocspUrl ?? `${server.url}/ocsp`, rewrites: server.rewrites, close: () => server.close() };
}
