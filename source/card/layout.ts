/**
 * The MOICA card as the driver knows it (moica-card.md §1 and §3, issuer-services.md §4): the ATRs it
 * names, the gen2 AID, the file IDs, the certificate area, the READ BINARY / UPDATE BINARY chunk and the
 * SIGN/KEYX slot table. The one home of these facts in card/. The emulator (source/virtual/) spells its
 * own from the spec on purpose, as an independent oracle (its header says why): do not import these there.
 */
import type { KeyId } from './types.js';

/** The virtual card's ATR (historical bytes "VMOICA-SIM1.0"): the only card given plaintext PIN / write APDUs. */
export const VIRTUAL_ATR = '3B8D800156 4D4F4943412D53494D312E3046'.replace(/\s/g, '');

/**
 * ATRs seen on MOICA cards (issuer-services.md §4, pcsc-tools smartcard_list), and the virtual card's. The
 * list only NAMES a card: whether a card is MOICA is decided by probing it (probeGeneration), so a card
 * with an ATR not listed here that answers the gen2 AID or the gen1 root is read all the same; and only
 * the virtual card's own ATR ever takes the plaintext PIN / write path (virtual-writer.ts).
 */
export const KNOWN_ATRS: ReadonlyMap<string, string> = new Map([
  ['3BB813008131FA524348544D4F494341A5', 'MOICA ("CHTMOICA")'],
  ['3BD8960081B1FE451F074348544750 4B494A DD'.replace(/\s/g, ''), 'MOICA ("CHTGPKIJ")'],
  ['3B 8B 80 01 00 31 C1 64 08 40 21 30 00 90 00 57'.replace(/\s/g, ''), 'MOICA (31 C1 64 08 40 21 30)'],
  [VIRTUAL_ATR, 'virtual MOICA card ("VMOICA-SIM1.0")'],
]);

/** The gen2 application (its "MF"). Data field of the SELECT AID of moica-card.md §1. */
export const GEN2_AID = Uint8Array.from([0xa0, 0x00, 0x00, 0x02, 0x83, 0x00, 0x00, 0x06, 0x22, 0x01, 0x69, 0x64, 0x00, 0x01, 0x01, 0x01]);
export const MF = 0x3f00;
/** In gen2 paths, "the application": select the AID again. */
export const APP = 0x7fff;

/** File IDs (moica-card.md §1). */
export const FID = {
  CARD_DF: 0x0900,
  CARD_NUMBER: 0x0903,
  PKI_DF: 0x5030,
  CERTIFICATES: 0x08f2,
  CDF: 0x4104,
  PUKDF: 0x4101,
} as const;

export const CARD_NUMBER_PATH = [MF, FID.CARD_DF, FID.CARD_NUMBER];
export const CDF_PATH = [MF, FID.PKI_DF, FID.CDF];

/** Each certificate has a fixed 0700-byte area in EF 08F2. */
export const CERTIFICATE_AREA = 0x700;

/** READ BINARY carries at most C8 bytes per APDU on these cards (UPDATE BINARY is written in the same chunks). */
export const READ_CHUNK = 0xc8;
/** READ BINARY offsets are 15 bits: no file is read past this. */
export const MAX_OFFSET = 0x7fff;

/** The holder's two key pairs and their certificates: slot 0 SIGN (signature), slot 1 KEYX (encryption). */
export const HOLDERS: ReadonlyArray<{ keyId: KeyId; slot: 0 | 1; usage: 'signature' | 'encryption' }> = [
  { keyId: 'SIGN', slot: 0, usage: 'signature' },
  { keyId: 'KEYX', slot: 1, usage: 'encryption' },
];

/** The iD (CDF) / CKA_ID (PKCS#11) of each slot's key pair and certificate. */
export const SLOT_KEY_ID: Readonly<Record<0 | 1, KeyId>> = { 0: HOLDERS[0]!.keyId, 1: HOLDERS[1]!.keyId };

/** True for a holder's iD (SIGN or KEYX), false for a CA certificate's. */
export function isHolderKeyId(id: string): id is KeyId {
  return HOLDERS.some((h) => h.keyId === id);
}
