/**
 * Fakes for the rewrite machine: a card model (certificate bodies + directory serials + keys) with a
 * CardWriter over it, a registry, a backup store, all logging into one shared event list so that tests
 * can assert what happened and in which order. Certificates come from the project's test PKI.
 */
import { webcrypto } from 'node:crypto';
import * as x509 from '@peculiar/x509';
import type { CardInfo, CardWriter } from '../../source/card/types.js';
import { createTestPki, type TestPki } from '../../source/virtual/pki.js';
import { pooledKeyPair, type KeyPairMaterial } from '../../source/virtual/key-pool.js';
import type { BackupStore, CardBackup } from '../../source/check/backup.js';
import type { RewriteDeps, RewriteRecord, RewriteRegistry } from '../../source/check/rewrite.js';
import { MoicaError } from '../../source/errors.js';
import { card as cardInfo, holder, NOT_AFTER, NOT_BEFORE, OLD0, OLD1, registry, SERIAL0, SERIAL1 } from './fixtures.js';

export interface Pki {
  pki: TestPki;
  keys: [KeyPairMaterial, KeyPairMaterial];
  otherKey: KeyPairMaterial;
  /** Old (on the card) and new (issued) certificates, same keys: a renewal. */
  old: [Uint8Array, Uint8Array];
  issued: [Uint8Array, Uint8Array];
  /** Certificate 0 with the right serial but: another key / another issuer name / the same name, another CA. */
  otherKey0: Uint8Array;
  otherIssuerName0: Uint8Array;
  otherCa0: Uint8Array;
  wrongSerial0: Uint8Array;
}

let shared: Promise<Pki> | undefined;
export function makePki(): Promise<Pki> {
  shared ??= build();
  return shared;
}

async function build(): Promise<Pki> {
  const pki = await createTestPki({ rootKeyIndex: 0, issuingKeyIndex: 1 });
  // The rogue CA's key doubles as "another key": one RSA key generated fewer per test process.
  const rogue = await createTestPki({ rootKeyIndex: 0, issuingKeyIndex: 4 });
  const keys = [await pooledKeyPair(2), await pooledKeyPair(3)] as [KeyPairMaterial, KeyPairMaterial];
  const otherKey = await pooledKeyPair(4);
  const issue = async (p: TestPki, serialNumber: string, slot: 0 | 1, key: KeyPairMaterial) =>
    (await p.issueHolder({ serialNumber, holderName: '王小明', usage: slot === 0 ? 'signature' : 'encryption', notBefore: NOT_BEFORE, notAfter: NOT_AFTER, key })).der;
  x509.cryptoProvider.set(webcrypto as unknown as Crypto);
  const otherIssuerName0 = new Uint8Array((await x509.X509CertificateGenerator.create({
    serialNumber: SERIAL0, subject: 'C=TW, CN=王小明', issuer: 'C=TW, O=Someone Else CA',
    notBefore: NOT_BEFORE, notAfter: NOT_AFTER, signingAlgorithm: { name: 'RSASSA-PKCS1-v1_5', hash: 'SHA-256' },
    publicKey: keys[0].publicKey, signingKey: otherKey.privateKey,
  })).rawData);
  return {
    pki, keys, otherKey,
    old: [await issue(pki, OLD0, 0, keys[0]), await issue(pki, OLD1, 1, keys[1])],
    issued: [await issue(pki, SERIAL0, 0, keys[0]), await issue(pki, SERIAL1, 1, keys[1])],
    otherKey0: await issue(pki, SERIAL0, 0, otherKey),
    otherIssuerName0,
    otherCa0: await issue(rogue, SERIAL0, 0, keys[0]),
    wrongSerial0: await issue(pki, 'ABCDEF', 0, keys[0]),
  };
}

export type Fault = { at: 'body' | 'commit'; slot: 0 | 1 } | { at: 'read-back'; slot: 0 | 1 } | { at: 'extras' };

