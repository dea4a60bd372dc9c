/**
 * SoftHSM2 tokens made at test time, standing in for a MOICA card behind the issuer's module: a test CA,
 * RSA key pairs with CKA_ID SIGN and KEYX generated on the token, and an old certificate for each.
 * Every token lives in its own temp dir (never the system token dir) and is removed by cleanup().
 */
import { execFileSync } from 'node:child_process';
import { webcrypto } from 'node:crypto';
import { cpSync, mkdirSync, mkdtempSync, readFileSync, rmSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import 'reflect-metadata';
import { BasicConstraintsExtension, X509Certificate, X509CertificateGenerator } from '@peculiar/x509';
import type { RegistryCard } from '../../../source/registry/types.js';

export const SOFTHSM_MODULE = '/usr/lib/softhsm/libsofthsm2.so';
export const USER_PIN = '123456';
const SO_PIN = '87654321';
export const CARD_NUMBER = 'TP03130708163649';
const RSA = { name: 'RSASSA-PKCS1-v1_5', hash: 'SHA-256', publicExponent: new Uint8Array([1, 0, 1]), modulusLength: 2048 };

export interface TestCa {
  cert: X509Certificate;
  keys: CryptoKeyPair;
}

export interface TokenDir {
  dir: string;
  /** SOFTHSM2_CONF for this token dir. */
  conf: string;
  cleanup(): void;
}

export interface TemplateToken extends TokenDir {
  label: string;
  ca: TestCa;
  /** SPKI DER of the token's key pairs. */
  spki: { SIGN: Uint8Array; KEYX: Uint8Array };
  oldCerts: { SIGN: X509Certificate; KEYX: X509Certificate };
}

export function makeTokenDir(): TokenDir {
  const dir = mkdtempSync(join(tmpdir(), 'moica-softhsm-'));
  mkdirSync(join(dir, 'tokens'));
  const conf = join(dir, 'softhsm2.conf');
  writeFileSync(conf, `directories.tokendir = ${join(dir, 'tokens')}\nobjectstore.backend = file\nlog.level = ERROR\n`);
  return { dir, conf, cleanup: () => rmSync(dir, { recursive: true, force: true }) };
}

export function softhsmUtil(conf: string, args: string[]): string {
  return execFileSync('softhsm2-util', args, { env: { ...process.env, SOFTHSM2_CONF: conf }, encoding: 'utf8' });
}

export function pkcs11Tool(conf: string, args: string[]): string {
  return execFileSync('pkcs11-tool', ['--module', SOFTHSM_MODULE, ...args],
    { env: { ...process.env, SOFTHSM2_CONF: conf }, encoding: 'utf8', stdio: ['ignore', 'pipe', 'pipe'] });
}

export function initToken(conf: string, label: string): void {
  softhsmUtil(conf, ['--init-token', '--free', '--label', label, '--so-pin', SO_PIN, '--pin', USER_PIN]);
}

export async function makeCa(): Promise<TestCa> {
  const keys = await webcrypto.subtle.generateKey(RSA, true, ['sign', 'verify']) as CryptoKeyPair;
  const cert = await X509CertificateGenerator.createSelfSigned({
    serialNumber: '01', name: 'C=TW, O=行政院, OU=測試內政部憑證管理中心', keys,
    notBefore: new Date('2020-01-01T00:00:00Z'), notAfter: new Date('2040-01-01T00:00:00Z'),
    extensions: [new BasicConstraintsExtension(true, 0, true)],
  });
  return { cert, keys };
}

export async function issue(ca: TestCa, spki: Uint8Array, o: { serialNumber: string; notBefore: Date; notAfter: Date; usage: string }): Promise<X509Certificate> {
  return X509CertificateGenerator.create({
    serialNumber: o.serialNumber, subject: `C=TW, CN=測試持卡人, 2.5.4.5=${CARD_NUMBER.slice(-4)}${o.usage}`,
    issuer: ca.cert.subject, notBefore: o.notBefore, notAfter: o.notAfter,
    publicKey: Uint8Array.from(spki), signingKey: ca.keys.privateKey,
  });
}

/** Writes a certificate object the way a card's personalisation would, through pkcs11-tool. */
export function writeCertObject(conf: string, label: string, der: Uint8Array, idHex: string, objectLabel: string): void {
  const file = join(mkdtempSync(join(tmpdir(), 'moica-cert-')), 'c.der');
  writeFileSync(file, der);
  try {
    pkcs11Tool(conf, ['--token-label', label, '--login', '--pin', USER_PIN, '--write-object', file, '--type', 'cert',
      '--id', idHex, '--label', objectLabel]);
  } finally {
    rmSync(join(file, '..'), { recursive: true, force: true });
  }
}

export const ID_HEX = { SIGN: '5349474e', KEYX: '4b455958' } as const;

function keyPair(conf: string, label: string, which: 'SIGN' | 'KEYX'): Uint8Array {
  pkcs11Tool(conf, ['--token-label', label, '--login', '--pin', USER_PIN, '--keypairgen', '--key-type', 'rsa:2048',
    '--id', ID_HEX[which], '--label', which]);
  const file = join(mkdtempSync(join(tmpdir(), 'moica-pub-')), 'pub.der');
  try {
    pkcs11Tool(conf, ['--token-label', label, '--read-object', '--type', 'pubkey', '--id', ID_HEX[which], '-o', file]);
    return new Uint8Array(readFileSync(file));
  } finally {
    rmSync(join(file, '..'), { recursive: true, force: true });
  }
}

/** One token per test file; tests work on copies (copyToken), which are cheap. */
export async function makeTemplateToken(label = CARD_NUMBER): Promise<TemplateToken> {
  const dir = makeTokenDir();
  try {
    return await fillTemplate(dir, label);
  } catch (e) {
    dir.cleanup();
    throw e;
  }
}

async function fillTemplate(dir: TokenDir, label: string): Promise<TemplateToken> {
  initToken(dir.conf, label);
  const ca = await makeCa();
  const spki = { SIGN: keyPair(dir.conf, label, 'SIGN'), KEYX: keyPair(dir.conf, label, 'KEYX') };
  const validity = { notBefore: new Date('2023-03-01T00:00:00Z'), notAfter: new Date('2031-03-01T00:00:00Z') };
  const oldCerts = {
    SIGN: await issue(ca, spki.SIGN, { serialNumber: '3b7161c40f46488916a', ...validity, usage: 'S' }),
    KEYX: await issue(ca, spki.KEYX, { serialNumber: '00a0b1c2d3e4f5061728', ...validity, usage: 'E' }),
  };
  writeCertObject(dir.conf, label, new Uint8Array(oldCerts.SIGN.rawData), ID_HEX.SIGN, 'SIGN');
  writeCertObject(dir.conf, label, new Uint8Array(oldCerts.KEYX.rawData), ID_HEX.KEYX, 'KEYX');
  writeCertObject(dir.conf, label, new Uint8Array(ca.cert.rawData), '4341', 'MOICA test CA');
  return { ...dir, label, ca, spki, oldCerts };
}

export function copyToken(template: TokenDir): TokenDir {
  const copy = makeTokenDir();
  cpSync(join(template.dir, 'tokens'), join(copy.dir, 'tokens'), { recursive: true });
  return copy;
}

export interface ListedCertificate {
  label: string;
  serial: string;
  id: string;
}

/** The certificate objects as `pkcs11-tool --list-objects` shows them (an outside view of the token). */
export function listCertificates(conf: string, label: string): ListedCertificate[] {
  const out = pkcs11Tool(conf, ['--token-label', label, '--list-objects', '--type', 'cert']);
  return out.split(/^(?=\S)/m).filter((block) => block.startsWith('Certificate Object')).map((block) => ({
    label: /^\s+label:\s+(.*)$/m.exec(block)?.[1]?.trim() ?? '',
    serial: /^\s+serial:\s+(\S+)$/m.exec(block)?.[1]?.replace(/^0+/, '').toUpperCase() ?? '',
    id: /^\s+ID:\s+(\S+)$/m.exec(block)?.[1]?.toLowerCase() ?? '',
  }));
}

/**
 * The renewal the rewrite tests write to a template token: a new SIGN certificate (serial 4C0FFEE0…, for
 * the token's own SIGN key) and the registry's record of the card that lists it (KEYX as the token has it).
 */
export interface Renewal {
  fresh: X509Certificate;
  registryCard: RegistryCard;
}

export async function renewalFor(template: TemplateToken): Promise<Renewal> {
  const validity = { notBefore: new Date('2024-06-01T00:00:00Z'), notAfter: new Date('2032-06-01T00:00:00Z') };
  const fresh = await issue(template.ca, template.spki.SIGN, { serialNumber: '4c0ffee0123456789a', ...validity, usage: 'S' });
  const registryCard: RegistryCard = {
    cardNumber: CARD_NUMBER,
    certificates: [
      { slot: 0, usage: 'signature', serialNumber: '4C0FFEE0123456789A', status: 'valid', ...validity, renewedFrom: '3B7161C40F46488916A' },
      { slot: 1, usage: 'encryption', serialNumber: 'A0B1C2D3E4F5061728', status: 'valid',
        notBefore: template.oldCerts.KEYX.notBefore, notAfter: template.oldCerts.KEYX.notAfter, renewedFrom: null },
    ],
  };
  return { fresh, registryCard };
}
