/**
 * A second PC/SC client for the safety tests: a separate process talking to the rig's pcscd through the
 * `pcsclite` binding directly (none of moica-check's code), so the test sees what another program on the
 * reader can do. Usage (env PCSCLITE_CSOCK_NAME points at the rig):
 *
 *   raw-client.ts apdus HEX [HEX …]        connect shared, send each, print {"sw": [...]} , disconnect (leave)
 *   raw-client.ts hammer COUNT MS          until COUNT rounds or MS ms: connect shared, SELECT 3F00/5030/08F2,
 *                                          READ 10 bytes at 0283, UPDATE 10 bytes at 0283, disconnect (leave),
 *                                          20 ms, again;
 *                                          prints {"rounds", "connected", "refused", "sws"}
 *   raw-client.ts verify-and-die PIN       connect shared, VERIFY, print the SW, then SIGKILL itself
 */
import pcsclite from 'pcsclite';

type Reader = any;
const [mode, ...args] = process.argv.slice(2);
const pcsc = (pcsclite as unknown as () => any)();
pcsc.on('error', () => undefined);

const hex = (b: Uint8Array) => Buffer.from(b).toString('hex').toUpperCase();
const bytes = (h: string) => Buffer.from(h.replace(/\s/g, ''), 'hex');

function connect(reader: Reader): Promise<number | undefined> {
  return new Promise((resolve, reject) => reader.connect({ share_mode: reader.SCARD_SHARE_SHARED }, (err: Error | null, protocol?: number) =>
    (err ? reject(err) : resolve(protocol))));
}
function disconnect(reader: Reader): Promise<void> {
  return new Promise((resolve) => reader.disconnect(reader.SCARD_LEAVE_CARD, () => resolve()));
}
function transmit(reader: Reader, protocol: number, apdu: string): Promise<string> {
  return new Promise((resolve, reject) => reader.transmit(bytes(apdu), 300, protocol, (err: Error | null, data?: Buffer) =>
    (err ? reject(err) : resolve(hex(data ?? Buffer.alloc(0))))));
}
const sw = (reply: string) => reply.slice(-4);

async function withReader(fn: (reader: Reader) => Promise<void>): Promise<void> {
  const reader: Reader = await new Promise((resolve) => pcsc.on('reader', (r: Reader) => {
    r.on('error', () => undefined);
    resolve(r);
  }));
  // the first status tells the card is there
  await new Promise<void>((resolve) => reader.on('status', () => resolve()));
  // Never inside a binding callback (its mutex is held there: close() would deadlock): the next turn.
  await new Promise((resolve) => setImmediate(resolve));
  try {
    await fn(reader);
  } finally {
    await new Promise((resolve) => setImmediate(resolve));
    reader.close();
    pcsc.close();
  }
}

const out = (value: unknown) => process.stdout.write(`${JSON.stringify(value)}\n`);

await withReader(async (reader) => {
  if (mode === 'apdus') {
    const protocol = (await connect(reader))!;
    const sws: string[] = [];
    for (const apdu of args) sws.push(sw(await transmit(reader, protocol, apdu)));
    await disconnect(reader);
    out({ sw: sws });
  } else if (mode === 'hammer') {
    const [count, ms] = [Number(args[0]), Number(args[1])];
    const deadline = Date.now() + ms;
    let rounds = 0;
    let connected = 0;
    let refused = 0;
    const sws = new Set<string>();
    while (rounds < count && Date.now() < deadline) {
      rounds++;
      let protocol: number | undefined;
      try {
        reader.connected = false;
        protocol = await connect(reader);
      } catch {
        refused++;
        await new Promise((r) => setTimeout(r, 5));
        continue;
      }
      connected++;
      try {
        for (const apdu of ['80A40000023F00', '80A40000025030', '80A400000208F2', '80B002830A', '80D602830AEEEEEEEEEEEEEEEEEEEE']) {
          sws.add(`${apdu.slice(2, 4)}:${sw(await transmit(reader, protocol!, apdu))}`);
        }
      } catch (e) {
        sws.add(`error:${(e as Error).message.slice(0, 60)}`);
      }
      await disconnect(reader);
      // A polling program, not a livelock: a breath between rounds (still ~4 rounds a second on vpcd).
      await new Promise((r) => setTimeout(r, 20));
    }
    out({ rounds, connected, refused, sws: [...sws].sort() });
  } else if (mode === 'verify-and-die') {
    const protocol = (await connect(reader))!;
    const pin = Buffer.alloc(10, 0xff);
    pin.write(args[0]!, 'ascii');
    out({ sw: sw(await transmit(reader, protocol, `002000010A${hex(pin)}`)) });
    process.kill(process.pid, 'SIGKILL');
  } else {
    throw new Error(`unknown mode ${mode}`);
  }
});
process.exit(0);
