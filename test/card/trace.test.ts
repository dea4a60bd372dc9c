import { test } from 'node:test';
import assert from 'node:assert/strict';
import { mkdtempSync, readFileSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { MoicaCard } from '../../source/card/moica.js';
import { Trace, redactCommand } from '../../source/card/trace.js';
import { VirtualCardWriter } from '../../source/card/writers/virtual-apdu.js';
import { InProcessTransport, VIRTUAL_READER } from '../../source/virtual/in-process.js';
import { buildNamedScenario } from '../../source/virtual/demos.js';
import { bytes, hex } from './helpers.js';

test('--trace FILE: every command and response with timing; VERIFY data never written', async () => {
  const dir = mkdtempSync(join(tmpdir(), 'moica-trace-'));
  try {
    const file = join(dir, 'trace.txt');
    const scenario = await buildNamedScenario('valid', { pin: '24680135' });
    const transport = new InProcessTransport();
    transport.insert(scenario.card);
    const trace = new Trace(file);
    const channel = trace.wrap(await transport.connect(VIRTUAL_READER));
    const card = await MoicaCard.open(channel);
    await card.read();
    const writer = new VirtualCardWriter(card);
    await assert.rejects(writer.verifyPin(new Uint8Array(Buffer.from('13572468'))));
    await writer.verifyPin(new Uint8Array(Buffer.from('24680135')));
    await trace.close(); // the lines are queued off the transmit path: close() writes what is left (issue 13)
    const text = readFileSync(file, 'utf8');
    const sent = text.split('\n').filter((l) => / > /.test(l));
    const answered = text.split('\n').filter((l) => / < /.test(l));
    assert.equal(sent.length, scenario.card.stats.apdus);
    assert.equal(answered.length, sent.length);
    assert.ok(answered.every((l) => /\(\d+\.\d ms\)$/.test(l)), 'each answer with its round trip');
    assert.match(text, /> 80 B0 00 00 10\n/);
    const verifies = sent.filter((l) => / > 00 20 00 01/.test(l));
    assert.equal(verifies.length, 2);
    assert.ok(verifies.every((l) => l.endsWith('00 20 00 01 0A [10 bytes redacted]')));
    // Neither PIN, in hex with or without spaces, nor in ASCII.
    for (const pin of ['24680135', '13572468']) {
      const h = hex(new Uint8Array(Buffer.from(pin)));
      assert.ok(!text.includes(pin));
      assert.ok(!text.replace(/ /g, '').includes(h));
    }
  } finally {
    rmSync(dir, { recursive: true, force: true });
  }
});

test('redaction keeps the header of PIN commands only (VERIFY, CHANGE, RESET RETRY COUNTER, any class)', () => {
  assert.equal(hex(redactCommand(bytes('00 20 00 01 0A 31 32 33 34 35 36 FF FF FF FF'))), '002000010A' + '00'.repeat(10));
  assert.equal(hex(redactCommand(bytes('8C 20 00 01 04 AA BB CC DD'))), '8C20000104' + '00'.repeat(4));
  assert.equal(hex(redactCommand(bytes('00 24 00 01 02 31 32'))), '0024000102' + '0000');
  assert.equal(hex(redactCommand(bytes('00 2C 00 01 02 31 32'))), '002C000102' + '0000');
  assert.equal(hex(redactCommand(bytes('80 A4 00 00 02 3F 00'))), '80A40000023F00');
  assert.equal(hex(redactCommand(bytes('00 20 00 01'))), '00200001', 'a VERIFY without data has nothing to hide');
});
