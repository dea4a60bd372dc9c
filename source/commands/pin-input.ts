/**
 * The PIN from standard input (`--pin-stdin`): piped (first line) or typed at a terminal without echo.
 * Bytes go straight into one fixed buffer; every chunk read is zeroed; nothing is logged or echoed.
 */
import type { Readable } from 'node:stream';
import { MoicaError } from '../errors.js';

const MAX = 64; // far past 8 digits: a longer line is refused as malformed, never truncated into a PIN

export async function readPin(stdin: Readable & { isTTY?: boolean; setRawMode?(raw: boolean): unknown }): Promise<Uint8Array> {
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
  const pin = buffer.slice(0, overflow ? 0 : length);
  buffer.fill(0);
  if (overflow) throw new MoicaError('pin-malformed', 'The PIN must be 6 to 8 digits.');
  return pin;
}

/** A yes/no question at a terminal; anything but y/Y is no. */
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
