/** OCSP against OpenSSL's real responder (`openssl ocsp`), started at test time on 127.0.0.1. */
import { after, before, test } from 'node:test';
import assert from 'node:assert/strict';
import http from 'node:http';
import type { AddressInfo } from 'node:net';
import * as pkijs from 'pkijs';
import { askOcsp, checkOcsp, ocspGetUrl, type OcspCheck } from '../../source/registry/ocsp.js';
import { ocspTarget } from '../../source/registry/ocsp-url.js';
import { aiaOcspUrls } from '../../source/registry/where.js';
import { parseOptions } from '../../source/options.js';
import { OID, certIdFor, findNonce, nonceExtension, parseCertificate } from '../../source/registry/ocsp-asn1.js';
import { OcspFailure, verifyOcspResponse } from '../../source/registry/ocsp-verify.js';
import { isMoicaError } from '../../source/errors.js';
import { makePki, preProduce, preProducedServer, startResponder, writeIndex, type Responder, type TestPki } from './openssl-rig.js';
import { closedPort } from './http-fixture.js';
import { localeCompareCalls } from './locale-compare.js';

const VALID = '3B7161C40F46488916A';
const REVOKED = '69D8DCA6BECC064523';
const SUSPENDED = '1234ABCD';
const UNKNOWN = 'DEADBEEF';

let pki: TestPki;
const responders: Record<string, Responder> = {};

before(async () => {
  pki = makePki();
  writeIndex(pki, [
    { serial: VALID, status: 'V' },
    { serial: REVOKED, status: 'R', reason: 'keyCompromise' },
    { serial: SUSPENDED, status: 'R', reason: 'certificateHold,holdInstructionReject' },
  ]);
  const [delegated, direct, noeku, forged, outsider, shortLived, noCerts, noCertsByKey, noekuNoCerts] = await Promise.all([
    startResponder(pki, 'resp'),
    startResponder(pki, 'ca'),
    startResponder(pki, 'noeku'),
    startResponder(pki, 'fakeca'),
    startResponder(pki, 'outsider'),
    startResponder(pki, 'resp', ['-nmin', '1']),
    startResponder(pki, 'resp', ['-resp_no_certs']),
    startResponder(pki, 'resp', ['-resp_no_certs', '-resp_key_id']),
    startResponder(pki, 'noeku', ['-resp_no_certs']),
  ]);
  Object.assign(responders, { delegated, direct, noeku, forged, outsider, shortLived, noCerts, noCertsByKey, noekuNoCerts });
});

after(async () => {
  await Promise.all(Object.values(responders).map((r) => r.close()));
  pki?.cleanup();
});

const check = (url: string | false | undefined, serialNumbers: string[], now?: Date, more: Partial<OcspCheck> = {}) =>
  checkOcsp({ serialNumbers, issuerDer: pki.caDer, url, timeoutMs: 5000, ...(now ? { now } : {}), ...more });

/** POST one OCSP request for `serial` with a nonce; the raw answer and the nonce sent. */
async function rawExchange(url: string, serial: string, withNonce = true): Promise<{ der: Uint8Array; nonce: Uint8Array }> {
  const issuer = parseCertificate(pki.caDer);
  const nonce = nonceExtension();
  const req = new pkijs.OCSPRequest({
    tbsRequest: new pkijs.TBSRequest({ requestList: [new pkijs.Request({ reqCert: certIdFor(serial, issuer) })], ...(withNonce ? { requestExtensions: [nonce] } : {}) }),
  });
  const res = await fetch(url, { method: 'POST', headers: { 'content-type': 'application/ocsp-request' }, body: Buffer.from(req.toSchema(true).toBER(false)) });
  return { der: new Uint8Array(await res.arrayBuffer()), nonce: findNonce([nonce])! };
}

/** A server that answers every request with the same bytes (a replaying man in the middle). */
async function replayServer(body: Uint8Array): Promise<{ url: string; close(): Promise<void> }> {
  const server = http.createServer((req, res) => {
    req.resume();
    req.on('end', () => { res.writeHead(200, { 'content-type': 'application/ocsp-response' }); res.end(body); });
  });
  await new Promise<void>((r) => server.listen(0, '127.0.0.1', r));
  return {
    url: `http://127.0.0.1:${(server.address() as AddressInfo).port}/`,
    close: () => new Promise<void>((r) => { server.closeAllConnections(); server.close(() => r()); }),
  };
}

