/**
 * The CardWriter of a real card: PIN, signature and certificate replacement through the issuer's PKCS#11
 * module, never raw APDUs.
 *
 * Replacing a certificate survives a kill at any point: the new object is created (same CKA_ID and
 * CKA_LABEL as the old one) BEFORE the old one is destroyed, so the token always holds the old or the new
 * certificate. A kill between the two leaves both: reading then reports the newest (objects.ts), and the
 * next logged-in session destroys the other, which finishes the interrupted write. A module that refuses
 * the create or the destroy (WRITE_REFUSALS, CKR_DEVICE_MEMORY included: never destroy-then-create) gets
 * `pkcs11-cannot-write`, with the card holding what it held (or both certificates), nothing lost.
 */
import { createHash } from 'node:crypto';
import { MoicaError } from '../../errors.js';
import { SLOT_KEY_ID } from '../layout.js';
import type { CardInfo, CardWriter } from '../types.js';
import { parseCertificate, rawTbsFields } from '../pkcs11/certificate.js';
import { ckrCode, pkcs11Failure } from '../pkcs11/failure.js';
import { certificateMatchesKey } from '../pkcs11/key-match.js';
import { login, pinTriesFromToken } from '../pkcs11/login.js';
import type { Handle, Pkcs11Module } from '../pkcs11/module.js';
import { certificateObjects, currentAndStale, findObjects, keyIdBytes, publicKeyInfo, readAttribute,
  type CertificateObject } from '../pkcs11/objects.js';
import { cardFromObjects } from '../pkcs11/read.js';
import { tokenCardNumber, type TokenSummary } from '../pkcs11/token.js';
import { SHA256_DIGEST_INFO } from './pkcs1.js';

/** Points of a certificate replacement; tests stop a child process at each to prove it survives a kill. */
export type WriteStep = 'before-create' | 'created' | 'destroyed-old' | 'read-back';

export interface WriterOptions {
  onStep?: (step: WriteStep, slot: 0 | 1) => void | Promise<void>;
}

/**
 * What a module answers when it will not create or destroy a certificate object at all (issue 12 item 5):
 * a real card's module may refuse with codes SoftHSM2 never gives. Numbers, not names: pkcs11js has no
 * constant for every one (CKR_ACTION_PROHIBITED is PKCS#11 2.40).
 */
export const WRITE_REFUSALS: Readonly<Record<number, string>> = {
  0x31: 'CKR_DEVICE_MEMORY',
  0x1b: 'CKR_ACTION_PROHIBITED',
  0xd0: 'CKR_TEMPLATE_INCOMPLETE',
  0xd1: 'CKR_TEMPLATE_INCONSISTENT',
  0x54: 'CKR_FUNCTION_NOT_SUPPORTED',
  0xe2: 'CKR_TOKEN_WRITE_PROTECTED',
  0x10: 'CKR_ATTRIBUTE_READ_ONLY',
};

/** The module refused the object operation itself; `state` says what the token holds now (never less than before). */
function cannotWrite(ckr: string, operation: 'C_CreateObject' | 'C_DestroyObject', state: 'unchanged' | 'both', slot: 0 | 1, cause: unknown): MoicaError {
  const what = state === 'unchanged' ? 'nothing on the card was changed'
    : 'the card holds the new certificate and the old one: nothing is lost';
  return new MoicaError('pkcs11-cannot-write',
    `This PKCS#11 module cannot write certificates (${ckr} on ${operation}): ${what}. Use the issuer's 檢測重寫 page `
    + '(https://moica.nat.gov.tw, 憑證作業/憑證IC卡檢測重寫) to write them.', { ckr, operation, state, slot }, { cause });
}

/** DigestInfo prefix of SHA-256 (RFC 8017 §9.2), for modules that only offer raw CKM_RSA_PKCS. */

export class Pkcs11Writer implements CardWriter {
  readonly path = 'pkcs11' as const;
  private session: Handle | undefined;
  private loggedIn = false;

  constructor(private readonly m: Pkcs11Module, private readonly token: TokenSummary, private readonly options: WriterOptions = {}) {}

  /** True from the first call that needs the token until end(): no raw APDU may reach the card meanwhile. */
  get sessionOpen(): boolean {
    return this.session !== undefined;
  }

  /**
   * The card as the token lists it after this writer's writes, through this session: never a raw read of
   * the card while the module's session on it is open (issue 12 item 5).
   */
  async readBack(): Promise<CardInfo> {
    return cardFromObjects(this.token, tokenCardNumber(this.token), certificateObjects(this.m, this.open()));
  }

  private open(): Handle {
    if (this.session) return this.session;
    try {
      this.session = this.m.api.C_OpenSession(this.token.slot, this.m.lib.CKF_SERIAL_SESSION | this.m.lib.CKF_RW_SESSION);
      return this.session;
    } catch (e) {
      throw pkcs11Failure(this.m.lib, e, 'open session');
    }
  }

