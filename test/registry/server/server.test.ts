import { after, before, test } from 'node:test';
import assert from 'node:assert/strict';
import { execFile } from 'node:child_process';
import { readFileSync, writeFileSync } from 'node:fs';
import { join } from 'node:path';
import { promisify } from 'node:util';
import { start, type RunningServer } from '../../../source/registry/server/server.js';
import { loadRegistryData } from '../../../source/registry/server/data.js';
import { createRegistryClient } from '../../../source/registry/client.js';
import { checkOcsp } from '../../../source/registry/ocsp.js';
import { isMoicaError } from '../../../source/errors.js';
import type { RegistryData } from '../../../source/registry/types.js';
import { makePki, type TestPki } from '../openssl-rig.js';
import * as asn1js from 'asn1js';
import * as pkijs from 'pkijs';
import { certIdFor, decodeCertStatus, parseCertificate } from '../../../source/registry/ocsp-asn1.js';

const CARD = 'TP03130708163649';
const DER = Buffer.from([0x30, 0x03, 0x02, 0x01, 0x07]);
const DATA: RegistryData = {
  cards: {
    [CARD]: {
      certificates: [
        { slot: 0, usage: 'signature', serialNumber: '03b7161c40f46488916a', status: 'valid', notBefore: '2024-03-01T00:00:00Z', notAfter: '2029-03-01T00:00:00Z', renewedFrom: null },
        { slot: 1, usage: 'encryption', serialNumber: '69D8DCA6BECC064523', status: 'suspended', notBefore: '2024-03-01T00:00:00Z', notAfter: '2029-03-01T00:00:00Z', renewedFrom: '0abc' },
      ],
    },
  },
  certificates: { '003B7161C40F46488916A': DER.toString('base64') },
};

let pki: TestPki;
let server: RunningServer;
const log: string[] = [];

before(async () => {
  pki = makePki();
  const keyPem = readFileSync(pki.key('ca'), 'utf8');
  const caPrivateKey = new Uint8Array(Buffer.from(keyPem.replace(/-----[^-]+-----/g, '').replace(/\s+/g, ''), 'base64'));
  server = await start({
    data: DATA,
    log: (line) => log.push(line),
    ocsp: {
      caCertDer: pki.caDer,
      caPrivateKey,
      statuses: {
        '3B7161C40F46488916A': { status: 'good' },
        '69d8dca6becc064523': { status: 'revoked', reason: 'certificateHold', revokedAt: new Date('2025-01-01T00:00:00Z') },
        'ABCDEF': { status: 'revoked', reason: 'keyCompromise' },
      },
    },
  });
});

after(async () => {
  await server?.close();
  pki?.cleanup();
});

const get = (path: string, init?: RequestInit) => fetch(`${server.url}${path}`, init);

test('GET a card: the documented shape, serials normalised; the client reads it', async () => {
  const res = await get(`/v1/cards/${CARD}`);
  assert.equal(res.status, 200);
  assert.match(res.headers.get('content-type') ?? '', /application\/json/);
  const body = await res.json() as { cardNumber: string; certificates: Array<Record<string, unknown>> };
  assert.equal(body.cardNumber, CARD);
  assert.deepEqual(body.certificates.map((c) => c.serialNumber), ['3B7161C40F46488916A', '69D8DCA6BECC064523']);
  assert.equal(body.certificates[1]!.renewedFrom, 'ABC');
  const client = createRegistryClient({ baseUrl: server.url, timeoutMs: 5000 });
  try {
    const card = await client.getCard(CARD);
    assert.equal(card.certificates[1]!.status, 'suspended');
    assert.deepEqual(Buffer.from(await client.getCertificate('3b7161c40f46488916a')), DER);
  } finally {
    client.close();
  }
});

test('GET a certificate: DER as application/pkix-cert, any spelling of the serial', async () => {
  const res = await get('/v1/certificates/0003b7161c40f46488916a');
  assert.equal(res.status, 200);
  assert.equal(res.headers.get('content-type'), 'application/pkix-cert');
  assert.deepEqual(Buffer.from(await res.arrayBuffer()), DER);
});

test('400 for malformed paths, card numbers and serials; 404 for unknown; 405 for wrong methods', async () => {
  const cases: Array<[string, string, number, string?]> = [
    ['GET', '/v1/cards/tp03130708163649', 400, 'bad-request'],
    ['GET', '/v1/cards/TP0313', 400, 'bad-request'],
    ['GET', '/v1/cards/', 400, 'bad-request'],
    ['GET', `/v1/cards/${CARD}/extra`, 400, 'bad-request'],
    ['GET', '/v1/certificates/XYZ', 400, 'bad-request'],
    ['GET', '/v1/certificates/%E0%A4%A', 400, 'bad-request'],
    ['GET', '/v1/certificates/AB/more', 400, 'bad-request'],
    ['GET', '/v1/cards/AB00000000000000', 404, 'card-not-found'],
    ['GET', '/v1/certificates/ABCDEF', 404, 'not-found'],
    ['GET', '/v2/anything', 404, 'not-found'],
    ['GET', '/', 404, 'not-found'],
    ['DELETE', `/v1/cards/${CARD}`, 405, 'method-not-allowed'],
    ['POST', '/v1/certificates/AB', 405, 'method-not-allowed'],
    ['GET', `/v1/cards/${CARD}/rewrites`, 405, 'method-not-allowed'],
    ['GET', '/ocsp', 405, 'method-not-allowed'],
  ];
  for (const [method, path, status, error] of cases) {
    const res = await get(path, { method });
    assert.equal(res.status, status, `${method} ${path}`);
    assert.equal(((await res.json()) as { error: string }).error, error, `${method} ${path}`);
    if (status === 405) assert.ok(res.headers.get('allow'), 'a 405 says what is allowed');
  }
});

