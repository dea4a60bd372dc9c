/**
 * One card, however it is reached: over PC/SC (a real card, or the virtual card through pcscd), the demo's
 * in-process reader, or a PKCS#11 token standing in for the card. Check, rewrite, doctor and the TUI all
 * go through this, so the choice of write path is made in exactly one place:
 *   - the virtual card (its own ATR) → plaintext APDUs (VirtualCardWriter);
 *   - any other card → the issuer's PKCS#11 module, never raw APDUs;
 *   - no module configured → rewrite is unavailable, with how to install it.
 * (writePathFor: the one place; the writer follows the path it chose.)
 *
 * A card whose certificate directory does not parse (a commit torn by a pull in the middle of a rewrite)
 * is a state of the access, `directory: 'torn'`, when the caller asks for it (`acceptTorn`: the rewrite
 * and the TUI, which offer the rewrite that puts the directory back from the newest backup, its journal);
 * for every other caller it is the card-inconsistent error the card read gave.
 */
import { MoicaError, isMoicaError } from '../errors.js';
import { busyError, holderOnReader } from '../card/card-lock.js';
import { withReadHold } from '../card/hold.js';
import type { Options } from '../options.js';
import { openCard, pickReader, requireService, type CardSource, type Learned, type OpenedCard } from '../card/open.js';
import { openSource } from './card-source.js';
import { cardConfig } from './card-config.js';
import { MoicaCard } from '../card/moica.js';
import type { CardInfo, CardWriter } from '../card/types.js';
import type { Pkcs11Card, Pkcs11Writer } from '../card/pkcs11/index.js';
import { ChannelGate } from '../card/gate.js';
import { isTornDirectory } from '../check/torn.js';
import type { CardTrust } from '../registry/issuer.js';

export type WritePath =
  | { path: 'virtual-apdu' | 'pkcs11'; detail: string }
  | { path: 'unavailable'; code: 'pkcs11-unavailable'; detail: string };

export interface CardAccess {
  readonly reader: string;
  /** While the directory is torn: the card number only (no certificates, not consistent) until a read succeeds. */
  readonly info: CardInfo;
  /**
   * 'torn': the certificate directory does not parse (a commit torn by a pull); only the virtual card is
   * opened so (only its APDU writer tears a directory, and only it puts one back). 'ok' once a read of the
   * card succeeds (reread, after the rewrite put the directory back).
   */
  readonly directory: 'ok' | 'torn';
  /** The issuing CA certificate (DER) of the holder certificates, read from the card (or token) lazily. */
  issuerDer(): Promise<Uint8Array | undefined>;
  /**
   * The card's CA and root certificates judged by key (registry/issuer.ts): which CA issued the holders (by
   * AKI/SKI, never by name), its generation when the issuer's pinned fingerprints know it, the chain checked.
   * Rejects with `card-inconsistent` (detail.area "ca-certificates") for a CA area that fails those checks.
   */
  trust(): Promise<CardTrust>;
  /** The full DER of a holder certificate (its AIA / CDP): APDUs, so only on the paths that need it. */
  holderCertificate?(slot: 0 | 1): Promise<Uint8Array>;
  /** Which path a rewrite would take; asks nothing, writes nothing. */
  writePath(): WritePath;
  /** A writer for the rewrite (throws 'pkcs11-unavailable' when there is none). */
  writer(): Promise<CardWriter>;
  /** A fresh read of the same card. */
  reread(): Promise<CardInfo>;
  close(): Promise<void>;
}

export const PKCS11_HINT =
  'This is a real card: its PIN and certificates are written only through the card issuer\'s PKCS#11 module ' +
  '(HiPKILocalSignServer from moica.nat.gov.tw: macOS libHicos_p11v1.dylib inside HiPKILocalSignServer.app, ' +
  'Windows HiCOSPKCS11.dll, Linux a libHicos_p11*.so inside its archive; `moica-check doctor` searches the usual ' +
  'places). Pass --pkcs11-module PATH (or set MOICA_PKCS11_MODULE). Reading and checking work without it.';

type AccessOptions = Pick<Options, 'reader' | 'demo' | 'trace' | 'timeoutMs' | 'pkcs11Module' | 'pkcs11Token'>;

export interface AccessMode {
  /** A card whose directory is torn opens in the 'torn' state instead of throwing (see the header). */
  acceptTorn?: boolean;
}

