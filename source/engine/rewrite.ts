/**
 * The rewrite for a card reached through CardAccess: the step machine of check/rewrite.ts, wired up. A
 * card whose directory is torn (access.directory 'torn') takes the very same path: the machine's fresh
 * read finds the directory unparseable and puts it back from the newest backup of the card number first.
 */
import { runRewrite, type RewriteResult } from '../check/rewrite.js';
import { defaultBackupDir, fileBackupStore } from './backup-store.js';
import type { RewriteProgress, Verdict } from '../check/types.js';
import { MoicaError } from '../errors.js';
import type { CardAccess } from './card-access.js';
import { ocspFor, type Network } from './check.js';
import { lockCard } from '../card/card-lock.js';

export interface RewriteRequest {
  askPin(): Promise<Uint8Array>;
  /**
   * Asked when the card has one PIN try left, before the PIN: true spends it. Absent → the rewrite stops
   * with 'pin-last-try-unconfirmed' and sends nothing (headless: --last-try or a TTY question; TUI: a key).
   */
  confirmLastTry?(): Promise<boolean>;
  onProgress?(progress: RewriteProgress): void;
  backupDir?: string;
  /** Where the per-card lock files go (default: defaultLockDir(), in the XDG runtime or state dir). */
  lockDir?: string;
  previousVerdict?: Verdict;
  signal?: AbortSignal;
  now?(): Date;
}

export async function rewriteCard(access: CardAccess, net: Network, request: RewriteRequest): Promise<RewriteResult> {
  // One moica-check at a time writes a card: the second is refused (card-busy) with who holds it.
  const lock = await lockCard(access.info.number, { dir: request.lockDir, reader: access.reader });
  try {
    return await rewriteLocked(access, net, request);
  } finally {
    await lock.release();
  }
}

async function rewriteLocked(access: CardAccess, net: Network, request: RewriteRequest): Promise<RewriteResult> {
  if (net.registry === null) throw needsCertificates();
  const registry = net.registry;
  const writer = await access.writer();
  const now = request.now ?? (() => new Date());
  return runRewrite(
    {
      registry,
      writer,
      // The proofs need the CA certificates, which a plain read leaves out (they cost ~16 APDUs).
      readCard: async () => {
        const info = await access.reread();
        if (info.caCertificates.length > 0) return info;
        const issuer = await access.issuerDer();
        return { ...info, caCertificates: issuer ? [{ subject: info.certificates[0]?.issuer ?? '', serialNumber: '', der: issuer }] : [] };
      },
      backupStore: fileBackupStore(request.backupDir ?? defaultBackupDir()),
      askPin: request.askPin,
      ...(writer.pinTries ? { pinTries: () => writer.pinTries!() } : {}),
      ...(request.confirmLastTry ? { confirmLastTry: request.confirmLastTry } : {}),
      ocsp: (_card, registry) => ocspFor(access, net, registry.certificates.map((c) => c.serialNumber), now()),
    },
    {
      onProgress: request.onProgress,
      previousVerdict: request.previousVerdict,
      expectedCardNumber: access.info.number,
      signal: request.signal,
      now,
    },
  );
}

/** A rewrite with no registry and no certificates given: nothing to write. */
export function needsCertificates(): MoicaError {
  return new MoicaError('usage',
    'No registry is configured, so the new certificates must be given: rewrite --certificate FILE (DER or PEM, once per slot) or rewrite --serial HEX (downloaded from the issuer).');
}
