import { before, describe, test } from 'node:test';
import assert from 'node:assert/strict';
import { createHash, verify, X509Certificate } from 'node:crypto';
import * as asn1js from 'asn1js';
import { VirtualCard } from '../../source/virtual/card.js';
import { buildNamedScenario } from '../../source/virtual/demos.js';
import type { VirtualCardState } from '../../source/virtual/image.js';
import type { BuiltScenario } from '../../source/virtual/scenario.js';
import { isMoicaError } from '../../source/errors.js';
import {
  children, der, hex, octets, parseEntries, readDirectory, readRange, selectPath, send, typeAttributeFields,
} from '../rig/virtual-apdu.js';

const PIN = '123456';
const pinApdu = (pin: string): string =>
  `002000010A${Buffer.concat([Buffer.from(pin), Buffer.alloc(10 - pin.length, 0xff)]).toString('hex')}`;

let gen1: BuiltScenario;
let gen1State: VirtualCardState;
let gen2State: VirtualCardState;
let implicitState: VirtualCardState;

/** A fresh card from a saved image: every test gets its own EEPROM. */
const fresh = (state: VirtualCardState = gen1State): VirtualCard => {
  const card = VirtualCard.fromState(structuredClone(state));
  card.powerOn();
  return card;
};

before(async () => {
  gen1 = await buildNamedScenario('valid');
  gen1State = gen1.card.toState();
  gen2State = (await buildNamedScenario('valid', { generation: 2 })).card.toState();
  implicitState = (await buildNamedScenario('valid', { tagging: 'implicit' })).card.toState();
});

describe('selecting and class bytes', () => {
  test('gen1: CLA 80 path 3F00/0900/0903 gives the card number, 0905 the version', () => {
    const card = fresh();
    selectPath(card, '3F00', '0900', '0903');
    const number = send(card, '80B0000010');
    assert.equal(number.swHex, '9000');
    assert.equal(number.data.toString('ascii'), 'TP03130708163649');
    selectPath(card, '0905');
    assert.equal(send(card, '80B0000008').data.toString('ascii'), 'CHT V32N');
  });

  test('gen1 refuses CLA 00 (6E00), including the gen2 AID probe', () => {
    const card = fresh();
    assert.equal(send(card, '00A40000023F00').swHex, '6E00');
    assert.equal(send(card, '00A4040C10A000000283000006220169640001010100').swHex, '6E00');
    assert.equal(send(card, '00B0000010').swHex, '6E00');
  });

  test('gen2: AID select answers 9000, CLA 00 reads, CLA 80 gets 6E00, 7FFF is the applet', () => {
    const card = fresh(gen2State);
    assert.equal(send(card, '00A4040C10A000000283000006220169640001010100').swHex, '9000');
    assert.equal(send(card, '80A40000023F00').swHex, '6E00');
    selectPath(card, '0900', '0903');
    assert.equal(send(card, '00B0000010').data.toString('ascii'), 'TP03130708163649');
    selectPath(card, '7FFF', '5030', '08F2');
    assert.equal(send(card, '00B0000002').data[0], 0x30);
    selectPath(card, '7FFF', '0900');
    assert.equal(send(card, '00A40004020905 00'.replace(' ', '')).swHex, '6A82');
    assert.equal(send(card, '00A4040C10A000000283000006220169640001010200').swHex, '6A82');
  });

  test('no PKCS#15 application: 5015 and the ODF answer 6A82; unknown INS 6D00; bad lengths 6700', () => {
    const card = fresh();
    assert.equal(send(card, '80A40000025015').swHex, '6A82');
    selectPath(card, '3F00', '5030');
    assert.equal(send(card, '80A40000025031').swHex, '6A82');
    assert.equal(send(card, '80CA000000').swHex, '6D00');
    assert.equal(send(card, '80A4000003 3F00'.replace(' ', '')).swHex, '6700');
    assert.equal(send(card, '80A4').swHex, '6700');
  });

  test('an EF is only found within its DF', () => {
    const card = fresh();
    selectPath(card, '3F00');
    assert.equal(send(card, '80A40000020903').swHex, '6A82');
    assert.equal(send(card, '80B0000010').swHex, '6986');
  });
});