/** The one choice of write path: the virtual card's plaintext APDUs, the issuer's module, or none. */
export function writePathFor(card: { virtual: boolean }, pkcs11Module: string | undefined): WritePath {
  if (card.virtual) return { path: 'virtual-apdu', detail: 'virtual card: plaintext VERIFY / UPDATE BINARY' };
  if (pkcs11Module !== undefined) return { path: 'pkcs11', detail: `PKCS#11 module ${pkcs11Module}` };
  return { path: 'unavailable', code: 'pkcs11-unavailable', detail: PKCS11_HINT };
}

/**
 * The card's CA certificates judged by key. A card with one issuing CA (the common case) needs nothing more;
 * with several, a holder certificate is read in full for its AKI (`readHolder`: APDUs only on that path).
 */
export async function trustOf(cas: ReadonlyArray<{ der: Uint8Array }>, readHolder?: () => Promise<Uint8Array>): Promise<CardTrust> {
  const { assessCardCas, authorityKeyIdOf } = await import('../registry/issuer.js');
  const first = await assessCardCas(cas);
  if (first !== 'ambiguous') return first;
  const holder = readHolder ? await readHolder() : undefined;
  // No AKI to go by: no CA is picked (OCSP then says 'no-issuer'), rather than one picked by name.
  const holderAki = (holder ? authorityKeyIdOf(holder) : undefined) ?? '';
  const second = await assessCardCas(cas, { holderAki, holderDers: holder ? [holder] : [] });
  if (second === 'ambiguous') throw new MoicaError('internal', 'The card\'s issuing CA could not be told by key.');
  return second;
}

/** The issuing CA among the card's CA certificates: the one whose key id the holders name (never by subject). */
export async function pickIssuer(info: CardInfo, cas: ReadonlyArray<{ der: Uint8Array }>, readHolder?: () => Promise<Uint8Array>): Promise<Uint8Array | undefined> {
  void info;
  return (await trustOf(cas, readHolder)).caDer ?? undefined;
}

/** A card another program holds exclusively: if that is another moica-check writing, say who (its lock file). */
function explainBusy(e: MoicaError, reader: string | undefined): MoicaError {
  const holder = holderOnReader(reader);
  if (holder === undefined) return e;
  const named = busyError(holder);
  return new MoicaError('card-busy', named.message, { ...e.detail, ...named.detail }, { cause: e });
}

/** Reaches the card over PC/SC or the demo reader (`source` shared by the TUI), or the PKCS#11 token. */
export async function openCardAccess(options: AccessOptions, source?: CardSource, learned: Learned = {}, mode: AccessMode = {}): Promise<CardAccess> {
  if (options.pkcs11Token !== undefined && options.demo === undefined) return openTokenAccess(options);
  try {
    const opened = await openCard(cardConfig(options), source ?? (() => openSource(options)), learned);
    return pcscAccess(options, opened, 'ok');
  } catch (e) {
    if (mode.acceptTorn === true && isTornDirectory(e)) return pcscAccess(options, await openTorn(options, source, e), 'torn');
    // With a module configured and no PC/SC card at all, the token itself is the card (cli.md).
    const noPcscCard = isMoicaError(e) && ['pcsc-unavailable', 'pcsc-binding-missing', 'no-reader', 'no-card'].includes(e.code);
    if (noPcscCard && options.pkcs11Module !== undefined && options.demo === undefined) return openTokenAccess(options);
    if (isMoicaError(e, 'card-busy')) throw explainBusy(e, options.reader);
    throw e;
  }
}

/**
 * A card whose directory does not parse (`torn`: what openCard threw, having closed what it opened) is
 * connected again without the read, as the card access in its 'torn' state; any card but the virtual one
 * stays the error.
 */
async function openTorn(options: AccessOptions, given: CardSource | undefined, torn: MoicaError): Promise<Omit<OpenedCard, 'source'>> {
  const source = given ?? (await openSource(options));
  const closeSource = async () => {
    if (given === undefined) await source.close().catch(() => undefined);
  };
  try {
    requireService(source.transport);
    const reader = pickReader(source.transport.readers(), options.reader).name;
    const channel = await source.transport.connect(reader);
    try {
      const gate = new ChannelGate(channel);
      const card = await MoicaCard.open(gate.channel);
      if (!card.virtual) throw torn;
      const info: CardInfo = {
        reader, atr: card.channel.atr, generation: card.generation, virtual: card.virtual,
        number: String(torn.detail.cardNumber), certificates: [], caCertificates: [], consistent: false,
      };
      return {
        reader, channel: gate.channel, card, info, gate,
        close: async () => {
          await channel.close().catch(() => undefined);
          await closeSource();
        },
      };
    } catch (e) {
      await channel.close().catch(() => undefined);
      throw e;
    }
  } catch (e) {
    await closeSource();
    throw e;
  }
}

