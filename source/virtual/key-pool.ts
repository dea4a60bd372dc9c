/**
 * RSA-2048 key pairs for the test PKI and the virtual card. Generating one takes 0.2-0.5 s, so each
 * process keeps a small pool, addressed by index: the same index gives the same key pair, which is
 * also how a renewal reuses the card's keys. With MOICA_VIRTUAL_KEY_CACHE=DIR the pool is also kept
 * on disk, so that many short processes (test files, demos) share the keys.
 */
import { createPrivateKey, createPublicKey, webcrypto, type KeyObject } from 'node:crypto';
import { mkdirSync, readFileSync, renameSync, writeFileSync } from 'node:fs';
import { join } from 'node:path';
import { toPem } from './pem.js';

export interface KeyPairMaterial {
  publicKey: CryptoKey;
  privateKey: CryptoKey;
  /** SubjectPublicKeyInfo DER. */
  spki: Uint8Array;
  /** PKCS#8 DER of the private key. */
  pkcs8: Uint8Array;
  pkcs8Pem: string;
  /** The same private key for node:crypto's raw RSA operation. */
  keyObject: KeyObject;
}

export const RSA_KEY_ALGORITHM = {
  name: 'RSASSA-PKCS1-v1_5',
  hash: 'SHA-256',
  publicExponent: new Uint8Array([1, 0, 1]),
  modulusLength: 2048,
} as const;

const pool = new Map<number, Promise<KeyPairMaterial>>();

async function generatePkcs8(): Promise<Uint8Array> {
  const pair = await webcrypto.subtle.generateKey(RSA_KEY_ALGORITHM, true, ['sign', 'verify']);
  return new Uint8Array(await webcrypto.subtle.exportKey('pkcs8', pair.privateKey));
}

/** The cached PKCS#8 of a pool slot, or a new one (written atomically when a cache dir is set). */
async function pkcs8For(index: number): Promise<Uint8Array> {
  const dir = process.env['MOICA_VIRTUAL_KEY_CACHE'];
  if (!dir) return generatePkcs8();
  const file = join(dir, `rsa2048-${index}.p8`);
  try {
    return new Uint8Array(readFileSync(file));
  } catch {
    const pkcs8 = await generatePkcs8();
    mkdirSync(dir, { recursive: true });
    const temp = `${file}.${process.pid}.tmp`;
    writeFileSync(temp, pkcs8, { mode: 0o600 });
    renameSync(temp, file);
    return new Uint8Array(readFileSync(file)); // another process may have won the race: use the file's
  }
}

/**
 * A key without its WebCrypto halves: all a card image, a cached certificate and the card's own RSA
 * operation need. Importing the two CryptoKeys costs ≈ 2 ms of the main thread per key, so a demo start
 * whose certificates are cached imports none for the card's keys (issue 15); withCryptoKeys adds them.
 */
export type KeyMaterial = Omit<KeyPairMaterial, 'publicKey' | 'privateKey'>;

/**
 * The key's material; its KeyObject and SubjectPublicKeyInfo are made on first use (≈ 0.7 ms of the main
 * thread per key: a demo start whose certificates and card image are cached needs neither; issue 15).
 */
function materialOf(pkcs8: Uint8Array): KeyMaterial {
  let keyObject: KeyObject | undefined;
  let spki: Uint8Array | undefined;
  const privateKey = () => (keyObject ??= createPrivateKey({ key: Buffer.from(pkcs8), format: 'der', type: 'pkcs8' }));
  return {
    pkcs8,
    pkcs8Pem: toPem(pkcs8, 'PRIVATE KEY'),
    get keyObject() {
      return privateKey();
    },
    get spki() {
      return (spki ??= new Uint8Array(createPublicKey(privateKey()).export({ format: 'der', type: 'spki' })));
    },
  };
}

const withKeys = new WeakMap<KeyMaterial, Promise<KeyPairMaterial>>();

/** The key with its CryptoKeys (imported once per key). */
export function withCryptoKeys(material: KeyMaterial): Promise<KeyPairMaterial> {
  if ('publicKey' in material && 'privateKey' in material) return Promise.resolve(material as KeyPairMaterial);
  let entry = withKeys.get(material);
  if (!entry) {
    entry = (async () => {
      const [privateKey, publicKey] = await Promise.all([
        webcrypto.subtle.importKey('pkcs8', material.pkcs8, RSA_KEY_ALGORITHM, true, ['sign']),
        webcrypto.subtle.importKey('spki', material.spki, RSA_KEY_ALGORITHM, true, ['verify']),
      ]);
      return { ...material, publicKey, privateKey };
    })();
    withKeys.set(material, entry);
  }
  return entry;
}

/** A key pair from its PKCS#8 DER (the public half is derived). */
export async function importKeyPair(pkcs8: Uint8Array): Promise<KeyPairMaterial> {
  return withCryptoKeys(materialOf(pkcs8));
}

const materials = new Map<number, Promise<KeyMaterial>>();

/** What `map` holds for `index`, made once. */
function once<T>(map: Map<number, Promise<T>>, index: number, make: () => Promise<T>): Promise<T> {
  let entry = map.get(index);
  if (!entry) {
    entry = make();
    map.set(index, entry);
  }
  return entry;
}

/** The pool's key at `index`, without its CryptoKeys. */
export function pooledKeyMaterial(index: number): Promise<KeyMaterial> {
  return once(materials, index, () => pkcs8For(index).then(materialOf));
}

export function pooledKeyPair(index: number): Promise<KeyPairMaterial> {
  return once(pool, index, () => pooledKeyMaterial(index).then(withCryptoKeys));
}
