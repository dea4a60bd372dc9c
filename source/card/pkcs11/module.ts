/**
 * Loading the issuer's PKCS#11 module (libHicos_p11.so on a real MOICA card; SoftHSM2 in tests) through
 * pkcs11js. pkcs11js is an optional native dependency, so it is imported lazily: a machine without it can
 * still read cards over PC/SC.
 */
import { existsSync } from 'node:fs';
import type * as Pkcs11js from 'pkcs11js';
import { MoicaError } from '../../errors.js';

export type Pkcs11Lib = typeof Pkcs11js;
/** The calls this backend makes; tests may wrap a real module to script what a card would answer. */
export type Pkcs11Api = Pick<Pkcs11js.PKCS11,
  | 'load' | 'close' | 'C_Initialize' | 'C_Finalize' | 'C_GetSlotList' | 'C_GetTokenInfo'
  | 'C_OpenSession' | 'C_CloseSession' | 'C_Login' | 'C_Logout'
  | 'C_FindObjectsInit' | 'C_FindObjects' | 'C_FindObjectsFinal' | 'C_GetAttributeValue'
  | 'C_CreateObject' | 'C_DestroyObject' | 'C_SignInit' | 'C_SignAsync'>;
export type Handle = Pkcs11js.Handle;

export interface Pkcs11Module {
  readonly path: string;
  readonly lib: Pkcs11Lib;
  readonly api: Pkcs11Api;
  /** C_Finalize and unload; safe to call twice. */
  close(): void;
}

export interface OpenModuleOptions {
  /** Wraps the freshly created PKCS11 object (tests use it to play a card that locks its PIN). */
  wrapApi?: (api: Pkcs11Api, lib: Pkcs11Lib) => Pkcs11Api;
}

export const INSTALL_HINT =
  'Install the card issuer\'s PKCS#11 module (HiPKILocalSignServer from https://moica.nat.gov.tw: macOS '
  + 'libHicos_p11v1.dylib inside HiPKILocalSignServer.app, Windows HiCOSPKCS11.dll, Linux a libHicos_p11*.so inside '
  + 'its archive; `moica-check doctor` searches the usual places) and point to it with --pkcs11-module PATH or '
  + 'MOICA_PKCS11_MODULE.';

async function importPkcs11js(): Promise<Pkcs11Lib> {
  try {
    const mod = (await import('pkcs11js')) as Pkcs11Lib & { default?: Pkcs11Lib };
    return mod.default ?? mod;
  } catch (e) {
    throw new MoicaError('pkcs11-unavailable',
      'The pkcs11js package is not installed or failed to build (npm install pkcs11js; it needs python3, make '
      + 'and g++). It is only needed for PIN and write on real cards.', {}, { cause: e });
  }
}

export async function openModule(path: string, options: OpenModuleOptions = {}): Promise<Pkcs11Module> {
  if (!existsSync(path)) {
    throw new MoicaError('pkcs11-unavailable', `No PKCS#11 module at ${path}. ${INSTALL_HINT}`, { module: path });
  }
  const lib = await importPkcs11js();
  const raw = new lib.PKCS11();
  const api = options.wrapApi ? options.wrapApi(raw, lib) : raw;
  try {
    api.load(path);
  } catch (e) {
    throw new MoicaError('pkcs11-unavailable',
      `${path} is not a PKCS#11 module (${describe(e)}). ${INSTALL_HINT}`, { module: path }, { cause: e });
  }
  try {
    api.C_Initialize();
  } catch (e) {
    // A module already initialised in this process is usable as it is.
    if (!(e instanceof lib.Pkcs11Error && e.code === lib.CKR_CRYPTOKI_ALREADY_INITIALIZED)) {
      safely(() => api.close());
      throw new MoicaError('pkcs11-unavailable',
        `The PKCS#11 module ${path} failed to start (C_Initialize: ${describe(e)}). ${INSTALL_HINT}`,
        { module: path }, { cause: e });
    }
  }
  let open = true;
  return {
    path, lib, api,
    close() {
      if (!open) return;
      open = false;
      safely(() => api.C_Finalize());
      safely(() => api.close());
    },
  };
}

function describe(e: unknown): string {
  return e instanceof Error ? e.message.split('\n')[0] ?? e.name : String(e);
}

function safely(f: () => void): void {
  try { f(); } catch { /* closing: nothing useful to do with a second failure */ }
}
