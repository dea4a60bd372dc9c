/**
 * A JS-level wrapper over the real SoftHSM2 module: counts calls, and plays a card that locks its PIN after
 * a number of wrong tries (SoftHSM2 2.6 never locks: measured, it only raises CKF_USER_PIN_COUNT_LOW).
 */
import type { Pkcs11Api, Pkcs11Lib } from '../../../source/card/pkcs11/module.js';

export type Calls = Map<string, number>;

export function counting(calls: Calls, overrides: Partial<Pkcs11Api> = {}) {
  return (api: Pkcs11Api): Pkcs11Api => new Proxy(api, {
    get(target, prop: string) {
      const own = (overrides as Record<string, unknown>)[prop];
      const value = own ?? (target as unknown as Record<string, unknown>)[prop];
      if (typeof value !== 'function') return value;
      return (...args: unknown[]) => {
        calls.set(prop, (calls.get(prop) ?? 0) + 1);
        return (value as (...a: unknown[]) => unknown).apply(own ? undefined : target, args);
      };
    },
  });
}

/** A token with `tries` PIN tries: the token flags show FINAL_TRY at 1 left and LOCKED at 0. */
export function lockingToken(calls: Calls, tries: number) {
  return (api: Pkcs11Api, lib: Pkcs11Lib): Pkcs11Api => {
    let left = tries;
    return counting(calls, {
      C_GetTokenInfo(slot) {
        const info = api.C_GetTokenInfo(slot);
        const flags = info.flags & ~lib.CKF_USER_PIN_COUNT_LOW;
        return { ...info, flags: left === 0 ? flags | lib.CKF_USER_PIN_LOCKED : left === 1 ? flags | lib.CKF_USER_PIN_FINAL_TRY : flags };
      },
      C_Login(session, userType, pin) {
        if (left === 0) throw new lib.Pkcs11Error('CKR_PIN_LOCKED', lib.CKR_PIN_LOCKED, 'C_Login');
        try {
          api.C_Login(session, userType, pin);
          left = tries;
        } catch (e) {
          if (e instanceof lib.Pkcs11Error && e.code === lib.CKR_PIN_INCORRECT) left--;
          throw e;
        }
      },
    })(api);
  };
}
