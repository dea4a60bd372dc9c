/** A PKCS#11 return value (CKR_…) as a MoicaError: one table, so no caller matches on message text. */
import { MoicaError } from '../../errors.js';
import type { Pkcs11Lib } from './module.js';

/** The CKR name of a pkcs11js error, or undefined for anything else. */
export function ckrName(lib: Pkcs11Lib, e: unknown): string | undefined {
  return e instanceof lib.Pkcs11Error ? e.message : undefined;
}

export function ckrCode(lib: Pkcs11Lib, e: unknown): number | undefined {
  return e instanceof lib.Pkcs11Error ? e.code : undefined;
}

export function pkcs11Failure(lib: Pkcs11Lib, e: unknown, operation: string): MoicaError {
  if (e instanceof MoicaError) return e;
  const code = ckrCode(lib, e);
  const name = ckrName(lib, e) ?? (e instanceof Error ? e.message.split('\n')[0] : String(e));
  if (code === lib.CKR_DEVICE_REMOVED || code === lib.CKR_TOKEN_NOT_PRESENT || code === lib.CKR_SESSION_HANDLE_INVALID) {
    return new MoicaError('card-removed', `The card was removed during ${operation} (${name}).`, { ckr: name }, { cause: e });
  }
  return new MoicaError('pkcs11-error', `PKCS#11 ${operation} failed: ${name}.`, { ckr: name ?? null }, { cause: e });
}