test('OpenSSL\'s responder echoes the request nonce', async () => {
  const { der, nonce } = await rawExchange(responders.delegated!.url, VALID);
  const response = pkijs.OCSPResponse.fromBER(new Uint8Array(der));
  const basic = pkijs.BasicOCSPResponse.fromBER(new Uint8Array(response.responseBytes!.response.valueBlock.valueHexView));
  const echoed = findNonce(basic.tbsResponseData.responseExtensions);
  assert.ok(echoed, 'no nonce in the response');
  assert.deepEqual(Buffer.from(echoed), Buffer.from(nonce));
});

test('valid, revoked (keyCompromise), suspended (certificateHold) and unknown, from a delegated responder, in one wave', async () => {
  const report = await check(responders.delegated!.url, [VALID, REVOKED, SUSPENDED, UNKNOWN]);
  assert.equal(report.checked, true, report.detail);
  assert.equal(report.notCheckedReason, undefined);
  const bySerial = Object.fromEntries(report.certificates.map((a) => [a.serialNumber, a]));
  assert.equal(bySerial[VALID]!.status, 'good');
  assert.equal(bySerial[VALID]!.reason, null);
  assert.equal(bySerial[REVOKED]!.status, 'revoked');
  assert.equal(bySerial[REVOKED]!.reason, 'keyCompromise');
  assert.equal(bySerial[REVOKED]!.revokedAt?.toISOString(), '2024-01-01T00:00:00.000Z');
  assert.equal(bySerial[SUSPENDED]!.status, 'revoked');
  assert.equal(bySerial[SUSPENDED]!.reason, 'certificateHold');
  assert.equal(bySerial[UNKNOWN]!.status, 'unknown');
});

test('a response signed by the CA itself is accepted', async () => {
  const report = await check(responders.direct!.url, [VALID, REVOKED]);
  assert.equal(report.checked, true, report.detail);
  assert.deepEqual(report.certificates.map((a) => a.status).sort(), ['good', 'revoked']);
});

test('names the same DER are matched by their bytes: a CA-signed and a delegated answer verify without String#localeCompare (ICU collation)', async () => {
  const calls = await localeCompareCalls(async () => {
    const direct = await check(responders.direct!.url, [VALID]);
    const delegated = await check(responders.delegated!.url, [VALID]);
    assert.equal(direct.checked, true, direct.detail);
    assert.equal(delegated.checked, true, delegated.detail);
  });
  assert.equal(calls, 0);
});

test('a forged response (the CA\'s name, another key) is refused with a warning', async () => {
  const report = await check(responders.forged!.url, [VALID]);
  assert.equal(report.checked, false);
  assert.equal(report.notCheckedReason, 'bad-signature');
  assert.equal(report.warning, true);
  assert.deepEqual(report.certificates, []);
});

