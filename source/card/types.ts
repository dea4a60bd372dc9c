/**
 * The card module's public contract. Everything that touches a card goes through these types; the
 * check/, ui/ and commands/ layers never see `pcsclite`, APDUs or the virtual card's internals.
 */

// ---------------------------------------------------------------- transport (PC/SC or in-process)

export interface ReaderState {
  name: string;
  cardPresent: boolean;
  /** ATR of the present card, upper-case hex without spaces; undefined when no card. */
  atr?: string;
  /** pcscd's event counter (state >> 16) or an equivalent: a change means a new card even if events merged. */
  eventCount: number;
}

export type TransportEvent =
  | { type: 'reader-added'; reader: string }
  | { type: 'reader-removed'; reader: string }
  | { type: 'card-inserted'; reader: string; atr: string }
  | { type: 'card-removed'; reader: string }
  /** PC/SC service went away (pcscd stopped/restarted) or came back. */
  | { type: 'service'; up: boolean; detail?: string };

/** A connected card. transmit() calls are queued per reader: APDUs never overlap. */
export interface CardChannel {
  readonly reader: string;
  readonly atr: string;
  /** Raw APDU in, raw response (data + SW1 SW2) out. A response shorter than 2 bytes → MoicaError('card-removed'). */
  transmit(apdu: Uint8Array): Promise<Uint8Array>;
  /** Disconnect. Leaves the card powered where the transport allows; PC/SC resets it when a PIN went out on this connection. */
  close(): Promise<void>;
  /**
   * Optional (PC/SC): from here until release(), this process alone talks to the card (an exclusive
   * connection: the `pcsclite` binding has no SCardBeginTransaction). Fails with 'card-busy' when another
   * program keeps the card. Every cached selection of a session over this channel must be dropped after it.
   */
  acquire?(options?: { waitMs?: number }): Promise<void>;
  /** Optional: back to a shared connection; `reset` resets the card first (a verified PIN is gone). */
  release?(options: { reset: boolean }): Promise<void>;
}

export interface Transport {
  /** Current readers (live). */
  readers(): ReaderState[];
  /** Subscribe to events; returns an unsubscribe function. */
  on(listener: (event: TransportEvent) => void): () => void;
  /** Resolves once the first reader enumeration is done (or the service is known down). */
  ready(): Promise<void>;
  /** True while the PC/SC service answers. */
  serviceUp(): boolean;
  connect(reader: string): Promise<CardChannel>;
  /** Release everything so the process can exit. */
  close(): Promise<void>;
}

// ---------------------------------------------------------------- what a read returns

export type CertificateUsage = 'signature' | 'encryption';
export type KeyId = 'SIGN' | 'KEYX';

export interface HolderCertificate {
  /** 憑證序號 0 = signature (key iD SIGN), 1 = encryption (key iD KEYX). */
  slot: 0 | 1;
  usage: CertificateUsage;
  keyId: KeyId;
  /** Upper-case hex, no leading zeros (registry-api.md). From the CDF. */
  serialNumber: string;
  subject: string;
  issuer: string;
  /** null only when the body at the slot's path does not parse (a torn write): then consistent is false. */
  notBefore: Date | null;
  notAfter: Date | null;
  /** False when the CDF serial differs from the certificate body at its path (an interrupted rewrite). */
  consistent: boolean;
}

export interface CaCertificate {
  subject: string;
  serialNumber: string;
  /** Full DER, needed as the OCSP issuer and for the rewrite's issuer proof. */
  der: Uint8Array;
}

export interface CardInfo {
  reader: string;
  /** Upper-case hex, no spaces. */
  atr: string;
  generation: 1 | 2;
  /** True only for the project's virtual card (its own ATR): the only card that gets plaintext PIN/write APDUs. */
  virtual: boolean;
  /** e.g. TP03130708163649 */
  number: string;
  certificates: HolderCertificate[];
  /** CA certificates found on the card (root, issuing CA). */
  caCertificates: CaCertificate[];
  /** False when any holder certificate is inconsistent. */
  consistent: boolean;
}

// ---------------------------------------------------------------- the write side (rewrite)

/**
 * What the rewrite step machine (check/rewrite.ts) drives. Two implementations: the virtual card over
 * plaintext APDUs (only for the virtual ATR) and the issuer's PKCS#11 module for real cards.
 */
export interface CardWriter {
  readonly path: 'virtual-apdu' | 'pkcs11';
  /** SubjectPublicKeyInfo DER of the holder key of a slot, read without PIN. */
  publicKey(slot: 0 | 1): Promise<Uint8Array>;
  /**
   * VERIFY. Resolves on success; throws MoicaError 'pin-wrong' {triesLeft} or 'pin-blocked'.
   * The caller passes a buffer it zeroes afterwards; implementations must not keep a copy.
   */
  verifyPin(pin: Uint8Array): Promise<void>;
  /**
   * Optional: the PIN tries left, asked without consuming one (the virtual card's VERIFY with no data, a
   * PKCS#11 token's flags): 0 when blocked, a number only when the card or module says it, else null.
   */
  pinTries?(): Promise<number | null>;
  /** RSA PKCS#1 v1.5 signature over SHA-256(message) with the slot's private key (after verifyPin). */
  sign(slot: 0 | 1, message: Uint8Array): Promise<Uint8Array>;
  /** The current DER of a slot's certificate (for the backup and the read-back). */
  readCertificate(slot: 0 | 1): Promise<Uint8Array>;
  /** Raw bytes worth keeping in a backup besides the certificates (e.g. the CDF); may be empty. */
  backupExtras(): Promise<Record<string, Uint8Array>>;
  /**
   * Optional: every size the writes need, checked before anything is written (the slot's area, the areas
   * next to it, the directory's space), all writes together: a rewrite that cannot complete writes nothing.
   * Throws 'rewrite-refused'.
   */
  checkFits?(writes: ReadonlyArray<{ slot: 0 | 1; der: Uint8Array }>): Promise<void>;
  /**
   * Write a certificate to a slot: the body first, then the directory entry as the commit point.
   * `onWritten` (optional) is told the body's bytes on the card so far, rising, the last call with all of
   * them: the virtual APDU writer after each UPDATE BINARY chunk's 9000; the PKCS#11 writer once, when the
   * new object is created (one C_CreateObject: the module gives no finer step, so one step is all it says).
   */
  writeCertificate(slot: 0 | 1, der: Uint8Array, onWritten?: (done: number) => void): Promise<void>;
  /**
   * Optional: puts back bytes backupExtras() returned for this very card (the CDF: the backup is its
   * journal), so a card whose directory a torn write left unparseable reads again. Idempotent.
   */
  restoreExtras?(extras: Record<string, Uint8Array>): Promise<void>;
  /**
   * Optional: the card as it reads after this writer's writes, without reading again what this session
   * read already: what the writer wrote is read back from the card. Absent: the caller reads the card afresh.
   */
  readBack?(): Promise<CardInfo>;
  /**
   * Optional: called first by the rewrite, before its fresh read: from here to end() this process alone
   * talks to the card (PC/SC exclusive), and nothing read before counts (every cached selection dropped).
   */
  begin?(): Promise<void>;
  /** Log out / drop the verified state where possible (a card reset after a VERIFY), and end begin(). */
  end(): Promise<void>;
}
