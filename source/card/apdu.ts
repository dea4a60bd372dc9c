/**
 * APDUs: building commands, and status words → typed errors from ONE table. GET RESPONSE (61xx) and
 * wrong-Le (6Cxx) are handled here because neither pcscd nor the `pcsclite` binding does it.
 */
import { MoicaError, type ErrorCode } from '../errors.js';
import type { CardChannel } from './types.js';

export interface Response {
  data: Uint8Array;
  sw: number;
}

interface StatusMeaning {
  meaning: string;
  code: ErrorCode;
}

/** ISO 7816-4 status words as this project meets them. Anything unlisted is 'card-error' with its SW. */
const STATUS_TABLE: ReadonlyMap<number, StatusMeaning> = new Map([
  [0x6281, { meaning: 'part of the returned data may be corrupted', code: 'card-error' }],
  [0x6282, { meaning: 'end of file reached before Le bytes', code: 'card-error' }],
  [0x6283, { meaning: 'selected file invalidated', code: 'card-error' }],
  [0x6581, { meaning: 'memory failure', code: 'card-error' }],
  [0x6700, { meaning: 'wrong length', code: 'card-error' }],
  [0x6881, { meaning: 'logical channel not supported', code: 'card-error' }],
  [0x6882, { meaning: 'secure messaging not supported', code: 'card-error' }],
  [0x6981, { meaning: 'command incompatible with file structure', code: 'card-error' }],
  [0x6982, { meaning: 'security status not satisfied', code: 'card-error' }],
  // PIN statuses are card errors here: only the VERIFY path (virtual-writer.ts) reads them as a PIN's
  // outcome; the same words on a read mean a misbehaving card, never "your PIN is wrong" (exit 6).
  [0x6983, { meaning: 'authentication method blocked', code: 'card-error' }],
  [0x6984, { meaning: 'reference data not usable', code: 'card-error' }],
  [0x6985, { meaning: 'conditions of use not satisfied', code: 'card-error' }],
  [0x6986, { meaning: 'command not allowed (no current EF)', code: 'card-error' }],
  [0x6987, { meaning: 'expected secure messaging data objects missing', code: 'card-error' }],
  [0x6988, { meaning: 'secure messaging data objects incorrect', code: 'card-error' }],
  [0x6a80, { meaning: 'incorrect data', code: 'card-error' }],
  [0x6a81, { meaning: 'function not supported', code: 'card-error' }],
  [0x6a82, { meaning: 'file not found', code: 'card-error' }],
  [0x6a83, { meaning: 'record not found', code: 'card-error' }],
  [0x6a84, { meaning: 'not enough memory in the file', code: 'card-error' }],
  [0x6a86, { meaning: 'incorrect P1-P2', code: 'card-error' }],
  [0x6a88, { meaning: 'referenced data not found', code: 'card-error' }],
  [0x6b00, { meaning: 'wrong parameters (offset outside the file)', code: 'card-error' }],
  [0x6d00, { meaning: 'instruction not supported', code: 'card-error' }],
  [0x6e00, { meaning: 'class not supported', code: 'card-error' }],
  [0x6f00, { meaning: 'no precise diagnosis', code: 'card-error' }],
]);

export const SW = {
  OK: 0x9000,
  FILE_NOT_FOUND: 0x6a82,
  SECURITY_STATUS: 0x6982,
  PIN_BLOCKED: 0x6983,
  SM_MISSING: 0x6987,
  END_OF_FILE: 0x6282,
  WRONG_OFFSET: 0x6b00,
  CLA_NOT_SUPPORTED: 0x6e00,
} as const;

export function hexSw(sw: number): string {
  return sw.toString(16).toUpperCase().padStart(4, '0');
}

export function describeStatus(sw: number): StatusMeaning {
  if (sw === SW.OK) return { meaning: 'ok', code: 'card-error' };
  if ((sw & 0xfff0) === 0x63c0) return { meaning: `verification failed, counter ${sw & 0x0f}`, code: 'card-error' };
  if ((sw & 0xff00) === 0x6100) return { meaning: `${sw & 0xff} more bytes available`, code: 'card-error' };
  if ((sw & 0xff00) === 0x6c00) return { meaning: `wrong Le, ${sw & 0xff} expected`, code: 'card-error' };
  return STATUS_TABLE.get(sw) ?? { meaning: 'unexpected status', code: 'card-error' };
}

