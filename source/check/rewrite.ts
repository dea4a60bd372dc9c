/**
 * The rewrite, as a step machine over injected parts (registry, card writer, card reader, backup store,
 * PIN prompt), so the CLI, the TUI, the virtual card and PKCS#11 all run the very same sequence:
 *
 *   fresh-check → download → prove → pin → verify-pin → key-proof → backup → write/commit → read-back
 *   → record → done (B-2)
 *
 * Nothing is asked or written until every certificate has proven it belongs on this card; nothing is
 * written until a backup is on disk. Writes are idempotent, so a card left "inconsistent" or still "old"
 * by an interrupted run is finished by running the machine again. The backup holds the card's CDF too: it
 * is the directory's journal. A card whose directory a torn commit left unparseable (card-inconsistent,
 * directory 'unreadable') gets it back from the newest backup of its card number first (restoreDirectory).
 */
import 'reflect-metadata';
import { randomBytes } from 'node:crypto';
import type { CardInfo, CardWriter } from '../card/types.js';
import * as x509 from '@peculiar/x509';
import { MoicaError, isMoicaError, toMoicaError } from '../errors.js';
import type { OcspReport, RegistryCard } from '../registry/types.js';
import { serialsEqual } from '../domain/serial.js';
import { decodeExtras, encodeExtras, type BackupStore, type CardBackup } from './backup.js';
import { checkPinFormat, pinBlockedError } from '../card/pin.js';
import { proveCertificate, proveKeyHeld } from './proofs.js';
import { isTornDirectory } from './torn.js';
import type { RewriteProgress, RewriteStep, Verdict } from './types.js';
import { decideVerdict } from './verdict.js';

export interface RewriteRecord {
  serialNumbers: string[];
  result: 'completed' | 'failed';
  detail: string;
}

export interface RewriteRegistry {
  getCard(cardNumber: string): Promise<RegistryCard>;
  getCertificate(serialNumber: string): Promise<Uint8Array>;
  postRewrite(cardNumber: string, record: RewriteRecord): Promise<void>;
}

export interface RewriteDeps {
  registry: RewriteRegistry;
  writer: CardWriter;
  /** A fresh read of the card (the same card the writer writes to). */
  readCard(): Promise<CardInfo>;
  backupStore: BackupStore;
  /** Asked once, only after every proof passed. The machine zeroes the buffer it gets. */
  askPin(): Promise<Uint8Array>;
  /**
   * The PIN tries left, asked before the PIN prompt; never consumes a try (the writer's pinTries). 0 →
   * 'pin-blocked' with no VERIFY; 1 → confirmLastTry; null or absent → the prompt as usual.
   */
  pinTries?(): Promise<number | null>;
  /** Asked when one try is left: true spends it. Absent or false → 'pin-last-try-unconfirmed', nothing sent. */
  confirmLastTry?(): Promise<boolean>;
  /** The OCSP cross-check for the fresh verdict; without it the registry's word stands. */
  ocsp?(card: CardInfo, registry: RegistryCard): Promise<OcspReport>;
}

export interface RewriteOptions {
  onProgress?(progress: RewriteProgress): void;
  now?(): Date;
  /** The verdict the user saw; anything but B-1 stops here. */
  previousVerdict?: Verdict;
  /** The card the user checked; another card in the reader stops here. */
  expectedCardNumber?: string;
  /** The card signs a challenge the new certificate must verify. Default: on for the virtual card. */
  keyProof?: boolean;
  /** Honoured up to the first write; once writing, the machine finishes (a half-written card is worse). */
  signal?: AbortSignal;
}

export interface RewriteResult {
  result: 'completed';
  verdict: 'B-2';
  cardNumber: string;
  backup: string;
  serialNumbers: string[];
  slots: Array<0 | 1>;
  /** False when the registry did not take the record (it never fails the rewrite). */
  recorded: boolean;
  /** The fresh verdict the rewrite started from. */
  before: Verdict;
}

const NO_OCSP: OcspReport = { checked: false, certificates: [], notCheckedReason: 'disabled' };

