/**
 * A card that is not a citizen certificate card, in a vpcd reader: its own ATR (a generic ISO card's),
 * and 6A 82 (file not found) to every APDU, as a bank or health card answers MOICA's SELECTs.
 */
import { connect, type Socket } from 'node:net';
import { FrameReader, frame } from '../../source/virtual/vpcd-client.js';

export const FOREIGN_ATR = Uint8Array.from([0x3b, 0x68, 0x00, 0x00, 0x00, 0x73, 0xc8, 0x40, 0x12, 0x00, 0x90, 0x00]);
export const FOREIGN_ATR_HEX = Buffer.from(FOREIGN_ATR).toString('hex').toUpperCase();

export async function insertForeignCard(port: number): Promise<{ remove(): Promise<void> }> {
  const socket: Socket = await new Promise((resolve, reject) => {
    const s = connect({ host: '127.0.0.1', port, noDelay: true });
    s.once('connect', () => resolve(s));
    s.once('error', reject);
  });
  socket.on('error', () => undefined);
  const frames = new FrameReader();
  socket.on('data', (chunk: Buffer) => {
    for (const payload of frames.push(chunk)) {
      if (payload.length === 1) {
        if (payload[0] === 0x04) socket.write(frame(FOREIGN_ATR));
        continue; // power on / off / reset: nothing to keep
      }
      socket.write(frame(Uint8Array.of(0x6a, 0x82)));
    }
  });
  return {
    remove: () => new Promise<void>((resolve) => {
      socket.once('close', () => resolve());
      socket.destroy();
    }),
  };
}
