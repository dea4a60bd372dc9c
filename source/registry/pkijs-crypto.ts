/**
 * pkijs's crypto engine over node's WebCrypto, importing each public key once. pkijs imports a signer's key
 * anew for every signature it checks (its SubjectPublicKeyInfo encoded again, decoded again and imported),
 * and a check verifies every OCSP answer by the one CA key and the card's chain by its root's. The key is
 * kept per PublicKeyInfo object (that of a parsed certificate: registry/ocsp-asn1.ts keeps one object per
 * certificate's bytes) and per import parameters; what is verified and how is pkijs's own
 * (verifyWithPublicKey, Certificate#verify), unchanged.
 */
import { webcrypto } from 'node:crypto';
import * as pkijs from 'pkijs';

class OneImportPerKey extends pkijs.CryptoEngine {
  readonly #keys = new WeakMap<pkijs.PublicKeyInfo, Map<string, Promise<CryptoKey>>>();

  // async as pkijs's own: a key it cannot describe (fillPublicKeyParameters throws) is a rejection, not a throw.
  override async getPublicKey(publicKeyInfo: pkijs.PublicKeyInfo, signatureAlgorithm: pkijs.AlgorithmIdentifier, parameters?: pkijs.CryptoEnginePublicKeyParams): Promise<CryptoKey> {
    const params = parameters ?? this.fillPublicKeyParameters(publicKeyInfo, signatureAlgorithm);
    const id = JSON.stringify(params.algorithm);
    let imported = this.#keys.get(publicKeyInfo);
    if (imported === undefined) {
      imported = new Map();
      this.#keys.set(publicKeyInfo, imported);
    }
    let key = imported.get(id);
    if (key === undefined) {
      key = super.getPublicKey(publicKeyInfo, signatureAlgorithm, params);
      const byParams = imported;
      // A key that does not import is tried again next time (and fails again: the verify reports it).
      key.catch(() => byParams.delete(id));
      imported.set(id, key);
    }
    return key;
  }
}

/** pkijs's engine over `crypto`, importing each public key once (exported for its test). */
export function oneImportPerKey(crypto: Crypto): pkijs.CryptoEngine {
  return new OneImportPerKey({ name: 'moica-check', crypto });
}

/** The engine every signature check of ours passes to pkijs. */
export const pkijsCrypto: pkijs.CryptoEngine = oneImportPerKey(webcrypto as unknown as Crypto);