test('a response signed by a responder another CA issued is refused', async () => {
  const report = await check(responders.outsider!.url, [VALID]);
  assert.equal(report.notCheckedReason, 'bad-signature');
  assert.match(report.detail ?? '', /not issued by the card's CA/);
  assert.equal(report.warning, true);
});

test('a responder certificate from the CA without id-kp-OCSPSigning is refused', async () => {
  const report = await check(responders.noeku!.url, [VALID]);
  assert.equal(report.checked, false);
  assert.equal(report.notCheckedReason, 'bad-signature');
  assert.match(report.detail ?? '', /OCSPSigning/);
});

test('a replayed response (another request\'s nonce) is refused', async () => {
  const { der } = await rawExchange(responders.delegated!.url, VALID);
  const replay = await replayServer(der);
  try {
    const report = await check(replay.url, [VALID]);
    assert.equal(report.checked, false);
    assert.equal(report.notCheckedReason, 'nonce-mismatch');
  } finally {
    await replay.close();
  }
});

// Issue 11 changed this rule: an answer without a nonce used to be refused ('nonce-mismatch'); it is now
// the RFC 5019 form (pre-produced answers) and is accepted when fresh, reported `nonce: false`.
test('a genuine response without a nonce is accepted when fresh, and reported nonce: false', async () => {
  const { der, nonce } = await rawExchange(responders.delegated!.url, VALID, false);
  const issuer = parseCertificate(pki.caDer);
  const answer = await verifyOcspResponse(der, { issuer, certId: certIdFor(VALID, issuer), nonce, now: new Date() });
  assert.equal(answer.status, 'good');
  assert.equal(answer.nonce, false);
  assert.equal(answer.signer, 'delegated');
  // ...but not when it is out of date
  await assert.rejects(
    verifyOcspResponse(der, { issuer, certId: certIdFor(VALID, issuer), nonce, now: new Date(Date.now() + 2 * 24 * 3600_000) }),
    (e) => e instanceof OcspFailure && e.reason === 'stale',
  );
});

test('an echoed nonce is reported nonce: true, with the signer kind (delegated, ca)', async () => {
  const delegated = await check(responders.delegated!.url, [VALID, REVOKED]);
  assert.equal(delegated.checked, true, delegated.detail);
  assert.equal(delegated.nonce, true);
  assert.equal(delegated.signer, 'delegated');
  assert.ok(delegated.certificates.every((a) => a.nonce === true && a.signer === 'delegated' && a.certIdHash === 'sha1'));
  const direct = await check(responders.direct!.url, [VALID]);
  assert.equal(direct.signer, 'ca');
  assert.equal(direct.certificates[0]!.signer, 'ca');
});

test('a delegated responder that embeds no certificate (-resp_no_certs): unverifiable, not forged; pinned, it is accepted', async () => {
  for (const url of [responders.noCerts!.url, responders.noCertsByKey!.url]) {
    const report = await check(url, [VALID, REVOKED]);
    assert.equal(report.checked, false);
    assert.equal(report.notCheckedReason, 'unverifiable');
    assert.equal(report.warning, undefined, 'an unfound signer is not a forgery warning');
    assert.match(report.detail ?? '', /cannot be found/);
    const pinned = await check(url, [VALID, REVOKED], undefined, { pinnedResponders: [pki.der('resp')] });
    assert.equal(pinned.checked, true, pinned.detail);
    assert.equal(pinned.signer, 'pinned');
    assert.equal(pinned.nonce, true);
    assert.deepEqual(pinned.certificates.map((a) => a.status).sort(), ['good', 'revoked']);
  }
});

test('a pinned certificate still has to be a responder the CA authorised', async () => {
  // noeku: issued by the CA, without id-kp-OCSPSigning; outsider: OCSPSigning, from another CA (same name)
  const noEku = await check(responders.noekuNoCerts!.url, [VALID], undefined, { pinnedResponders: [pki.der('noeku')] });
  assert.equal(noEku.notCheckedReason, 'bad-signature');
  assert.match(noEku.detail ?? '', /OCSPSigning/);
  const wrongPin = await check(responders.noCerts!.url, [VALID], undefined, { pinnedResponders: [pki.der('outsider')] });
  assert.equal(wrongPin.notCheckedReason, 'unverifiable', 'a pinned certificate the answer does not name is not its signer');
  const bad = await check(responders.noCerts!.url, [VALID], undefined, { pinnedResponders: [new Uint8Array([1, 2, 3])] });
  assert.equal(bad.checked, false);
  assert.equal(bad.notCheckedReason, 'invalid');
  assert.match(bad.detail ?? '', /not a certificate/);
});

test('pre-produced answers without a nonce (openssl ocsp -no_nonce -respout), one with a SHA-256 CertID, over POST', async () => {
  const server = await preProducedServer({
    [VALID]: preProduce(pki, VALID, 'resp'),
    [REVOKED]: preProduce(pki, REVOKED, 'resp', { sha256: true }),
    [SUSPENDED]: preProduce(pki, SUSPENDED, 'ca'),
  });
  try {
    const report = await check(server.url, [VALID, REVOKED, SUSPENDED]);
    assert.equal(report.checked, true, report.detail);
    assert.equal(report.nonce, false);
    const by = Object.fromEntries(report.certificates.map((a) => [a.serialNumber, a]));
    assert.equal(by[VALID]!.status, 'good');
    assert.equal(by[VALID]!.certIdHash, 'sha1');
    assert.equal(by[REVOKED]!.status, 'revoked');
    assert.equal(by[REVOKED]!.reason, 'keyCompromise');
    assert.equal(by[REVOKED]!.certIdHash, 'sha256', 'a SHA-256 CertID answers a SHA-1 request');
    assert.equal(by[SUSPENDED]!.reason, 'certificateHold');
    assert.equal(by[SUSPENDED]!.signer, 'ca');
    assert.ok(report.certificates.every((a) => a.nonce === false));
    assert.deepEqual(server.methods, ['POST', 'POST', 'POST']);
  } finally {
    await server.close();
  }
});

test('a pre-produced answer for another serial is refused; a stale one too', async () => {
  const server = await preProducedServer({ [REVOKED]: preProduce(pki, VALID, 'resp'), [VALID]: preProduce(pki, VALID, 'resp', { extra: ['-nmin', '1'] }) });
  try {
    const other = await check(server.url, [REVOKED]);
    assert.equal(other.checked, false);
    assert.equal(other.notCheckedReason, 'invalid');
    assert.match(other.detail ?? '', new RegExp(`not about serial ${REVOKED}`));
    const fresh = await check(server.url, [VALID]);
    assert.equal(fresh.checked, true, fresh.detail);
    const stale = await check(server.url, [VALID], new Date(Date.now() + 10 * 60_000));
    assert.equal(stale.notCheckedReason, 'stale');
  } finally {
    await server.close();
  }
});

test('GET when the request is small (RFC 5019 §5): the pre-produced server and OpenSSL\'s responder both answer it', async () => {
  const server = await preProducedServer({ [VALID]: preProduce(pki, VALID, 'resp') });
  try {
    const report = await check(server.url, [VALID], undefined, { method: 'get-if-small' });
    assert.equal(report.checked, true, report.detail);
    assert.deepEqual(server.methods, ['GET']);
  } finally {
    await server.close();
  }
  const live = await check(responders.delegated!.url, [VALID, REVOKED], undefined, { method: 'get-if-small' });
  assert.equal(live.checked, true, live.detail);
  assert.equal(live.nonce, true);
  // The URL bound: under 255 bytes GET, else POST.
  assert.equal(ocspGetUrl('http://h/', new Uint8Array(100))?.startsWith('http://h/'), true);
  assert.equal(ocspGetUrl('http://h/', new Uint8Array(200)), undefined);
});

test('a SHA-256 CertID request to OpenSSL\'s responder', async () => {
  const report = await check(responders.delegated!.url, [VALID, REVOKED], undefined, { certIdHash: 'sha256' });
  assert.equal(report.checked, true, report.detail);
  assert.ok(report.certificates.every((a) => a.certIdHash === 'sha256'));
  assert.equal(OID.sha256, certIdFor(VALID, parseCertificate(pki.caDer), OID.sha256).hashAlgorithm.algorithmId);
});

test('a stale response (nextUpdate passed) is refused', async () => {
  // -nmin 1: nextUpdate = thisUpdate + 1 min; ten minutes on, it is past even with the 5-minute skew.
  const fresh = await check(responders.shortLived!.url, [VALID]);
  assert.equal(fresh.checked, true, fresh.detail);
  assert.ok(fresh.certificates[0]!.nextUpdate, 'the responder set no nextUpdate');
  const later = await check(responders.shortLived!.url, [VALID], new Date(Date.now() + 10 * 60_000));
  assert.equal(later.checked, false);
  assert.equal(later.notCheckedReason, 'stale');
});

test('without nextUpdate, status older than the max age is stale; a thisUpdate in the future too', async () => {
  // The CA-signed responder: the delegated responder's own certificate was not yet valid an hour ago.
  const twoDaysOn = await check(responders.direct!.url, [VALID], new Date(Date.now() + 2 * 24 * 3600_000));
  assert.equal(twoDaysOn.notCheckedReason, 'stale');
  const anHourAgo = await check(responders.direct!.url, [VALID], new Date(Date.now() - 3600_000));
  assert.equal(anHourAgo.notCheckedReason, 'stale');
});

test('an answer about another certificate is refused', async () => {
  const { der, nonce } = await rawExchange(responders.delegated!.url, VALID);
  const issuer = parseCertificate(pki.caDer);
  await assert.rejects(
    verifyOcspResponse(der, { issuer, certId: certIdFor(REVOKED, issuer), nonce, now: new Date() }),
    (e) => e instanceof OcspFailure && e.reason === 'invalid',
  );
  const ok = await verifyOcspResponse(der, { issuer, certId: certIdFor(`000${VALID.toLowerCase()}`, issuer), nonce, now: new Date() });
  assert.equal(ok.status, 'good');
});

test('a partly failed wave keeps the verified answer and says why the rest failed', async () => {
  // A front that passes the first request to OpenSSL and answers 503 to the next.
  let seen = 0;
  const front = http.createServer((req, res) => {
    const chunks: Buffer[] = [];
    req.on('data', (c: Buffer) => chunks.push(c));
    req.on('end', async () => {
      if (seen++ > 0) return void res.writeHead(503).end();
      const upstream = await fetch(responders.delegated!.url, { method: 'POST', headers: { 'content-type': 'application/ocsp-request' }, body: Buffer.concat(chunks) });
      res.writeHead(200, { 'content-type': 'application/ocsp-response' }).end(Buffer.from(await upstream.arrayBuffer()));
    });
  });
  await new Promise<void>((r) => front.listen(0, '127.0.0.1', r));
  try {
    const report = await check(`http://127.0.0.1:${(front.address() as AddressInfo).port}/`, [VALID, REVOKED]);
    assert.equal(report.checked, false);
    assert.equal(report.notCheckedReason, 'invalid');
    assert.match(report.detail ?? '', /HTTP 503/);
    assert.equal(report.certificates.length, 1);
    assert.ok([VALID, REVOKED].includes(report.certificates[0]!.serialNumber));
  } finally {
    front.closeAllConnections();
    await new Promise<void>((r) => front.close(() => r()));
  }
});

test('a responder nobody listens on: unreachable', async () => {
  const port = await closedPort();
  const report = await check(`http://127.0.0.1:${port}/`, [VALID, REVOKED]);
  assert.equal(report.checked, false);
  assert.equal(report.notCheckedReason, 'unreachable');
});

test('askOcsp answers one serial', async () => {
  const answer = await askOcsp(VALID, parseCertificate(pki.caDer), responders.delegated!.url, 5000, new Date());
  assert.equal(answer.serialNumber, VALID);
  assert.equal(answer.status, 'good');
});

test('a responder that never answers: timeout', async () => {
  const server = http.createServer(() => { /* never answers */ });
  await new Promise<void>((r) => server.listen(0, '127.0.0.1', r));
  try {
    const report = await checkOcsp({ serialNumbers: [VALID], issuerDer: pki.caDer, url: `http://127.0.0.1:${(server.address() as AddressInfo).port}/`, timeoutMs: 200 });
    assert.equal(report.notCheckedReason, 'timeout');
  } finally {
    server.closeAllConnections();
    await new Promise<void>((r) => server.close(() => r()));
  }
});

test('garbage from the responder is invalid, not a crash', async () => {
  const replay = await replayServer(new Uint8Array([0x30, 0x03, 0x0a, 0x01, 0x00]));
  try {
    const report = await check(replay.url, [VALID]);
    assert.equal(report.notCheckedReason, 'invalid');
  } finally {
    await replay.close();
  }
});

test('disabled, no responder, no issuer', async () => {
  assert.equal((await check(false, [VALID])).notCheckedReason, 'disabled');
  assert.equal((await check(undefined, [VALID])).notCheckedReason, 'no-responder');
  const noIssuer = await checkOcsp({ serialNumbers: [VALID], issuerDer: undefined, url: responders.delegated!.url, timeoutMs: 1000 });
  assert.equal(noIssuer.notCheckedReason, 'no-issuer');
  const badIssuer = await checkOcsp({ serialNumbers: [VALID], issuerDer: new Uint8Array([1, 2, 3]), url: responders.delegated!.url, timeoutMs: 1000 });
  assert.equal(badIssuer.notCheckedReason, 'no-issuer');
});

test('the responder URL: --ocsp wins, --no-ocsp turns it off, else the card\'s CA chooses (the certificate\'s AIA); --ocsp must be http(s)', () => {
  assert.deepEqual(ocspTarget('http://127.0.0.1:9/'), { url: 'http://127.0.0.1:9/', fromCard: false });
  assert.deepEqual(ocspTarget(false), { url: false, fromCard: false });
  assert.equal(ocspTarget(undefined).fromCard, true);
  assert.deepEqual(aiaOcspUrls(pki.caDer), []); // the test CA carries no AIA
  assert.throws(() => parseOptions(['check', '--ocsp', 'ftp://x'], {}), (e) => isMoicaError(e, 'usage'));
  assert.throws(() => parseOptions(['check', '--ocsp', 'not a url'], {}), (e) => isMoicaError(e, 'usage'));
  assert.equal(parseOptions(['check', '--ocsp', 'https://127.0.0.1:9/'], {}).ocsp, 'https://127.0.0.1:9/');
});