test('a rewrite record is validated, stored and answered 201', async () => {
  const client = createRegistryClient({ baseUrl: server.url, timeoutMs: 5000 });
  try {
    const before = server.rewrites.length;
    await client.postRewrite(CARD, { serialNumbers: ['03b7161c40f46488916a'], result: 'completed', detail: 'written and read back' });
    assert.equal(server.rewrites.length, before + 1);
    const record = server.rewrites.at(-1)!;
    assert.equal(record.cardNumber, CARD);
    assert.deepEqual(record.serialNumbers, ['3B7161C40F46488916A']);
    assert.equal(record.result, 'completed');
    assert.ok(!Number.isNaN(Date.parse(record.receivedAt)));
  } finally {
    client.close();
  }
  const post = (body: string, card = CARD) => get(`/v1/cards/${card}/rewrites`, { method: 'POST', headers: { 'content-type': 'application/json' }, body });
  const count = server.rewrites.length;
  assert.equal((await post('{not json')).status, 400);
  assert.equal((await post(JSON.stringify({ serialNumbers: [], result: 'completed', detail: '' }))).status, 400);
  assert.equal((await post(JSON.stringify({ serialNumbers: ['AB'], result: 'maybe', detail: '' }))).status, 400);
  assert.equal((await post(JSON.stringify({ serialNumbers: ['XY'], result: 'failed', detail: '' }))).status, 400);
  assert.equal((await post(JSON.stringify({ serialNumbers: ['AB'], result: 'failed', detail: '' }), 'AB00000000000000')).status, 404);
  assert.equal((await post('x'.repeat(70 * 1024))).status, 413);
  assert.equal(server.rewrites.length, count, 'refused records are not stored');
});

test('every request is logged as one line: method path status ms', () => {
  assert.ok(log.length > 5);
  for (const line of log) assert.match(line, /^[A-Z]+ \/\S* \d{3} \d+\.\dms$/);
  assert.ok(log.some((l) => l.startsWith(`GET /v1/cards/${CARD} 200 `)));
});

test('the OCSP endpoint answers signed responses that the OCSP client accepts', async () => {
  const report = await checkOcsp({ serialNumbers: ['3B7161C40F46488916A', '69D8DCA6BECC064523', 'ABCDEF', '77'], issuerDer: pki.caDer, url: server.ocspUrl, timeoutMs: 5000 });
  assert.equal(report.checked, true, report.detail);
  const by = Object.fromEntries(report.certificates.map((a) => [a.serialNumber, a]));
  assert.equal(by['3B7161C40F46488916A']!.status, 'good');
  assert.equal(by['69D8DCA6BECC064523']!.reason, 'certificateHold');
  assert.equal(by['69D8DCA6BECC064523']!.revokedAt?.toISOString(), '2025-01-01T00:00:00.000Z');
  assert.equal(by.ABCDEF!.reason, 'keyCompromise');
  assert.equal(by['77']!.status, 'unknown');
});

test('the OCSP endpoint\'s answers also verify with OpenSSL\'s client, nonce included', async () => {
  const run = promisify(execFile);
  const { stdout } = await run('openssl', ['ocsp', '-issuer', pki.pem('ca'), '-CAfile', pki.pem('ca'), '-serial', '0x69D8DCA6BECC064523',
    '-url', server.ocspUrl!, '-timeout', '5'], { cwd: pki.dir });
  assert.match(stdout, /0x69D8DCA6BECC064523: revoked/);
  assert.match(stdout, /Reason: certificateHold/);
  // openssl prints "Response verify OK" on stderr for a verified response; a nonce mismatch would print WARNING.
  const { stderr } = await run('openssl', ['ocsp', '-issuer', pki.pem('ca'), '-CAfile', pki.pem('ca'), '-serial', '0x3B7161C40F46488916A',
    '-url', server.ocspUrl!, '-timeout', '5'], { cwd: pki.dir });
  assert.match(stderr, /Response verify OK/);
  assert.doesNotMatch(stderr, /WARNING/);
});

