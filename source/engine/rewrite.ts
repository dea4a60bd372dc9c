/** The rewrite for a card reached through CardAccess: the step machine of check/rewrite.ts, wired up. */
import { runRewrite, type RewriteResult } from '../check/rewrite.js';
import { defaultBackupDir, fileBackupStore } from './backup-store.js';
import type { RewriteProgress, Verdict } from '../check/types.js';
import { pickReader, requireService, type CardSource, type OpenOptions } from '../card/open.js';
import { openSource } from './card-source.js';
import { MoicaCard } from '../card/moica.js';
import type { CardInfo } from '../card/types.js';
import { MoicaError, isMoicaError } from '../errors.js';
import { trustOf, type CardAccess } from './card-access.js';
import type { CardTrust } from '../registry/issuer.js';
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

/** The error openCardAccess throws for a card whose certificate directory a torn commit left unparseable. */
export function isTornDirectory(e: unknown): e is MoicaError {
  return isMoicaError(e, 'card-inconsistent') && e.detail.directory === 'unreadable' && typeof e.detail.cardNumber === 'string';
}

/**
 * A card whose directory does not parse (`torn`: what openCardAccess threw) reaches no ordinary
 * CardAccess, so this one opens it directly: its info is the card number until a read succeeds. The step
 * machine then puts the directory back from the newest backup of this card number (its journal), reads
 * the card again and resumes as usual. Only the virtual card: on a real card only the issuer's PKCS#11
 * module writes, and it keeps its own directory.
 */
export async function openTornAccess(options: OpenOptions, given: CardSource | undefined, torn: MoicaError): Promise<CardAccess> {
  const source = given ?? (await openSource(options));
  const closeSource = async () => {
    if (given === undefined) await source.close().catch(() => undefined);
  };
  try {
    requireService(source.transport);
    const reader = pickReader(source.transport.readers(), options.reader).name;
    const channel = await source.transport.connect(reader);
    try {
      const card = await MoicaCard.open(channel);
      if (!card.virtual) throw torn;
      return tornAccess(card, reader, String(torn.detail.cardNumber), async () => {
        await channel.close().catch(() => undefined);
        await closeSource();
      });
    } catch (e) {
      await channel.close().catch(() => undefined);
      throw e;
    }
  } catch (e) {
    await closeSource();
    throw e;
  }
}

/** `rewrite` on a card whose directory does not parse (see openTornAccess). */
export async function rewriteTornCard(options: OpenOptions, given: CardSource | undefined, net: Network, request: RewriteRequest, torn: MoicaError): Promise<RewriteResult> {
  const access = await openTornAccess(options, given, torn);
  try {
    return await rewriteCard(access, net, request);
  } finally {
    await access.close();
  }
}

/** A CardAccess over a card that does not read yet: its info is the card number until a read succeeds. */
function tornAccess(card: MoicaCard, reader: string, cardNumber: string, close: () => Promise<void>): CardAccess {
  let info: CardInfo = {
    reader, atr: card.channel.atr, generation: card.generation, virtual: card.virtual,
    number: cardNumber, certificates: [], caCertificates: [], consistent: false,
  };
  let trusted: Promise<CardTrust> | undefined;
  const trust = () => {
    trusted ??= card.caCertificates().then((cas) => trustOf(cas));
    // Not while the directory is torn: asked again once the rewrite has put it back.
    trusted.catch(() => { trusted = undefined; });
    return trusted;
  };
  return {
    reader,
    get info() {
      return info;
    },
    issuerDer: () => trust().then((t) => t.caDer ?? undefined),
    trust,
    writePath: () => ({ path: 'virtual-apdu', detail: 'virtual card: plaintext VERIFY / UPDATE BINARY' }),
    async writer() {
      const { VirtualCardWriter } = await import('../card/virtual-writer.js');
      return new VirtualCardWriter(card);
    },
    async reread() {
      info = await card.read();
      return info;
    },
    close,
  };
}