/** The card: each slot has a body and a directory serial; an interrupted write leaves them apart. */
export class FakeCard implements CardWriter {
  readonly path: 'virtual-apdu' | 'pkcs11';
  bodies: [Uint8Array, Uint8Array];
  directory: [string, string];
  pin = '123456';
  triesLeft = 3;
  verified = false;
  faults: Fault[] = [];
  /** Signs with this key instead of the slot's (a card that does not hold the key). */
  signWith?: KeyPairMaterial;
  /** Every buffer verifyPin was given (to check it is zeroed afterwards). */
  pinBuffers: Uint8Array[] = [];
  caDers: Uint8Array[];
  /** Slots written in this session: a read-back fault or corruption only hits those. */
  written = new Set<0 | 1>();
  /** Reads of this slot return one flipped byte once it was written (a write the card did not keep). */
  corruptAfterWrite?: 0 | 1;
  /** A commit torn across two writes: the directory does not parse until restoreExtras puts it back. */
  tornDirectory = false;

  constructor(readonly material: Pki, readonly log: string[], opts: { path?: 'virtual-apdu' | 'pkcs11'; withCa?: boolean } = {}) {
    this.path = opts.path ?? 'virtual-apdu';
    this.bodies = [material.old[0], material.old[1]];
    this.directory = [OLD0, OLD1];
    this.caDers = opts.withCa === false ? [] : [material.pki.root.certificate.der, material.pki.issuing.certificate.der];
  }

  private fault(at: Fault['at'], slot?: 0 | 1): void {
    const i = this.faults.findIndex((f) => f.at === at && (!('slot' in f) || f.slot === slot));
    if (i >= 0) {
      this.faults.splice(i, 1);
      throw new MoicaError('card-removed', `the card went away (${at})`);
    }
  }

  bodySerial(slot: 0 | 1): string {
    return new x509.X509Certificate(Uint8Array.from(this.bodies[slot])).serialNumber.replace(/^0+/, '').toUpperCase();
  }

  info(): CardInfo {
    if (this.tornDirectory) {
      throw new MoicaError('card-inconsistent', 'The certificate directory does not parse.', { directory: 'unreadable', cardNumber: 'TP03130708163649' });
    }
    const certificates = ([0, 1] as const).map((slot) => holder(slot, this.directory[slot], { consistent: this.bodySerial(slot) === this.directory[slot] }));
    return cardInfo(undefined, {
      certificates,
      consistent: certificates.every((c) => c.consistent),
      caCertificates: this.caDers.map((der, i) => ({ subject: `CA ${i}`, serialNumber: String(i + 1), der })),
    });
  }

  async publicKey(slot: 0 | 1) {
    this.log.push(`publicKey:${slot}`);
    return this.material.keys[slot].spki;
  }
  async verifyPin(pin: Uint8Array) {
    this.log.push('verifyPin');
    this.pinBuffers.push(pin);
    if (this.triesLeft === 0) throw new MoicaError('pin-blocked', 'The PIN is blocked.');
    if (Buffer.from(pin).toString('ascii') !== this.pin) {
      this.triesLeft--;
      if (this.triesLeft === 0) throw new MoicaError('pin-blocked', 'The PIN is blocked.');
      throw new MoicaError('pin-wrong', 'Wrong PIN.', { triesLeft: this.triesLeft });
    }
    this.verified = true;
  }
  async sign(slot: 0 | 1, message: Uint8Array) {
    this.log.push(`sign:${slot}`);
    if (!this.verified) throw new MoicaError('card-error', 'security status not satisfied');
    const key = (this.signWith ?? this.material.keys[slot]).privateKey;
    return new Uint8Array(await webcrypto.subtle.sign('RSASSA-PKCS1-v1_5', key, Uint8Array.from(message)));
  }
  async readCertificate(slot: 0 | 1) {
    this.log.push(`readCertificate:${slot}`);
    if (!this.written.has(slot)) return Uint8Array.from(this.bodies[slot]);
    this.fault('read-back', slot);
    const der = Uint8Array.from(this.bodies[slot]);
    if (this.corruptAfterWrite === slot) der[der.length - 1]! ^= 0xff;
    return der;
  }
  async backupExtras() {
    this.fault('extras');
    return { cdf: new TextEncoder().encode(this.directory.join(',')) };
  }
  async restoreExtras(extras: Record<string, Uint8Array>) {
    if (!this.verified) throw new MoicaError('card-error', 'security status not satisfied');
    this.log.push(`restoreExtras:${Object.keys(extras).join(',')}`);
    const serials = new TextDecoder().decode(extras.cdf).split(',');
    this.directory = [serials[0]!, serials[1]!];
    this.tornDirectory = false;
  }
  async writeCertificate(slot: 0 | 1, der: Uint8Array) {
    if (!this.verified) throw new MoicaError('card-error', 'security status not satisfied');
    this.log.push(`write-body:${slot}`);
    this.fault('body', slot);
    this.bodies[slot] = Uint8Array.from(der);
    this.fault('commit', slot);
    this.directory[slot] = this.bodySerial(slot);
    this.written.add(slot);
    this.log.push(`commit:${slot}`);
  }
  async end() {
    this.log.push('end');
    this.verified = false;
  }
}