export async function runRewrite(deps: RewriteDeps, options: RewriteOptions = {}): Promise<RewriteResult> {
  if (options.previousVerdict && options.previousVerdict.verdict !== 'B-1') throw notAllowed(options.previousVerdict);
  // The whole sequence, from the fresh read to the read-back, with the card to ourselves (writer.begin);
  // end() is idempotent: called as soon as the card work is over, and here again whatever happened.
  await deps.writer.begin?.();
  let ended = false;
  const end = async () => {
    if (ended) return;
    ended = true;
    await deps.writer.end().catch(() => {});
  };
  try {
    return await writeSequence({ ...deps, writer: withEnd(deps.writer, end) }, options);
  } finally {
    await end();
  }
}

/** The writer with end() run at most once (the machine ends it as soon as the card work is over). */
function withEnd(writer: CardWriter, end: () => Promise<void>): CardWriter {
  return new Proxy(writer, {
    get(target, prop, receiver) {
      if (prop === 'end') return end;
      const value = Reflect.get(target, prop, receiver);
      return typeof value === 'function' ? value.bind(target) : value;
    },
  });
}

async function writeSequence(deps: RewriteDeps, options: RewriteOptions): Promise<RewriteResult> {
  const emit = (step: RewriteStep, detail: Omit<RewriteProgress, 'step'> = {}) => options.onProgress?.({ step, ...detail });
  const now = options.now ?? (() => new Date());
  const { writer } = deps;
  if (options.previousVerdict && options.previousVerdict.verdict !== 'B-1') throw notAllowed(options.previousVerdict);

  emit('fresh-check');
  // Set once a PIN went to the card in this run: the writer is ended in any case, the PIN never asked twice.
  let pinSent = false;
  let pinVerified = false;
  let card: CardInfo;
  let registryCard: RegistryCard;
  let before: Verdict;
  try {
    try {
      card = await deps.readCard();
    } catch (e) {
      if (!isTornDirectory(e)) throw e;
      pinSent = true;
      await restoreDirectory(deps, e, options, emit);
      pinVerified = true;
      card = await deps.readCard();
    }
    if (options.expectedCardNumber !== undefined && card.number !== options.expectedCardNumber) {
      throw new MoicaError('rewrite-not-allowed', `The card in the reader (${card.number}) is not the card that was checked (${options.expectedCardNumber}).`);
    }
    registryCard = await deps.registry.getCard(card.number);
    const ocsp = deps.ocsp ? await deps.ocsp(card, registryCard).catch((): OcspReport => ({ ...NO_OCSP, notCheckedReason: 'unreachable' })) : NO_OCSP;
    before = decideVerdict(card, registryCard, ocsp, now(), { inconsistentAsStale: true });
    if (before.verdict !== 'B-1') throw notAllowed(before);
  } catch (e) {
    if (pinSent) await writer.end().catch(() => {});
    throw e;
  }
  const targets = before.slots.filter((s) => !s.match).map((s) => ({ slot: s.slot, serialNumber: s.registrySerial! }));
  const serialNumbers = targets.map((t) => t.serialNumber);

  // From here on every outcome is an attempt, and the registry hears about it.
  let backup: string | undefined;
  let stage: RewriteStep = 'download';
  try {
    emit('download');
    const downloads = [];
    for (const target of targets) downloads.push({ ...target, der: await deps.registry.getCertificate(target.serialNumber) });

    stage = 'prove';
    emit('prove');
    const caCertificates = card.caCertificates.map((ca) => ca.der);
    const proven = [];
    for (const d of downloads) {
      const certificate = await proveCertificate({
        ...d,
        cardPublicKey: await writer.publicKey(d.slot),
        caCertificates,
        currentCertificate: () => writer.readCertificate(d.slot),
      });
      proven.push({ ...d, certificate });
    }
    // Sizes too, for every slot together, before any PIN: nothing is written unless all of it fits.
    if (writer.checkFits) await writer.checkFits(proven.map((p) => ({ slot: p.slot, der: p.der })));
    checkCancelled(options.signal);

    stage = 'pin';
    if (!pinVerified) {
      await askAndVerifyPin(deps, emit, {
        formatOk: () => { stage = 'verify-pin'; },
        sending: () => { pinSent = true; },
      });
    }

    if (options.keyProof ?? writer.path === 'virtual-apdu') {
      stage = 'key-proof';
      emit('key-proof');
      for (const p of proven) {
        const challenge = randomBytes(32);
        await proveKeyHeld(p.slot, p.certificate, challenge, await writer.sign(p.slot, challenge));
      }
    }
    checkCancelled(options.signal);

    stage = 'backup';
    emit('backup');
    backup = await deps.backupStore.save(await collectBackup(card, registryCard, writer, now()));
    checkCancelled(options.signal);

    for (const p of proven) {
      stage = 'write';
      emit('write', { slot: p.slot, done: 0, total: p.der.length });
      // The counter rises as the writer lands the bytes (per APDU chunk, or one step for PKCS#11).
      let landed = 0;
      await writer.writeCertificate(p.slot, p.der, (done) => {
        if (done <= landed) return;
        landed = Math.min(done, p.der.length);
        emit('write', { slot: p.slot, done: landed, total: p.der.length });
      });
      emit('commit', { slot: p.slot, done: p.der.length, total: p.der.length });
    }

    stage = 'read-back';
    emit('read-back');
    for (const p of proven) {
      const written = await writer.readCertificate(p.slot);
      if (!Buffer.from(written).equals(Buffer.from(p.der))) {
        throw new MoicaError('rewrite-failed', `Certificate ${p.slot} reads back different from what was written.`, { slot: p.slot });
      }
    }
    // The writer that can, lists the card from what it read back; any other, a fresh read.
    const after = writer.readBack ? await writer.readBack() : await deps.readCard();
    const committed = proven.every((p) => after.certificates.some((c) => c.slot === p.slot && c.consistent && serialsEqual(c.serialNumber, p.serialNumber)));
    if (!after.consistent || !committed) throw new MoicaError('rewrite-failed', 'After writing, the card does not list the new certificates.');
  } catch (e) {
    const error = failure(e, stage, backup);
    await record(deps, card.number, { serialNumbers, result: 'failed', detail: `${error.code} at ${stage}: ${error.message}`.slice(0, 2000) });
    throw error;
  } finally {
    if (pinSent) await writer.end().catch(() => {});
  }

  emit('record');
  const recorded = await record(deps, card.number, { serialNumbers, result: 'completed', detail: `certificates ${targets.map((t) => t.slot).join(', ')} written and read back` });
  emit('done');
  return { result: 'completed', verdict: 'B-2', cardNumber: card.number, backup: backup!, serialNumbers, slots: targets.map((t) => t.slot), recorded, before };
}