describe('READ BINARY', () => {
  test('at most C8 bytes: C8 answers 200 bytes, C9 67 00 (or 6C C8 by knob), past the end 6B 00, short 62 82', () => {
    const card = fresh();
    selectPath(card, '3F00', '5030', '08F2');
    const chunk = send(card, '80B00000C8');
    assert.equal(chunk.swHex, '9000');
    assert.equal(chunk.data.length, 200);
    assert.equal(send(card, '80B00000C9').swHex, '6700');
    assert.equal(send(card, '80B0000000').swHex, '6700');
    card.faults.overLong = '6Cxx';
    assert.equal(send(card, '80B00000C9').swHex, '6CC8');
    assert.equal(send(card, '80B01C0010').swHex, '6B00');
    const tail = send(card, '80B01BF810');
    assert.equal(tail.swHex, '6282');
    assert.equal(tail.data.length, 8);
  });

  test('6987 knob: answered once to a read over 16 bytes; the retry with Le 10 is served', () => {
    const card = fresh();
    selectPath(card, '3F00', '0900', '0903');
    card.faults.sw6987 = 1;
    assert.equal(send(card, '80B0000010').swHex, '9000', 'Le 10 is never refused');
    selectPath(card, '3F00', '5030', '08F2');
    assert.equal(send(card, '80B0000020').swHex, '6987');
    const retry = send(card, '80B0000010');
    assert.equal(retry.swHex, '9000');
    assert.equal(retry.data.length, 16);
    assert.equal(send(card, '80B00010C8').swHex, '9000');
  });

  test('61xx knob: the data waits for GET RESPONSE, which may take it in pieces', () => {
    const card = fresh();
    selectPath(card, '3F00', '5030', '08F2');
    const expected = readRange(card, 0, 200);
    card.faults.getResponse = 2;
    assert.equal(send(card, '80B00000C8').swHex, '61C8');
    const whole = send(card, '00C00000C8');
    assert.equal(whole.swHex, '9000');
    assert.deepEqual(whole.data, expected);
    assert.equal(send(card, '80B00000C8').swHex, '61C8');
    const first = send(card, '00C0000064');
    assert.equal(first.swHex, '6164');
    const second = send(card, '80C0000064');
    assert.equal(second.swHex, '9000');
    assert.deepEqual(Buffer.concat([first.data, second.data]), expected);
    assert.equal(send(card, '00C0000010').swHex, '6985', 'nothing left to get');
  });

  test('6Cxx knob: the card names the length, the resend with that Le is served', () => {
    const card = fresh();
    selectPath(card, '3F00', '0900', '0903');
    card.faults.wrongLength = 1;
    assert.equal(send(card, '80B0000010').swHex, '6C10');
    assert.equal(send(card, '80B0000010').data.toString('ascii'), 'TP03130708163649');
  });

  test('stats count APDUs and every byte read, so "no byte read twice" can be proven', () => {
    const card = fresh();
    card.stats.reset();
    const cdf = readDirectory(card, '4104', 0x400);
    assert.ok(cdf.length > 0);
    assert.equal(card.stats.maxReadCount('5030/4104'), 1);
    assert.equal(card.stats.bytesRead('5030/4104'), cdf.length + 2);
    send(card, '80B0000010');
    assert.equal(card.stats.maxReadCount('5030/4104'), 2);
    assert.equal(card.stats.readCounts('5030/4104')[0], 2);
    assert.equal(card.stats.readCounts('5030/4104')[16], 1);
    assert.ok(card.stats.apdus >= 5);
    assert.ok((card.stats.byInstruction['B0'] ?? 0) >= 3);
  });
});