test('an OCSP request about another CA is answered unauthorized; garbage, malformedRequest', async () => {
  const other = await checkOcsp({ serialNumbers: ['AB'], issuerDer: pki.der('fakeca'), url: server.ocspUrl, timeoutMs: 5000 });
  assert.equal(other.notCheckedReason, 'invalid');
  assert.match(other.detail ?? '', /unauthorized/);
  const res = await get('/ocsp', { method: 'POST', headers: { 'content-type': 'application/ocsp-request' }, body: 'garbage' });
  assert.equal(res.status, 200);
  assert.deepEqual([...new Uint8Array(await res.arrayBuffer())], [0x30, 0x03, 0x0a, 0x01, 0x01]);
});

test('an OCSP request for a 40-byte serial is answered (unknown), not a 500', async () => {
  const id = certIdFor('AB', parseCertificate(pki.caDer));
  id.serialNumber = new asn1js.Integer({ valueHex: new Uint8Array(40).fill(0x11) });
  const req = new pkijs.OCSPRequest({ tbsRequest: new pkijs.TBSRequest({ requestList: [new pkijs.Request({ reqCert: id })] }) });
  const res = await get('/ocsp', { method: 'POST', body: Buffer.from(req.toSchema(true).toBER(false)) });
  assert.equal(res.status, 200);
  const response = pkijs.OCSPResponse.fromBER(new Uint8Array(await res.arrayBuffer()));
  assert.equal(response.responseStatus.valueBlock.valueDec, 0);
  const basic = pkijs.BasicOCSPResponse.fromBER(new Uint8Array(response.responseBytes!.response.valueBlock.valueHexView));
  assert.deepEqual(decodeCertStatus(basic.tbsResponseData.responses[0]!.certStatus), { status: 'unknown' });
});

test('a bad data file is a usage error with a clear message', async () => {
  const file = (name: string, text: string) => { const p = join(pki.dir, name); writeFileSync(p, text); return p; };
  const expectUsage = async (path: string, pattern: RegExp) => {
    await assert.rejects(loadRegistryData(path), (e) => isMoicaError(e, 'usage') && pattern.test(e.message) && e.exitCode === 2);
  };
  await expectUsage(join(pki.dir, 'missing.json'), /Cannot read .*ENOENT/);
  await expectUsage(file('notjson.json', '{'), /not JSON/);
  await expectUsage(file('shape.json', JSON.stringify({ cards: [] })), /not valid/);
  await expectUsage(file('cardno.json', JSON.stringify({ cards: { bad: { certificates: [] } }, certificates: {} })), /not valid/);
  const badSlot = { ...DATA, cards: { [CARD]: { certificates: [{ ...DATA.cards[CARD]!.certificates[0]!, usage: 'encryption' }] } } };
  await expectUsage(file('slot.json', JSON.stringify(badSlot)), /slot 0 cannot be encryption/);
  await expectUsage(file('date.json', JSON.stringify({ ...DATA, cards: { [CARD]: { certificates: [{ ...DATA.cards[CARD]!.certificates[0]!, notAfter: 'soon' }] } } })), /notAfter/);
  await expectUsage(file('der.json', JSON.stringify({ ...DATA, certificates: { AB: 'aGVsbG8=' } })), /not a base64 DER/);
  const good = await loadRegistryData(file('good.json', JSON.stringify(DATA)));
  assert.deepEqual(Object.keys(good.certificates), ['3B7161C40F46488916A']);
});

test('a port already taken is a usage error', async () => {
  const port = Number(new URL(server.url).port);
  await assert.rejects(start({ data: DATA, port }), (e) => isMoicaError(e, 'usage') && /EADDRINUSE/.test(e.message));
});

test('the OCSP endpoint signs with an EC P-256 CA key as well as an RSA one; another kind of key is refused by name', async () => {
  const { createOcspResponder } = await import('../../../source/registry/server/ocsp-responder.js');
  const { generateKeyPairSync } = await import('node:crypto');
  const pkcs8Of = (pemFile: string) => new Uint8Array(Buffer.from(readFileSync(pemFile, 'utf8').replace(/-----[^-]+-----/g, '').replace(/\s+/g, ''), 'base64'));
  const ec = await start({ data: DATA, ocsp: { caCertDer: pki.der('fakeca'), caPrivateKey: pkcs8Of(pki.key('fakeca')), statuses: { AB: { status: 'good' } } } });
  try {
    const report = await checkOcsp({ serialNumbers: ['AB'], issuerDer: pki.der('fakeca'), url: ec.ocspUrl, timeoutMs: 5000 });
    assert.equal(report.checked, true, report.detail);
    assert.equal(report.certificates[0]!.status, 'good');
  } finally {
    await ec.close();
  }
  const ed = generateKeyPairSync('ed25519').privateKey.export({ format: 'der', type: 'pkcs8' });
  await assert.rejects(createOcspResponder({ caCertDer: pki.caDer, caPrivateKey: new Uint8Array(ed), statuses: {} }), /must be RSA or EC P-256\/384\/521, not ed25519/);
});