/**
 * Before any PIN is asked: a blocked card (0 tries: 6983 or CKF_USER_PIN_LOCKED) is never sent a VERIFY
 * again, and the last try is spent only when confirmLastTry says so. Returns the count for the prompt.
 */
async function gatePin(deps: RewriteDeps): Promise<number | null> {
  const triesLeft = deps.pinTries ? await deps.pinTries() : null;
  if (triesLeft === 0) throw pinBlockedError();
  if (triesLeft === 1 && !(deps.confirmLastTry && (await deps.confirmLastTry()))) {
    throw new MoicaError('pin-last-try-unconfirmed',
      'The card has one PIN try left: the PIN was not asked or sent. Confirm spending the last try (a wrong PIN then blocks the card).', { triesLeft: 1 });
  }
  return triesLeft;
}

/**
 * The PIN step, the same for the rewrite and for putting a torn directory back: the tries gate, the
 * prompt, the format check, then VERIFY (`formatOk` once the format passed, `sending` just before the VERIFY);
 * the buffer is zeroed whatever happens.
 */
async function askAndVerifyPin(deps: RewriteDeps, emit: (step: RewriteStep, detail?: Omit<RewriteProgress, 'step'>) => void,
  hooks: { formatOk?(): void; sending?(): void } = {}): Promise<void> {
  const triesLeft = await gatePin(deps);
  emit('pin', triesLeft === null ? {} : { triesLeft });
  const pin = await deps.askPin();
  try {
    checkPinFormat(pin);
    hooks.formatOk?.();
    emit('verify-pin');
    hooks.sending?.();
    await deps.writer.verifyPin(pin);
  } finally {
    pin.fill(0);
  }
}

function notAllowed(verdict: Verdict): MoicaError {
  return new MoicaError('rewrite-not-allowed', `A rewrite needs verdict B-1; this card's verdict is ${verdict.verdict} (${verdict.status}).`, {
    verdict: verdict.verdict,
    status: verdict.status,
  });
}

