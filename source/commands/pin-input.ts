/**
 * The PIN from standard input (`--pin-stdin`): piped (first line), or typed at a terminal with echo off.
 * Bytes go straight into one fixed buffer we own; every chunk read is zeroed; nothing is logged or echoed.
 *
 * At a terminal, `TerminalPinEntry` turns echo off (raw mode) BEFORE the confirmation question and keeps it
 * off until the PIN is read: a PIN typed ahead while the rewrite re-checks and proves (seconds) is taken
 * into the PIN buffer, never echoed into the scrollback (issue 13 item 3).
 */
import type { Readable, Writable } from 'node:stream';
import { MoicaError } from '../errors.js';
import type { Lang } from '../options.js';
import { t } from '../i18n/t.js';
import '../i18n/commands.js';
import { sanitize } from '../text/sanitize.js';

const MAX = 64; // far past 8 digits: a longer line is refused as malformed, never truncated into a PIN

/** A piped PIN (first line). At a terminal, prefer TerminalPinEntry. Empty input: "no PIN was given". */
export async function readPin(stdin: Readable & { isTTY?: boolean; setRawMode?(raw: boolean): unknown }, lang: Lang = 'en'): Promise<Uint8Array> {
  const buffer = new Uint8Array(MAX);
  let length = 0;
  let overflow = false;
  const raw = Boolean(stdin.isTTY && stdin.setRawMode);
  if (raw) stdin.setRawMode!(true);
  try {
    await new Promise<void>((resolve, reject) => {
      const finish = (error?: MoicaError) => {
        stdin.off('data', onData);
        stdin.off('end', onEnd);
        stdin.off('error', onError);
        stdin.pause();
        if (error) reject(error);
        else resolve();
      };
      const onData = (chunk: Buffer | string) => {
        const bytes = typeof chunk === 'string' ? Buffer.from(chunk) : chunk;
        let done = false;
        for (const b of bytes) {
          if (b === 0x0a || b === 0x0d) { done = true; break; }
          if (raw && b === 0x03) { bytes.fill(0); finish(new MoicaError('cancelled', 'Cancelled.')); return; }
          if (raw && (b === 0x7f || b === 0x08)) { if (length > 0) buffer[--length] = 0; continue; }
          if (length < MAX) buffer[length++] = b;
          else overflow = true;
        }
        bytes.fill(0);
        if (done) finish();
      };
      const onEnd = () => finish();
      const onError = () => finish(new MoicaError('usage', 'Could not read the PIN from standard input.'));
      stdin.on('data', onData);
      stdin.once('end', onEnd);
      stdin.once('error', onError);
      stdin.resume();
    });
  } finally {
    if (raw) stdin.setRawMode!(false);
  }
  return take(buffer, length, overflow, lang);
}

/** An owned copy of the PIN bytes; the buffer is zeroed whatever happens. */
function take(buffer: Uint8Array, length: number, overflow: boolean, lang: Lang): Uint8Array {
  const pin = buffer.slice(0, overflow ? 0 : length);
  buffer.fill(0);
  if (overflow) throw new MoicaError('pin-malformed', t(lang, 'pin.too-long'));
  if (pin.length === 0) throw new MoicaError('pin-malformed', t(lang, 'pin.empty'));
  return pin;
}

type TtyIn = Readable & { isTTY?: boolean; setRawMode?(raw: boolean): unknown };

/**
 * Echo off from `begin()` to `end()`: questions are answered and the PIN typed with the terminal in raw
 * mode. Between a question and the PIN prompt, keys are taken as the PIN typed ahead (unechoed). Ctrl-C
 * (a byte in raw mode, not a signal) rejects the pending question or PIN with `cancelled`, or calls
 * `onInterrupt` when nothing is pending (the rewrite's own signal handling decides).
 */
export class TerminalPinEntry {
  private readonly pin = new Uint8Array(MAX);
  private length = 0;
  private overflow = false;
  /** Enter was pressed after the PIN was typed (ahead of its prompt, or at it). */
  private pinDone = false;
  private mode: 'idle' | 'answer' | 'pin' = 'idle';
  private answer = '';
  private waiter: { resolve(): void; reject(e: MoicaError): void } | undefined;
  private active = false;
  onInterrupt: (() => void) | undefined;