describe('the certificate directory (CDF, EF 4104)', () => {
  test('about 1 KB, four entries: two CAs with authority TRUE, SIGN and KEYX pointing into 08F2', () => {
    const card = fresh();
    const cdf = readDirectory(card, '4104', 0x400);
    assert.ok(cdf.length > 800 && cdf.length < 0x400, `CDF ${cdf.length} bytes`);
    const entries = parseEntries(cdf);
    assert.equal(entries.length, 4);
    const offsets = [0x0000, 0x0700, 0x0e00, 0x1500];
    const bodies = [gen1.pki.root.certificate, gen1.pki.issuing.certificate, ...gen1.onCard];
    entries.forEach((entry, i) => {
      const [, classAttributes] = children(entry);
      const id = octets(children(classAttributes!)[0]).toString('ascii');
      const authority = children(classAttributes!)[1];
      const { explicit, fields } = typeAttributeFields(entry);
      assert.equal(explicit, true, 'explicit tagging by default');
      const [path, subject, issuer, serial] = fields;
      const [file, index, length] = children(path!);
      assert.equal(octets(file).toString('hex').toUpperCase(), '3F00503008F2');
      assert.equal((index as asn1js.Integer).valueBlock.valueDec, offsets[i]);
      assert.equal(length!.idBlock.tagClass, 3, 'length is [0]');
      const lengthValue = Number.parseInt(Buffer.from((length as asn1js.Primitive).valueBlock.valueHexView).toString('hex'), 16);
      const body = bodies[i]!;
      assert.equal(lengthValue, body.der.length);
      const x509 = new X509Certificate(body.der);
      assert.equal(der(serial).toString('hex').slice(4).replace(/^0+/, '').toUpperCase(), body.serialNumber);
      assert.ok(der(subject).length > 20);
      assert.equal(issuer!.idBlock.tagNumber, 0);
      if (i < 2) {
        assert.equal((authority as asn1js.Boolean).valueBlock.value, true);
        assert.ok(x509.ca);
      } else {
        assert.equal(id, i === 2 ? 'SIGN' : 'KEYX');
        assert.equal(authority, undefined);
      }
      selectPath(card, '3F00', '5030', '08F2');
      assert.deepEqual(readRange(card, offsets[i]!, lengthValue), Buffer.from(body.der));
    });
  });

  test('the serial numbers in the CDF are the holder certificates\', leading zeros and top bits handled', () => {
    const card = fresh();
    const [, , sign, keyx] = parseEntries(readDirectory(card, '4104', 0x400));
    const serialOf = (entry: asn1js.Sequence): string => {
      const serial = typeAttributeFields(entry).fields[3] as asn1js.Integer;
      return Buffer.from(serial.valueBlock.valueHexView).toString('hex').toUpperCase().replace(/^0+/, '');
    };
    assert.equal(serialOf(sign!), '3B7161C40F46488916A');
    assert.equal(serialOf(keyx!), '69D8DCA6BECC064523');
  });

  test('implicit tagging option drops the inner SEQUENCE; gen2 paths start 7FFF', () => {
    const implicit = parseEntries(readDirectory(fresh(implicitState), '4104', 0x400));
    const { explicit, fields } = typeAttributeFields(implicit[2]!);
    assert.equal(explicit, false);
    assert.equal(fields.length, 4);
    assert.ok(children(fields[0]!)[0] instanceof asn1js.OctetString);

    const card = fresh(gen2State);
    send(card, '00A4040C10A000000283000006220169640001010100');
    const entries = parseEntries(readDirectory(card, '4104', 0x400));
    const path = children(typeAttributeFields(entries[3]!).fields[0]!)[0];
    assert.equal(octets(path).toString('hex').toUpperCase(), '7FFF503008F2');
  });
});

describe('public keys (PuKDF 4101, key records 0810/0811)', () => {
  test('the PuKDF names each key\'s EF and keyReference; READ RECORD rebuilds the certificate\'s key', () => {
    const card = fresh();
    const entries = parseEntries(readDirectory(card, '4101', 0x200));
    assert.equal(entries.length, 2);
    entries.forEach((entry, slot) => {
      const [, keyAttributes] = children(entry);
      const attributes = children(keyAttributes!);
      assert.equal(octets(attributes[0]).toString('ascii'), slot === 0 ? 'SIGN' : 'KEYX');
      const keyReference = (attributes[3] as asn1js.Integer).valueBlock.valueDec;
      const { explicit, fields } = typeAttributeFields(entry);
      assert.equal(explicit, true);
      const path = octets(children(fields[0]!)[0]).toString('hex').toUpperCase();
      assert.equal(path, slot === 0 ? '3F0050300810' : '3F0050300811');
      assert.equal((fields[1] as asn1js.Integer).valueBlock.valueDec, 2048);

      selectPath(card, '3F00', '5030', path.slice(8));
      const record = (n: number): Buffer => {
        const answer = send(card, `80B2${hex(n)}0081`);
        assert.equal(answer.swHex, '9000');
        assert.equal(answer.data.length, 129);
        assert.equal(answer.data[0], n);
        return answer.data.subarray(1);
      };
      const exponent = record(keyReference).subarray(0, 4);
      assert.deepEqual(record(keyReference + 1), Buffer.alloc(128));
      const words = Buffer.concat([record(keyReference + 2), record(keyReference + 3)]);
      const modulus = Buffer.alloc(256);
      for (let w = 0; w < 64; w++) words.copy(modulus, 252 - w * 4, w * 4, w * 4 + 4);
      const jwk = new X509Certificate(gen1.onCard[slot]!.der).publicKey.export({ format: 'jwk' });
      assert.equal(modulus.toString('base64url'), jwk.n);
      assert.equal(exponent.toString('hex'), '00010001');
    });
  });

  test('READ RECORD: Le other than 81 gets 6C81, an unknown record 6A83, READ BINARY there 6981', () => {
    const card = fresh();
    selectPath(card, '3F00', '5030', '0810');
    assert.equal(send(card, '80B2010080').swHex, '6C81');
    assert.equal(send(card, '80B2090081').swHex, '6A83');
    assert.equal(send(card, '80B0000010').swHex, '6981');
  });
});

