/**
 * The PKCS#11 line of `doctor`: the configured issuer module, or else the one found in the known install
 * places (module-search.ts, every place named); it is loaded and its tokens listed with their labels and
 * serials, never logged in to.
 */
import { toMoicaError } from '../errors.js';
import type { CardInfo } from '../card/types.js';
import { sanitize } from '../text/sanitize.js';
import { searchModule } from './module-search.js';
import type { DoctorLine } from './types.js';

async function tokensOf(modulePath: string) {
  const { listPkcs11Tokens } = await import('../card/pkcs11/index.js');
  const tokens = (await listPkcs11Tokens(modulePath)).map((t) => ({ ...t, label: sanitize(t.label), serial: sanitize(t.serial) }));
  return { tokens, names: tokens.map((t) => `${t.label} (${t.serial})`).join(', ') || 'pkcs11.no-tokens' };
}

export async function probePkcs11(modulePath: string | undefined, card: CardInfo | undefined): Promise<DoctorLine> {
  const realCard = card !== undefined && !card.virtual;
  if (modulePath === undefined) {
    // The virtual card takes its own plaintext path: no module to look for.
    if (card?.virtual) return { check: 'pkcs11', status: 'skip', summary: { key: 'pkcs11.unset' }, details: { module: null } };
    const search = searchModule();
    const found = search.found[0];
    if (found === undefined) {
      const searched = search.searched.join(', ');
      const details = { module: null, searched: search.searched, found: [] };
      // Only a real card needs the module (its PIN and writes go nowhere else); the virtual card does not.
      if (realCard) return { check: 'pkcs11', status: 'warn', code: 'pkcs11-unavailable', summary: { key: 'pkcs11.not-found-real', params: { searched } }, next: { key: 'pkcs11.install.next' }, details };
      return { check: 'pkcs11', status: 'skip', summary: { key: 'pkcs11.not-found', params: { searched } }, next: { key: 'pkcs11.install.next' }, details };
    }
    try {
      const { tokens, names } = await tokensOf(found);
      return {
        check: 'pkcs11', status: realCard ? 'warn' : 'ok',
        summary: { key: 'pkcs11.found', params: { path: found, tokens: names } }, next: { key: 'pkcs11.found.next', params: { path: found } },
        details: { module: null, found: search.found, searched: search.searched, tokens, cardToken: card ? tokens.some((t) => t.cardNumber === card.number) : null },
      };
    } catch (e) {
      const err = toMoicaError(e);
      return {
        check: 'pkcs11', status: 'warn', code: err.code,
        summary: { key: 'pkcs11.found-broken', params: { path: found, message: err.message } }, next: { key: 'pkcs11.install.next' },
        details: { module: null, found: search.found, searched: search.searched },
      };
    }
  }
  try {
    const { tokens, names } = await tokensOf(modulePath);
    return {
      check: 'pkcs11', status: 'ok',
      summary: { key: 'pkcs11.ok', params: { path: modulePath, tokens: names } },
      details: { module: modulePath, tokens, cardToken: card ? tokens.some((t) => t.cardNumber === card.number) : null },
    };
  } catch (e) {
    const err = toMoicaError(e);
    return {
      check: 'pkcs11', status: 'fail', code: err.code, exitClass: 5,
      summary: { key: 'pkcs11.fail', params: { path: modulePath, message: err.message } }, next: { key: 'pkcs11.install.next' },
      details: { module: modulePath },
    };
  }
}
