/** Splitting a short command APDU into header, data and Le (ISO 7816-4 cases 1-4). */

export interface CommandApdu {
  cla: number;
  ins: number;
  p1: number;
  p2: number;
  data: Uint8Array;
  /** Expected length; 256 when Le is 00; undefined when absent. */
  le: number | undefined;
}

/** Undefined when the length does not fit any case: the card answers 67 00. */
export function parseCommand(apdu: Uint8Array): CommandApdu | undefined {
  if (apdu.length < 4) return undefined;
  const [cla = 0, ins = 0, p1 = 0, p2 = 0] = apdu;
  const header = { cla, ins, p1, p2 };
  if (apdu.length === 4) return { ...header, data: new Uint8Array(0), le: undefined };
  const b4 = apdu[4] ?? 0;
  if (apdu.length === 5) return { ...header, data: new Uint8Array(0), le: b4 === 0 ? 256 : b4 };
  if (b4 === 0) return undefined; // extended length: not supported
  if (apdu.length === 5 + b4) return { ...header, data: apdu.subarray(5), le: undefined };
  if (apdu.length === 6 + b4) {
    const le = apdu[5 + b4] ?? 0;
    return { ...header, data: apdu.subarray(5, 5 + b4), le: le === 0 ? 256 : le };
  }
  return undefined;
}

export const SW = {
  OK: 0x9000,
  END_OF_FILE: 0x6282,
  WRONG_LENGTH: 0x6700,
  INCOMPATIBLE_FILE: 0x6981,
  SECURITY: 0x6982,
  BLOCKED: 0x6983,
  CONDITIONS: 0x6985,
  NO_CURRENT_EF: 0x6986,
  NOT_ALLOWED: 0x6986,
  SM_MISSING: 0x6987,
  WRONG_DATA: 0x6a80,
  NOT_FOUND: 0x6a82,
  RECORD_NOT_FOUND: 0x6a83,
  WRONG_P1P2: 0x6a86,
  REF_NOT_FOUND: 0x6a88,
  WRONG_OFFSET: 0x6b00,
  INS: 0x6d00,
  CLA: 0x6e00,
  UNKNOWN: 0x6f00,
} as const;

export function answer(sw: number, data: Uint8Array = new Uint8Array(0)): Uint8Array {
  const out = new Uint8Array(data.length + 2);
  out.set(data);
  out[data.length] = sw >> 8;
  out[data.length + 1] = sw & 0xff;
  return out;
}