describe('PIN, writes and the RSA private operation', () => {
  test('VERIFY: wrong PINs count down 63C2, 63C1, then 6983 blocks even the right PIN', () => {
    const card = fresh();
    assert.equal(send(card, '0020000100'.slice(0, 8)).swHex, '63C3');
    assert.equal(send(card, pinApdu('654321')).swHex, '63C2');
    assert.equal(send(card, pinApdu('1234567')).swHex, '63C1');
    assert.equal(send(card, '00200001').swHex, '63C1');
    assert.equal(send(card, pinApdu('000000')).swHex, '6983');
    assert.equal(send(card, pinApdu(PIN)).swHex, '6983');
    assert.equal(send(card, '00200001').swHex, '6983');
    assert.equal(card.triesLeft, 0);
  });

  test('VERIFY: the right PIN restores the tries; CLA 80 or a wrong length is refused without a try', () => {
    const card = fresh();
    assert.equal(send(card, pinApdu('999999')).swHex, '63C2');
    assert.equal(send(card, pinApdu(PIN).replace(/^00/, '80')).swHex, '6E00');
    assert.equal(send(card, '0020000106313233343536').swHex, '6700');
    assert.equal(card.triesLeft, 2);
    assert.equal(send(card, pinApdu(PIN)).swHex, '9000');
    assert.equal(card.triesLeft, 3);
    assert.equal(send(card, '00200001').swHex, '9000');
  });

  test('UPDATE BINARY needs a verified PIN, reaches only 08F2 and 4104, at most C8 bytes', () => {
    const card = fresh();
    selectPath(card, '3F00', '5030', '08F2');
    const update = `80D60E0004DEADBEEF`;
    assert.equal(send(card, update).swHex, '6982');
    assert.equal(send(card, '00D60E0004DEADBEEF').swHex, '6E00', 'gen1 writes with CLA 80');
    assert.equal(send(card, pinApdu(PIN)).swHex, '9000');
    selectPath(card, '3F00', '5030', '08F2');
    assert.equal(send(card, update).swHex, '9000');
    assert.equal(send(card, '80B00E0004').data.toString('hex'), 'deadbeef');
    assert.equal(send(card, `80D60000C9${'00'.repeat(0xc9)}`).swHex, '6700');
    selectPath(card, '3F00', '0900', '0903');
    assert.equal(send(card, '80D6000002 4142'.replace(' ', '')).swHex, '6986');
    selectPath(card, '3F00', '5030', '4104');
    assert.equal(send(card, '80D6000001 30'.replace(' ', '')).swHex, '9000');
  });

  test('gen2 writes with CLA 00', () => {
    const card = fresh(gen2State);
    assert.equal(send(card, pinApdu(PIN)).swHex, '9000');
    selectPath(card, '7FFF', '5030', '4104');
    assert.equal(send(card, '00D6000001 30'.replace(' ', '')).swHex, '9000');
    assert.equal(send(card, '80D6000001 30'.replace(' ', '')).swHex, '6E00');
  });

  test('reset and power-off clear the verified PIN', () => {
    const card = fresh();
    assert.equal(send(card, pinApdu(PIN)).swHex, '9000');
    card.reset();
    assert.equal(send(card, '00200001').swHex, '63C3');
    assert.equal(send(card, pinApdu(PIN)).swHex, '9000');
    card.powerOff();
    card.powerOn();
    selectPath(card, '3F00', '5030', '08F2');
    assert.equal(send(card, '80D6000001 30'.replace(' ', '')).swHex, '6982');
  });

  test('RSA private operation: 6982 without PIN; after VERIFY its output verifies with the holder certificate', () => {
    const card = fresh();
    const message = Buffer.from('moica-check proves the card holds the key');
    const digestInfo = Buffer.concat([Buffer.from('3031300d060960864801650304020105000420', 'hex'),
      createHash('sha256').update(message).digest()]);
    const block = Buffer.concat([Buffer.from([0, 1]), Buffer.alloc(256 - 3 - digestInfo.length, 0xff), Buffer.from([0]), digestInfo]);
    const first = `80EA82{ref}80${block.subarray(0, 128).toString('hex')}`;
    const second = `80EA02{ref}80${block.subarray(128).toString('hex')}`;
    assert.equal(send(card, first.replace('{ref}', '01')).swHex, '6982');
    assert.equal(send(card, pinApdu(PIN)).swHex, '9000');
    for (const [slot, ref] of [[0, '01'], [1, '05']] as const) {
      assert.equal(send(card, first.replace('{ref}', ref)).swHex, '9000');
      const head = send(card, second.replace('{ref}', ref));
      assert.equal(head.swHex, '9000');
      assert.equal(head.data.length, 128);
      const tail = send(card, '80C1008080');
      assert.equal(tail.swHex, '9000');
      const signature = Buffer.concat([head.data, tail.data]);
      const publicKey = new X509Certificate(gen1.onCard[slot]!.der).publicKey;
      assert.ok(verify('sha256', message, publicKey, signature), `slot ${slot} signature verifies`);
    }
    assert.equal(send(card, first.replace('{ref}', '09')).swHex, '6A88');
    assert.equal(send(card, second.replace('{ref}', '01')).swHex, '6985', 'second half without a first');
  });
});

