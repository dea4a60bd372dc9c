/** The virtual card's fixed facts: ATR, AID, file IDs and sizes (see the layout comment in card.ts). The emulator's
 * own spelling, on purpose (index.ts): the driver's facts are in source/card/layout.ts. */

/** Historical bytes "VMOICA-SIM1.0", T=1. Only a card with this ATR gets plaintext PIN and write APDUs. */
export const VIRTUAL_ATR = Uint8Array.from([
  0x3b, 0x8d, 0x80, 0x01, 0x56, 0x4d, 0x4f, 0x49, 0x43, 0x41, 0x2d, 0x53, 0x49, 0x4d, 0x31, 0x2e, 0x30, 0x46,
]);
export const VIRTUAL_ATR_HEX = Buffer.from(VIRTUAL_ATR).toString('hex').toUpperCase();

/** The gen2 PKI applet AID (SELECT 00 A4 04 0C 10 <AID>). */
export const GEN2_AID = Uint8Array.from([
  0xa0, 0x00, 0x00, 0x02, 0x83, 0x00, 0x00, 0x06, 0x22, 0x01, 0x69, 0x64, 0x00, 0x01, 0x01, 0x01,
]);

export const FID = {
  MF: 0x3f00,
  /** gen2 path element meaning "the applet" (its root). */
  APPLET: 0x7fff,
  CARD_DF: 0x0900,
  CARD_NUMBER: 0x0903,
  VERSION: 0x0905,
  PKI_DF: 0x5030,
  CERTIFICATES: 0x08f2,
  PUKDF: 0x4101,
  CDF: 0x4104,
  SIGN_KEY: 0x0810,
  KEYX_KEY: 0x0811,
} as const;

/** Each certificate has a fixed area of 0x700 bytes in EF 08F2. */
export const CERTIFICATE_AREA = 0x700;
export const CERTIFICATE_SLOTS = 4;
export const CERTIFICATES_SIZE = CERTIFICATE_AREA * CERTIFICATE_SLOTS;
/** Area index in 08F2: root CA, issuing CA, holder SIGN, holder KEYX. */
export const AREA = { ROOT: 0, ISSUING: 1, SIGN: 2, KEYX: 3 } as const;
export const CDF_SIZE = 0x400;
export const PUKDF_SIZE = 0x200;
export const VERSION_STRING = 'CHT V32N';

export const KEY_REFERENCE = { SIGN: 0x01, KEYX: 0x05 } as const;
export const RECORD_BODY = 128;

/** At most this many bytes per READ BINARY / UPDATE BINARY. */
export const MAX_CHUNK = 0xc8;
export const PIN_BLOCK = 10;

export const hex4 = (fid: number): string => fid.toString(16).toUpperCase().padStart(4, '0');
