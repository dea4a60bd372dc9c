/**
 * Where the registry lives. Its answers decide what gets written to a card, so they must come over
 * HTTPS, except from this machine (the reference server, tests, a local proxy). A bad URL is the user's
 * configuration (--registry / MOICA_REGISTRY_URL), hence 'usage' (exit 2), not a registry failure.
 */
import { isIP } from 'node:net';
import { MoicaError } from '../errors.js';

/**
 * Loopback is 127.0.0.0/8, ::1 and the name `localhost`, nothing else: `*.localhost` is a name that goes
 * through the resolver (DNS, /etc/hosts), so it may be anywhere; IPv4-mapped forms are not taken either.
 * WHATWG URL parsing has already normalised the host (127.1 → 127.0.0.1, [0:0::1] → [::1]).
 */
export function isLoopbackHost(hostname: string): boolean {
  const host = hostname.replace(/^\[|\]$/g, '').toLowerCase();
  if (host === 'localhost') return true;
  if (isIP(host) === 4) return host.split('.')[0] === '127';
  if (isIP(host) === 6) return host === '::1';
  return false;
}

/** The base URL, checked: http(s) only, HTTPS unless loopback, no credentials, no query; no trailing slash. */
export function checkRegistryUrl(raw: string): string {
  let url: URL;
  try {
    url = new URL(raw);
  } catch {
    throw new MoicaError('usage', `The registry URL "${raw}" is not a URL.`);
  }
  if (url.protocol !== 'https:' && url.protocol !== 'http:') {
    throw new MoicaError('usage', `The registry URL must be http(s), not ${url.protocol}`);
  }
  if (url.protocol === 'http:' && !isLoopbackHost(url.hostname)) {
    throw new MoicaError('usage', `The registry must be reached over HTTPS (plain HTTP only on loopback): ${url.origin}`);
  }
  if (url.username !== '' || url.password !== '' || url.search !== '' || url.hash !== '') {
    throw new MoicaError('usage', 'The registry URL takes no credentials, query or fragment.');
  }
  return `${url.origin}${url.pathname.replace(/\/+$/, '')}`;
}