export class FakeRegistry implements RewriteRegistry {
  certificates = new Map<string, Uint8Array>();
  records: RewriteRecord[] = [];
  postFails = false;
  answer = registry();
  constructor(material: Pki, readonly log: string[]) {
    this.certificates.set(SERIAL0, material.issued[0]);
    this.certificates.set(SERIAL1, material.issued[1]);
  }
  async getCard() {
    this.log.push('getCard');
    return this.answer;
  }
  async getCertificate(serialNumber: string) {
    this.log.push(`getCertificate:${serialNumber}`);
    const der = this.certificates.get(serialNumber);
    if (!der) throw new MoicaError('registry-http', 'not found');
    return der;
  }
  async postRewrite(_cardNumber: string, body: RewriteRecord) {
    this.log.push(`post:${body.result}`);
    if (this.postFails) throw new MoicaError('registry-unreachable', 'connection refused');
    this.records.push(body);
  }
}

export class MemoryBackups implements BackupStore {
  saved: CardBackup[] = [];
  fails = false;
  constructor(readonly log: string[]) {}
  async save(backup: CardBackup) {
    this.log.push('backup');
    if (this.fails) throw new MoicaError('backup-failed', 'disk full');
    this.saved.push(backup);
    return `memory:${this.saved.length}`;
  }
  async load(location: string) {
    const backup = this.saved[Number(location.split(':')[1]) - 1];
    if (!backup) throw new MoicaError('usage', 'no such backup');
    return backup;
  }
  async latest(cardNumber: string) {
    for (let i = this.saved.length - 1; i >= 0; i--) {
      if (this.saved[i]!.cardNumber === cardNumber) return { location: `memory:${i + 1}`, backup: this.saved[i]! };
    }
    return undefined;
  }
}

export interface Rig {
  log: string[];
  card: FakeCard;
  registry: FakeRegistry;
  backups: MemoryBackups;
  pinsAsked: number;
  pinGiven: Uint8Array[];
  deps(pin?: string): RewriteDeps;
}

export async function rig(opts: { path?: 'virtual-apdu' | 'pkcs11'; withCa?: boolean } = {}): Promise<Rig> {
  const material = await makePki();
  const log: string[] = [];
  const r: Rig = {
    log,
    card: new FakeCard(material, log, opts),
    registry: new FakeRegistry(material, log),
    backups: new MemoryBackups(log),
    pinsAsked: 0,
    pinGiven: [],
    deps(pin = '123456') {
      return {
        registry: r.registry,
        writer: r.card,
        backupStore: r.backups,
        readCard: async () => {
          log.push('readCard');
          return r.card.info();
        },
        askPin: async () => {
          log.push('askPin');
          r.pinsAsked++;
          const buffer = new TextEncoder().encode(pin);
          r.pinGiven.push(buffer);
          return buffer;
        },
      };
    },
  };
  return r;
}