  private current(slot: 0 | 1): CertificateObject | undefined {
    return currentAndStale(certificateObjects(this.m, this.open(), keyIdBytes(slot))).current;
  }

  /** The public key object's key; where a token has none, the key of the certificate it holds for the slot. */
  async publicKey(slot: 0 | 1): Promise<Uint8Array> {
    const fromObject = publicKeyInfo(this.m, this.open(), keyIdBytes(slot));
    if (fromObject) return fromObject;
    const cert = this.current(slot);
    if (cert) return new Uint8Array(cert.cert.publicKey.rawData);
    throw new MoicaError('card-answer-invalid', `The token holds no public key or certificate with key id ${SLOT_KEY_ID[slot]}.`);
  }

  async verifyPin(pin: Uint8Array): Promise<void> {
    login(this.m, this.token.slot, this.open(), pin);
    this.loggedIn = true;
    this.finishInterruptedWrites();
  }

  /**
   * The token's PIN flags (no session, no login): LOCKED → 0, FINAL_TRY → 1; COUNT_LOW or nothing gives
   * no count (null): a real card has 3 tries, and a number is shown only when the module says it.
   */
  async pinTries(): Promise<number | null> {
    return pinTriesFromToken(this.m, this.token.slot);
  }

  /** Destroys the stale twin of any certificate a killed write left behind (see the file comment). */
  finishInterruptedWrites(): string[] {
    const destroyed: string[] = [];
    for (const slot of [0, 1] as const) {
      for (const old of currentAndStale(certificateObjects(this.m, this.open(), keyIdBytes(slot))).stale) {
        this.destroy(old.handle, 'removing the certificate an interrupted rewrite left', slot);
        destroyed.push(old.serialNumber);
      }
    }
    return destroyed;
  }

  async sign(slot: 0 | 1, message: Uint8Array): Promise<Uint8Array> {
    if (!this.loggedIn) throw new MoicaError('internal', 'sign() before verifyPin().');
    const session = this.open();
    const [key] = findObjects(this.m, session, [
      { type: this.m.lib.CKA_CLASS, value: this.m.lib.CKO_PRIVATE_KEY }, { type: this.m.lib.CKA_ID, value: keyIdBytes(slot) }]);
    if (!key) throw new MoicaError('pkcs11-error', `The token has no private key with key id ${SLOT_KEY_ID[slot]}.`);
    try {
      return new Uint8Array(await this.signWith(session, key, this.m.lib.CKM_SHA256_RSA_PKCS, Buffer.from(message)));
    } catch (e) {
      if (ckrCode(this.m.lib, e) !== this.m.lib.CKR_MECHANISM_INVALID) throw pkcs11Failure(this.m.lib, e, 'signature');
    }
    const digest = createHash('sha256').update(message).digest();
    try {
      return new Uint8Array(await this.signWith(session, key, this.m.lib.CKM_RSA_PKCS, Buffer.concat([SHA256_DIGEST_INFO, digest])));
    } catch (e) {
      throw pkcs11Failure(this.m.lib, e, 'signature');
    }
  }

  private async signWith(session: Handle, key: Handle, mechanism: number, data: Buffer): Promise<Buffer> {
    this.m.api.C_SignInit(session, { mechanism }, key);
    // 512 bytes hold an RSA-4096 signature; the module returns the used part.
    return this.m.api.C_SignAsync(session, data, Buffer.alloc(512));
  }

  async readCertificate(slot: 0 | 1): Promise<Uint8Array> {
    const cert = this.current(slot);
    if (!cert) throw new MoicaError('card-answer-invalid', `The token holds no certificate with key id ${SLOT_KEY_ID[slot]}.`);
    return cert.der;
  }

  /** The token's identity and each slot's object labels: what a restore needs to recreate the objects. */
  async backupExtras(): Promise<Record<string, Uint8Array>> {
    const labels = Object.fromEntries(([0, 1] as const).map((slot) =>
      [SLOT_KEY_ID[slot], certificateObjects(this.m, this.open(), keyIdBytes(slot)).map((o) => o.label)]));
    const { label, serial, manufacturer, model } = this.token;
    return { 'pkcs11-token.json': Buffer.from(JSON.stringify({ label, serial, manufacturer, model, labels })) };
  }

