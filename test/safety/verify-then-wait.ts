/**
 * For the signal test: moica-check's own PC/SC transport and virtual-card writer, a right PIN verified,
 * then nothing (as a process that is stopped by a signal in the middle of its PIN session). Prints
 * "verified" once the card said 90 00. PIN in argv: a test card's, in a test process.
 */
import { PcscTransport } from '../../source/card/pcsc.js';
import { MoicaCard } from '../../source/card/moica.js';
import { VirtualCardWriter } from '../../source/card/writers/virtual-apdu.js';

const transport = await PcscTransport.create({ timeoutMs: 10_000 });
await transport.ready();
const reader = transport.readers().find((r) => r.cardPresent)!;
const channel = await transport.connect(reader.name);
const writer = new VirtualCardWriter(await MoicaCard.open(channel));
await writer.verifyPin(new TextEncoder().encode(process.argv[2]!));
process.stdout.write('verified\n');
setInterval(() => undefined, 1000);