describe('faults: pulled card, torn write, mute card, state', () => {
  test('pulled after N APDUs: the torn UPDATE leaves a partially written area that survives reinsertion', () => {
    const card = fresh();
    let removed = 0;
    card.onRemoved(() => removed++);
    assert.equal(send(card, pinApdu(PIN)).swHex, '9000');
    selectPath(card, '3F00', '5030', '08F2');
    const before = Buffer.from(card.readFile('5030/08F2').subarray(0x0e00, 0x0e00 + 400));
    card.pullAfter(1, { tornBytes: 50 });
    const ff = 'FF'.repeat(200);
    assert.equal(send(card, `80D60E00C8${ff}`).swHex, '9000');
    const reply = card.exchange(Buffer.from(`80D60EC8C8${ff}`, 'hex'));
    assert.equal(reply.kind, 'pulled');
    assert.equal(removed, 1);
    assert.equal(card.handle(Buffer.from('80B0000010', 'hex')).length, 0, 'a pulled card answers nothing');

    const reinserted = VirtualCard.fromState(JSON.parse(JSON.stringify(card.toState())) as VirtualCardState);
    reinserted.powerOn();
    const area = Buffer.from(reinserted.readFile('5030/08F2').subarray(0x0e00, 0x0e00 + 400));
    assert.deepEqual(area.subarray(0, 250), Buffer.alloc(250, 0xff), 'first APDU and 50 torn bytes landed');
    assert.deepEqual(area.subarray(250), before.subarray(250), 'the rest is the old certificate');
    selectPath(reinserted, '3F00', '5030', '08F2');
    assert.equal(send(reinserted, '80D6000001 30'.replace(' ', '')).swHex, '6982', 'PIN needed again');
  });

  test('a mute card gives no answer until it is reset', () => {
    const card = fresh();
    card.stopAnswering(1);
    assert.equal(send(card, '80A40000023F00').swHex, '9000');
    assert.equal(card.exchange(Buffer.from('80A40000020900', 'hex')).kind, 'silent');
    assert.equal(card.exchange(Buffer.from('80A40000020900', 'hex')).kind, 'silent');
    card.reset();
    assert.equal(send(card, '80A40000020900').swHex, '9000');
  });

  test('the state round-trips through JSON with tries left and written data, and holds no PIN', () => {
    const card = fresh();
    assert.equal(send(card, pinApdu('111111')).swHex, '63C2');
    const state = JSON.parse(JSON.stringify(card.toState())) as VirtualCardState;
    assert.equal(state.pin.triesLeft, 2);
    assert.ok(!JSON.stringify(state.pin).includes(PIN));
    assert.ok(!Buffer.from(JSON.stringify(state)).includes(Buffer.from(pinApdu(PIN).slice(10), 'hex')));
    const copy = VirtualCard.fromState(state);
    copy.powerOn();
    assert.equal(copy.triesLeft, 2);
    for (const path of ['0900/0903', '5030/08F2', '5030/4104', '5030/4101']) {
      assert.deepEqual(copy.readFile(path), card.readFile(path), path);
    }
    assert.equal(send(copy, pinApdu(PIN)).swHex, '9000');
    assert.deepEqual(copy.toState().records, card.toState().records);
    assert.throws(() => VirtualCard.fromState({ format: 'other' } as unknown as VirtualCardState), (e) => isMoicaError(e, 'usage'));
  });
});
