/**
 * Cases the fuzzer found, pinned with their concrete bytes. Each was a crash (an untyped exception) or a
 * hang in someone's module; each must now be a typed MoicaError.
 */
import { test } from 'node:test';
import assert from 'node:assert/strict';
import { MoicaError } from '../../source/errors.js';
import { parseCertificateHeader } from '../../source/card/certificate-header.js';
import { MoicaCard } from '../../source/card/moica.js';
import { parseCdf } from '../../source/card/pkcs15.js';
import { buildNamedScenario } from '../../source/virtual/demos.js';
import { InProcessTransport, VIRTUAL_READER } from '../../source/virtual/in-process.js';

const hex = (h: string) => Uint8Array.from(Buffer.from(h.replace(/\s+/g, ''), 'hex'));
const invalid = (e: unknown) => e instanceof MoicaError && e.code === 'card-answer-invalid';

// fuzz card, seed 1, case 17 (file 5030/08F2 [3584..3984): bitFlip,truncate): the holder certificate's
// TBSCertificate header came out in the indefinite form (30 80). The header parser answered "need 10
// bytes" while holding 200, so MoicaCard.read() asked for the same cached range forever: a microtask
// loop that no timer could interrupt.
const INDEFINITE_TBS = hex('30 82 05 00 30 80 a0 03 02 01 02 02 09 00 3b 71 61 c4 0f 46 48 89');

test('regression: a certificate header with an indefinite length is invalid, not "need more bytes"', () => {
  const padded = new Uint8Array(200);
  padded.set(INDEFINITE_TBS);
  assert.throws(() => parseCertificateHeader(padded), invalid);
  // Truly short input still asks for more.
  assert.deepEqual(parseCertificateHeader(hex('30 82')), { needBytes: 6 });
});

test('regression: the same bytes on a card end the read (it used to spin forever): the slot reads inconsistent, its DER invalid', async () => {
  const scenario = await buildNamedScenario('valid');
  // The SIGN certificate's area in EF 08F2 (0x0E00), as the fuzzer left it.
  scenario.card.patchFile('5030/08F2', 0x0e00, INDEFINITE_TBS);
  const transport = new InProcessTransport();
  transport.insert(scenario.card);
  const card = await MoicaCard.open(await transport.connect(VIRTUAL_READER));
  // A body that does not parse is what a torn write leaves: the card reads, that slot inconsistent.
  const info = await card.read();
  assert.equal(info.consistent, false);
  assert.deepEqual([info.certificates[0]!.consistent, info.certificates[0]!.notAfter], [false, null]);
  await assert.rejects(card.certificate(0), invalid);
  await transport.close();
});

// fuzz card, seed 1, case 158 (file 5030/4104: extend,splice,bitFlip): a CDF record holding a
// GeneralizedTime whose text is not a time. asn1js throws a plain Error ("Wrong input string for
// conversion") from fromBER instead of reporting it, and it escaped parseCdf untyped.
test('regression: a CDF record with a malformed GeneralizedTime is card-answer-invalid', () => {
  assert.throws(() => parseCdf(hex('30 06 18 04 41 42 43 44')), invalid);
});

// Same asn1js behaviour, in the certificate's validity (found with the case above while fixing it).
test('regression: a certificate validity with a malformed GeneralizedTime is card-answer-invalid', () => {
  const certificate = hex('30 1c 30 1a a0 03 02 01 02 02 01 01 30 00 30 00 30 0c 18 04 41 42 43 44 18 04 41 42 43 44 30 00');
  assert.throws(() => parseCertificateHeader(certificate), invalid);
});