/** The typed error for a status word. `what` names the command in the user's terms ("read the CDF"). */
export function statusError(sw: number, what: string): MoicaError {
  const { meaning, code } = describeStatus(sw);
  const detail: Record<string, unknown> = { sw: hexSw(sw) };
  return new MoicaError(code, `${what}: ${meaning} (SW ${hexSw(sw)})`, detail);
}

export function isOk(sw: number): boolean {
  return sw === SW.OK;
}

/** SELECT answering a warning (62xx) has still selected the file. */
export function isSelected(sw: number): boolean {
  return sw === SW.OK || (sw & 0xff00) === 0x6200;
}

/** An APDU from its parts (short form only: every MOICA command fits). */
export function command(cla: number, ins: number, p1: number, p2: number, data?: Uint8Array, le?: number): Uint8Array {
  if (data !== undefined && (data.length === 0 || data.length > 255)) throw new RangeError('APDU data must be 1-255 bytes');
  const out = new Uint8Array(4 + (data ? 1 + data.length : 0) + (le !== undefined ? 1 : 0));
  out.set([cla, ins, p1, p2]);
  let p = 4;
  if (data) {
    out[p++] = data.length;
    out.set(data, p);
    p += data.length;
  }
  if (le !== undefined) out[p] = le & 0xff;
  return out;
}

/** The same command with Le set to `le` (added when the command had none). */
export function withLe(apdu: Uint8Array, le: number): Uint8Array {
  const hasLe = apdu.length === 5 || (apdu.length > 5 && apdu.length === 6 + apdu[4]!);
  const out = new Uint8Array(hasLe ? apdu.length : apdu.length + 1);
  out.set(hasLe ? apdu.subarray(0, apdu.length - 1) : apdu);
  out[out.length - 1] = le & 0xff;
  return out;
}

export function splitResponse(raw: Uint8Array): Response {
  if (raw.length < 2) throw new MoicaError('card-removed', 'The card stopped answering (it was removed?).');
  const n = raw.length - 2;
  return { data: raw.slice(0, n), sw: (raw[n]! << 8) | raw[n + 1]! };
}

/** A card that keeps answering 61xx forever must not hang the tool. */
const MAX_GET_RESPONSE = 64;

/**
 * Sends one command and follows 61xx with GET RESPONSE and 6Cxx with a resend at the right Le, so the
 * caller sees the whole answer and its final status word. GET RESPONSE takes the command's class (80 on
 * gen1, which refuses CLA 00 with 6E00; 00 on gen2).
 */
export async function exchange(channel: CardChannel, apdu: Uint8Array): Promise<Response> {
  let res = splitResponse(await channel.transmit(apdu));
  if ((res.sw & 0xff00) === 0x6c00) res = splitResponse(await channel.transmit(withLe(apdu, res.sw & 0xff)));
  if ((res.sw & 0xff00) !== 0x6100) return res;
  const cla = apdu[0]! & 0x80;
  const parts: Uint8Array[] = [res.data];
  for (let i = 0; i < MAX_GET_RESPONSE && (res.sw & 0xff00) === 0x6100; i++) {
    res = splitResponse(await channel.transmit(command(cla, 0xc0, 0, 0, undefined, res.sw & 0xff)));
    parts.push(res.data);
  }
  if ((res.sw & 0xff00) === 0x6100) throw new MoicaError('card-error', 'The card kept answering 61xx to GET RESPONSE.', { sw: hexSw(res.sw) });
  return { data: concat(parts), sw: res.sw };
}

export function concat(parts: readonly Uint8Array[]): Uint8Array {
  const out = new Uint8Array(parts.reduce((n, p) => n + p.length, 0));
  let p = 0;
  for (const part of parts) {
    out.set(part, p);
    p += part.length;
  }
  return out;
}

/** Upper-case hex, two digits a byte, `sep` between bytes. */
export function toHex(bytes: Uint8Array, sep = ''): string {
  const hex = Buffer.from(bytes.buffer, bytes.byteOffset, bytes.byteLength).toString('hex').toUpperCase();
  if (sep === '' || bytes.length < 2) return hex;
  const pairs = new Array<string>(bytes.length);
  for (let i = 0; i < bytes.length; i++) pairs[i] = hex.slice(2 * i, 2 * i + 2);
  return pairs.join(sep);
}

export function fromHex(hex: string): Uint8Array {
  const clean = hex.replace(/[\s:]/g, '');
  if (!/^(?:[0-9a-fA-F]{2})*$/.test(clean)) throw new RangeError(`not hex: ${hex}`);
  return Uint8Array.from(clean.match(/../g) ?? [], (h) => parseInt(h, 16));
}
