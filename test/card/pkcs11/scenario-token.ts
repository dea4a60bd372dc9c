/**
 * A SoftHSM2 token that stands for a virtual card's scenario behind "the issuer's module": label = the
 * card number (SoftHSM cannot set the serial), the card's SIGN and KEYX key pairs imported (so the
 * registry's certificates prove against the token's key), and the certificates the card holds.
 */
import { mkdtempSync, rmSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import type { BuiltScenario } from '../../../source/virtual/scenario.js';
import { ID_HEX, USER_PIN, initToken, makeTokenDir, pkcs11Tool, writeCertObject, type TokenDir } from './softhsm.js';

export function scenarioToken(scenario: BuiltScenario): TokenDir & { label: string } {
  const token = makeTokenDir();
  const label = scenario.spec.cardNumber;
  const files = mkdtempSync(join(tmpdir(), 'moica-keys-'));
  try {
    initToken(token.conf, label);
    for (const [slot, keyId] of [[0, 'SIGN'], [1, 'KEYX']] as const) {
      const key = scenario.holderKeys[keyId];
      const priv = join(files, `${keyId}.key.der`);
      const pub = join(files, `${keyId}.pub.der`);
      writeFileSync(priv, key.pkcs8);
      writeFileSync(pub, key.spki);
      const common = ['--token-label', label, '--login', '--pin', USER_PIN, '--id', ID_HEX[keyId], '--label', keyId];
      pkcs11Tool(token.conf, [...common, '--write-object', priv, '--type', 'privkey']);
      pkcs11Tool(token.conf, [...common, '--write-object', pub, '--type', 'pubkey']);
      writeCertObject(token.conf, label, scenario.onCard[slot].der, ID_HEX[keyId], keyId);
    }
    return { ...token, label };
  } catch (e) {
    token.cleanup();
    throw e;
  } finally {
    rmSync(files, { recursive: true, force: true });
  }
}