  /** `onWritten`: one step, all the bytes, once the new object is on the token (C_CreateObject has no finer one). */
  async writeCertificate(slot: 0 | 1, der: Uint8Array, onWritten?: (done: number) => void): Promise<void> {
    const session = this.open();
    const id = keyIdBytes(slot);
    try {
      parseCertificate(der, 'the new certificate');
      rawTbsFields(der);
    } catch (e) {
      throw new MoicaError('rewrite-refused', `The new ${SLOT_KEY_ID[slot]} certificate is not valid X.509.`, {}, { cause: e });
    }
    if (!certificateMatchesKey(der, await this.publicKey(slot))) {
      throw new MoicaError('rewrite-refused', `The new ${SLOT_KEY_ID[slot]} certificate is for another key than the card's.`, { slot });
    }
    const olds = certificateObjects(this.m, session, id);
    const same = olds.find((o) => Buffer.from(o.der).equals(Buffer.from(der)));
    if (same) {
      for (const old of olds) if (old !== same) this.destroy(old.handle, 'removing a stale certificate', slot);
    } else {
      await this.replace(slot, olds, der);
    }
    onWritten?.(der.length);
    const now = certificateObjects(this.m, session, id);
    await this.step('read-back', slot);
    if (now.length !== 1 || !Buffer.from(now[0]!.der).equals(Buffer.from(der))) {
      throw new MoicaError('rewrite-failed', `Reading back ${SLOT_KEY_ID[slot]} found ${now.length} certificate(s), not the one written.`, { slot });
    }
  }

  /** Create the new object, then destroy the old: the token always holds one of the two. */
  private async replace(slot: 0 | 1, olds: CertificateObject[], der: Uint8Array): Promise<void> {
    const model = currentAndStale(olds).current;
    const label = model?.label ?? SLOT_KEY_ID[slot];
    const isPrivate = model ? readAttribute(this.m, this.open(), model.handle, this.m.lib.CKA_PRIVATE)?.[0] === 1 : false;
    await this.step('before-create', slot);
    try {
      this.create(slot, der, label, isPrivate);
    } catch (e) {
      // Never destroy-then-create to make room (CKR_DEVICE_MEMORY included): a module that then refuses the
      // create too would leave the slot empty. A refusal leaves the card as it was and says where to go.
      const refused = refusal(e, this.m);
      if (refused) throw cannotWrite(refused, 'C_CreateObject', 'unchanged', slot, e);
      throw writeFailure(this.m, e, 'creating the new certificate object (the old certificate is untouched)');
    }
    await this.step('created', slot);
    for (const old of olds) this.destroy(old.handle, 'removing the old certificate (the new one is on the card)', slot, 'both');
    await this.step('destroyed-old', slot);
  }

  private create(slot: 0 | 1, der: Uint8Array, label: string, isPrivate: boolean): void {
    const fields = rawTbsFields(der);
    this.m.api.C_CreateObject(this.open(), [
      { type: this.m.lib.CKA_CLASS, value: this.m.lib.CKO_CERTIFICATE },
      { type: this.m.lib.CKA_CERTIFICATE_TYPE, value: this.m.lib.CKC_X_509 },
      { type: this.m.lib.CKA_TOKEN, value: true },
      { type: this.m.lib.CKA_PRIVATE, value: isPrivate },
      { type: this.m.lib.CKA_ID, value: keyIdBytes(slot) },
      { type: this.m.lib.CKA_LABEL, value: label },
      { type: this.m.lib.CKA_SUBJECT, value: fields.subject },
      { type: this.m.lib.CKA_ISSUER, value: fields.issuer },
      { type: this.m.lib.CKA_SERIAL_NUMBER, value: fields.serialNumber },
      { type: this.m.lib.CKA_VALUE, value: Buffer.from(der) },
    ]);
  }

  /** `ifRefused`: what the token holds when the module refuses this destroy (it then changed nothing). */
  private destroy(object: Handle, what: string, slot: 0 | 1, ifRefused: 'unchanged' | 'both' = 'unchanged'): void {
    try {
      this.m.api.C_DestroyObject(this.open(), object);
    } catch (e) {
      const refused = refusal(e, this.m);
      if (refused) throw cannotWrite(refused, 'C_DestroyObject', ifRefused, slot, e);
      throw writeFailure(this.m, e, what);
    }
  }

  private async step(step: WriteStep, slot: 0 | 1): Promise<void> {
    await this.options.onStep?.(step, slot);
  }

  async end(): Promise<void> {
    const session = this.session;
    this.session = undefined;
    if (!session) return;
    if (this.loggedIn) {
      this.loggedIn = false;
      try { this.m.api.C_Logout(session); } catch { /* closing the session logs out anyway */ }
    }
    try { this.m.api.C_CloseSession(session); } catch { /* the token may be gone: nothing left to release */ }
  }
}

function refusal(e: unknown, m: Pkcs11Module): string | undefined {
  const code = ckrCode(m.lib, e);
  return code === undefined ? undefined : WRITE_REFUSALS[code];
}

function writeFailure(m: Pkcs11Module, e: unknown, what: string): MoicaError {
  const f = pkcs11Failure(m.lib, e, what);
  return f.code === 'pkcs11-error' ? new MoicaError('rewrite-failed', f.message, f.detail, { cause: e }) : f;
}
