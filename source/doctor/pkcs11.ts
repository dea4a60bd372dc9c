/** The PKCS#11 line of `doctor`: does the configured issuer module load, and which tokens does it show? */
import { toMoicaError } from '../errors.js';
import type { CardInfo } from '../card/types.js';
import type { DoctorLine } from './types.js';

export async function probePkcs11(modulePath: string | undefined, card: CardInfo | undefined): Promise<DoctorLine> {
  if (modulePath === undefined) {
    // Only a real card needs the module (its PIN and writes go nowhere else); the virtual card does not.
    if (card !== undefined && !card.virtual) {
      return { check: 'pkcs11', status: 'warn', code: 'pkcs11-unavailable', summary: { key: 'pkcs11.unset-real' }, next: { key: 'pkcs11.unset-real.next' }, details: { module: null } };
    }
    return { check: 'pkcs11', status: 'skip', summary: { key: 'pkcs11.unset' }, details: { module: null } };
  }
  try {
    const { listPkcs11Tokens } = await import('../card/pkcs11/index.js');
    const tokens = await listPkcs11Tokens(modulePath);
    const names = tokens.map((t) => `${t.label} (${t.serial})`).join(', ');
    return {
      check: 'pkcs11', status: 'ok',
      summary: { key: 'pkcs11.ok', params: { path: modulePath, tokens: names || 'pkcs11.no-tokens' } },
      details: { module: modulePath, tokens, cardToken: card ? tokens.some((t) => t.cardNumber === card.number) : null },
    };
  } catch (e) {
    const err = toMoicaError(e);
    return {
      check: 'pkcs11', status: 'fail', code: err.code, exitClass: 5,
      summary: { key: 'pkcs11.fail', params: { path: modulePath, message: err.message } }, next: { key: 'pkcs11.fail.next' },
      details: { module: modulePath },
    };
  }
}