/**
 * A card over PC/SC. A real card's writer is the issuer's PKCS#11 module, and while a session of it on
 * this card is open the card's raw channel is closed (card/gate.ts): a read then comes from the token.
 *
 * Opened 'torn', the access knows the card number only: its info is the first read that succeeds, the
 * CA certificates are read as they come (the rewrite holds the card while it asks them) and no holder
 * certificate is read for the network.
 */
function pcscAccess(options: AccessOptions, opened: Omit<OpenedCard, 'source'>, openedAs: 'ok' | 'torn'): CardAccess {
  const { card, reader, gate, close } = opened;
  let info = opened.info;
  let directory = openedAs;
  let trusted: Promise<CardTrust> | undefined;
  const trust = () => {
    const slot = info.certificates[0]?.slot;
    // Held exclusively when the reader gives it quickly: another client's SELECT must not land mid-read.
    trusted ??= openedAs === 'torn'
      ? card.caCertificates().then((cas) => trustOf(cas))
      : withReadHold(card.channel, () => card.session.forget(), () => card.caCertificates())
        .then((cas) => trustOf(cas, slot === undefined ? undefined : () => card.certificate(slot)));
    trusted.catch(() => { trusted = undefined; }); // a failed read (a torn directory) is tried again on the next ask
    return trusted;
  };
  // The module is initialised once per card access: a second rewrite (after a wrong PIN) takes a new writer
  // from the same token, since C_Initialize may not be called twice.
  let token: Promise<Pkcs11Card> | undefined;
  const writers: Pkcs11Writer[] = [];
  const openWriter = () => writers.find((w) => w.sessionOpen);
  gate.holdWhile(() => openWriter() !== undefined);
  const writePath = () => writePathFor(info, options.pkcs11Module);
  return {
    reader,
    get info() {
      return info;
    },
    get directory() {
      return directory;
    },
    issuerDer: () => trust().then((t) => t.caDer ?? undefined),
    trust,
    ...(openedAs === 'ok' ? { holderCertificate: (slot: 0 | 1) => card.certificate(slot) } : {}),
    writePath,
    async writer() {
      const path = writePath();
      if (path.path === 'virtual-apdu') {
        const { VirtualCardWriter } = await import('../card/writers/virtual-apdu.js');
        return new VirtualCardWriter(card);
      }
      if (path.path === 'unavailable') throw new MoicaError(path.code, path.detail);
      const modulePath = options.pkcs11Module!;
      token ??= import('../card/pkcs11/index.js').then(({ openPkcs11Card }) =>
        openPkcs11Card({ modulePath, cardNumber: info.number, token: options.pkcs11Token }));
      token.catch(() => { token = undefined; });
      const writer = (await token).writer();
      writers.push(writer);
      return writer;
    },
    async reread() {
      // Never a raw read while the module has a session on the card: the token lists it instead.
      const w = openWriter();
      if (w === undefined) {
        const fresh = await card.read();
        // Torn: the first read that succeeds (the directory put back) is the card's info from now on.
        if (directory === 'torn') {
          info = fresh;
          directory = 'ok';
        }
        return fresh;
      }
      return { ...(await w.readBack()), reader, atr: info.atr, generation: info.generation };
    },
    async close() {
      await (await token?.catch(() => undefined))?.close().catch(() => undefined);
      await close();
    },
  };
}

async function openTokenAccess(options: AccessOptions): Promise<CardAccess> {
  if (options.pkcs11Module === undefined) {
    throw new MoicaError('usage', '--pkcs11-token needs --pkcs11-module PATH (or MOICA_PKCS11_MODULE).');
  }
  const { openPkcs11Card } = await import('../card/pkcs11/index.js');
  const token = await openPkcs11Card({ modulePath: options.pkcs11Module, token: options.pkcs11Token });
  try {
    const info = await token.read();
    return {
      reader: info.reader,
      info,
      directory: 'ok',
      issuerDer: async () => pickIssuer(info, info.caCertificates),
      trust: async () => trustOf(info.caCertificates),
      writePath: () => writePathFor({ virtual: false }, options.pkcs11Module),
      writer: async () => token.writer(),
      reread: () => token.read(),
      close: () => token.close(),
    };
  } catch (e) {
    await token.close();
    throw e;
  }
}