function checkCancelled(signal: AbortSignal | undefined): void {
  if (signal?.aborted) throw new MoicaError('cancelled', 'The rewrite was cancelled before anything was written.');
}

/** Keeps a typed error's code, adds where it stopped and the backup to resume from. */
function failure(e: unknown, stage: RewriteStep, backup: string | undefined): MoicaError {
  const error = e instanceof MoicaError ? e : stage === 'write' || stage === 'read-back' ? new MoicaError('rewrite-failed', toMoicaError(e).message, {}, { cause: e }) : toMoicaError(e);
  if (backup === undefined) return error;
  return new MoicaError(error.code, error.message, { ...error.detail, stage, backup, resumable: true }, { cause: error });
}

/** The registry's record of the attempt: best effort, never holds up or fails the rewrite. */
async function record(deps: RewriteDeps, cardNumber: string, body: RewriteRecord): Promise<boolean> {
  if (body.serialNumbers.length === 0) return false;
  try {
    await deps.registry.postRewrite(cardNumber, body);
    return true;
  } catch {
    return false;
  }
}

async function collectBackup(card: CardInfo, registry: RegistryCard, writer: CardWriter, at: Date): Promise<CardBackup> {
  try {
    // The extras (the CDF: the journal) first: their file, then the certificates' one, which the writes use next.
    const extraBytes = await writer.backupExtras();
    const certificates = [];
    for (const held of card.certificates) {
      const der = await certificateToKeep(writer, held.slot);
      if (der !== undefined) certificates.push({ slot: held.slot, serialNumber: held.serialNumber, der: Buffer.from(der).toString('base64') });
    }
    const extras = encodeExtras(extraBytes);
    return {
      version: 1,
      cardNumber: card.number,
      createdAt: at.toISOString(),
      reader: card.reader,
      atr: card.atr,
      writer: writer.path,
      certificates,
      extras,
      registry: {
        cardNumber: registry.cardNumber,
        certificates: registry.certificates.map((c) => ({ ...c, notBefore: c.notBefore.toISOString(), notAfter: c.notAfter.toISOString() })),
      },
    };
  } catch (e) {
    const error = toMoicaError(e);
    throw new MoicaError('backup-failed', `Could not read the card's certificates for the backup: ${error.message}`, { cause: error.code }, { cause: e });
  }
}

/**
 * A slot's certificate for the backup, or nothing when its area holds no certificate: the remains of a
 * torn write, whose certificate the backup of the interrupted run keeps (backups are never overwritten).
 */
async function certificateToKeep(writer: CardWriter, slot: 0 | 1): Promise<Uint8Array | undefined> {
  let der: Uint8Array;
  try {
    der = await writer.readCertificate(slot);
  } catch (e) {
    if (isMoicaError(e, 'card-answer-invalid')) return undefined;
    throw e;
  }
  try {
    new x509.X509Certificate(Uint8Array.from(der));
    return der;
  } catch {
    return undefined;
  }
}

/**
 * A card whose directory does not parse: a commit torn across two writes. The backup is its journal:
 * the newest backup of this card number holds the directory as it was before that rewrite wrote anything.
 * The PIN is asked here, before the proofs, because these are not certificates from the registry: the
 * bytes put back are bytes this tool read from this very card. The proofs still come before any
 * certificate is written.
 */
async function restoreDirectory(deps: RewriteDeps, error: MoicaError, options: RewriteOptions, emit: (step: RewriteStep, detail?: Omit<RewriteProgress, 'step'>) => void): Promise<void> {
  const cardNumber = typeof error.detail.cardNumber === 'string' ? error.detail.cardNumber : '';
  if (options.expectedCardNumber !== undefined && cardNumber !== options.expectedCardNumber) {
    throw new MoicaError('rewrite-not-allowed', `The card in the reader (${cardNumber}) is not the card that was checked (${options.expectedCardNumber}).`);
  }
  if (deps.writer.restoreExtras === undefined) throw error; // this write path keeps no directory of ours
  const found = cardNumber === '' ? undefined : await deps.backupStore.latest(cardNumber);
  if (found === undefined) {
    throw new MoicaError('card-inconsistent', `${error.message} No backup of this card holds its directory.`, error.detail, { cause: error });
  }
  await askAndVerifyPin(deps, emit);
  await deps.writer.restoreExtras(decodeExtras(found.backup));
}