  constructor(private readonly stdin: TtyIn, private readonly out: Writable, private readonly lang: Lang) {}

  private readonly onData = (chunk: Buffer | string) => {
    const bytes = typeof chunk === 'string' ? Buffer.from(chunk) : chunk;
    try {
      for (const b of bytes) this.key(b);
    } finally {
      bytes.fill(0);
    }
  };

  private key(b: number): void {
    if (b === 0x03) { // Ctrl-C
      if (this.waiter) this.settle(new MoicaError('cancelled', 'Cancelled: nothing was written.'));
      else this.onInterrupt?.();
      return;
    }
    const enter = b === 0x0d || b === 0x0a;
    const erase = b === 0x7f || b === 0x08;
    if (this.mode === 'answer') {
      if (enter) { this.out.write('\n'); this.settle(); return; }
      if (erase) { if (this.answer.length > 0) { this.answer = this.answer.slice(0, -1); this.out.write('\b \b'); } return; }
      // Only letters are shown back (y, yes, n): a PIN typed here by mistake is never echoed.
      const c = String.fromCharCode(b);
      this.answer += c;
      if (/^[A-Za-z]$/.test(c)) this.out.write(c);
      return;
    }
    // idle (typed ahead) or at the PIN prompt: the PIN buffer.
    if (this.pinDone) return; // keys after Enter wait for nothing
    if (enter) { this.pinDone = true; if (this.mode === 'pin') this.settle(); return; }
    if (erase) { if (this.length > 0) this.pin[--this.length] = 0; return; }
    if (this.length < MAX) this.pin[this.length++] = b;
    else this.overflow = true;
  }

  private settle(error?: MoicaError): void {
    const w = this.waiter;
    this.waiter = undefined;
    this.mode = 'idle';
    if (!w) return;
    if (error) w.reject(error);
    else w.resolve();
  }

  private wait(): Promise<void> {
    return new Promise((resolve, reject) => { this.waiter = { resolve, reject }; });
  }

  /** Echo off now (raw mode), keys collected from here on. */
  begin(): void {
    if (this.active) return;
    this.active = true;
    this.stdin.setRawMode?.(true);
    this.stdin.on('data', this.onData);
    this.stdin.resume();
  }

  /** A yes/no question, echo still off (letters of the answer are shown); anything but y/yes is no. */
  async confirm(question: string): Promise<boolean> {
    this.begin();
    this.answer = '';
    this.out.write(`${sanitize(question)} [y/N] `); // the card number in it comes from the card
    this.mode = 'answer';
    await this.wait();
    const a = this.answer.trim().toLowerCase();
    this.answer = '';
    return a === 'y' || a === 'yes';
  }

  /** The PIN: what was typed ahead and at the prompt, up to Enter. Echo goes back on after it. */
  async readPin(prompt: string): Promise<Uint8Array> {
    this.begin();
    this.out.write(`${prompt}: `);
    try {
      if (!this.pinDone) {
        this.mode = 'pin';
        await this.wait();
      }
      this.out.write('\n');
      const length = this.length;
      this.length = 0;
      this.pinDone = false;
      const overflow = this.overflow;
      this.overflow = false;
      return take(this.pin, length, overflow, this.lang);
    } finally {
      this.end();
    }
  }

  /** Echo back on, keys no longer read, the PIN buffer zeroed. Safe to call twice. */
  end(): void {
    this.pin.fill(0);
    this.length = 0;
    if (!this.active) return;
    this.active = false;
    this.stdin.off('data', this.onData);
    this.stdin.pause();
    this.stdin.setRawMode?.(false);
    this.settle(new MoicaError('cancelled', 'Cancelled: nothing was written.'));
  }
}

/** A yes/no question at a terminal; anything but y/Y is no (kept for callers without a PIN to protect). */
export async function confirm(stdin: Readable, stderr: NodeJS.WritableStream, question: string): Promise<boolean> {
  stderr.write(`${question} [y/N] `);
  const answer = await new Promise<string>((resolve) => {
    const onData = (chunk: Buffer | string) => {
      stdin.off('data', onData);
      stdin.pause();
      resolve(String(chunk).trim());
    };
    stdin.on('data', onData);
    stdin.once('end', () => resolve(''));
    stdin.resume();
  });
  return answer === 'y' || answer === 'Y' || answer.toLowerCase() === 'yes';
}
