/**
 * Everything one headless command or the TUI needs for a card: the card (PC/SC, demo reader or PKCS#11
 * token) and the network (registry + OCSP; for --demo the reference server in-process on loopback, with
 * its OCSP endpoint signing as the demo CA). Opened lazily: `read` never touches the network.
 */
import type { Options } from '../options.js';
import type { BuiltScenario } from './demo.js';
import type { Network } from './network.js';
import type { Learned } from '../card/open.js';
import { openSource } from './card-source.js';
import { openCardAccess, type AccessMode, type CardAccess } from './card-access.js';

export interface OpenNetwork extends Network {
  close(): Promise<void>;
}

export interface NetworkHooks {
  /** The CRL download's progress (text mode shows it on stderr, the TUI may show a bar). */
  onCrlProgress?: (progress: { url: string; bytes: number; total: number | undefined }) => void;
}

/**
 * The responder by registry/ocsp-url.ts's rule (the card's CA chooses at check time unless --ocsp or
 * --no-ocsp, or the demo's own). Without --registry / MOICA_REGISTRY_URL the network has no registry
 * (`registry: null`).
 */
export async function openNetwork(options: Options, demo?: BuiltScenario, hooks: NetworkHooks = {}): Promise<OpenNetwork> {
  const { createRegistryClient, registryClientFromConfig } = await import('../registry/client.js');
  // --ocsp-responder FILE: delegated responders to trust (pinned); read and parsed before anything else.
  let ocspResponders: Uint8Array[] | undefined;
  if (options.ocspResponders !== undefined) {
    const { readResponderCertificates } = await import('./supplied.js');
    ocspResponders = await readResponderCertificates(options.ocspResponders);
  }
  const crl = options.crl === false ? false as const : hooks.onCrlProgress ? { onProgress: hooks.onCrlProgress } : undefined;
  const extra = { ...(ocspResponders ? { ocspResponders } : {}), ...(crl !== undefined ? { crl } : {}) };
  const { ocspTarget } = await import('../registry/ocsp-url.js');
  if (demo !== undefined) {
    const { startDemoRegistry } = await import('./demo-registry.js');
    const server = await startDemoRegistry(demo);
    const registry = createRegistryClient({ baseUrl: server.url, timeoutMs: options.timeoutMs });
    const ocsp = ocspTarget(options.ocsp, server.ocspUrl);
    return {
      registry,
      ocspUrl: ocsp.url,
      ocspFromCard: ocsp.fromCard,
      timeoutMs: options.timeoutMs,
      ...extra,
      async close() {
        registry.close();
        await server.close();
      },
    };
  }
  // No registry configured is the normal case for a real card (cli.md "Without a registry").
  const registry = options.registry === undefined ? null : registryClientFromConfig({ registry: options.registry, timeoutMs: options.timeoutMs });
  const ocsp = ocspTarget(options.ocsp);
  return {
    registry,
    ocspUrl: ocsp.url,
    // Without --ocsp: the card's CA decides (the issuer table by key id, else the holder's AIA).
    ocspFromCard: ocsp.fromCard,
    timeoutMs: options.timeoutMs,
    ...extra,
    async close() {
      registry?.close();
    },
  };
}

export interface Session {
  access: CardAccess;
  net: OpenNetwork;
  close(): Promise<void>;
}

/** The card first (no card → fail fast, before any network), then the network. */
export async function openSession(options: Options, learned: Learned = {}, hooks: NetworkHooks = {}, mode: AccessMode = {}): Promise<Session> {
  const source = options.demo !== undefined ? await openSource(options) : undefined;
  let access: CardAccess | undefined;
  try {
    access = await openCardAccess(options, source, learned, mode);
    const net = await openNetwork(options, source?.demo, hooks);
    const opened = access;
    return {
      access: opened,
      net,
      async close() {
        await net.close().catch(() => undefined);
        await opened.close().catch(() => undefined);
        await source?.close().catch(() => undefined);
      },
    };
  } catch (e) {
    await access?.close().catch(() => undefined);
    await source?.close().catch(() => undefined);
    throw e;
  }
}
