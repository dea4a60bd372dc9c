/**
 * OCSP answers, mutated, into the verifier. Two ways: the whole signed response changed byte by byte
 * (mostly caught by parsing or the signature), and the tbsResponseData changed and then signed again with
 * the CA's key (so the signature holds and the nonce, certID, dates and certStatus checks are what stand).
 */
import { createPrivateKey, sign, type KeyObject } from 'node:crypto';
import * as pkijs from 'pkijs';
import { buildNamedScenario } from '../../../source/virtual/demos.js';
import { certIdFor, findNonce, nonceExtension, parseCertificate } from '../../../source/registry/ocsp-asn1.js';
import { createOcspResponder, type OcspStatusEntry } from '../../../source/registry/server/ocsp-responder.js';
import { OcspFailure, verifyOcspResponse, type Expectation } from '../../../source/registry/ocsp-verify.js';
import { mutateBytes } from '../prng.js';
import type { Target } from '../harness.js';

const REASONS = new Set(['bad-signature', 'nonce-mismatch', 'stale', 'invalid', 'timeout', 'unreachable', 'no-responder', 'no-issuer', 'disabled', 'unverifiable']);
const SERIAL = /^(?:0|[1-9A-F][0-9A-F]*)$/;

/** DER TLV with a definite length (test-side assembly of a response the verifier then parses). */
export function tlv(tag: number, ...parts: Uint8Array[]): Uint8Array {
  const body = Buffer.concat(parts);
  const n = body.length;
  const length = n < 0x80 ? [n] : n < 0x100 ? [0x81, n] : n < 0x10000 ? [0x82, n >> 8, n & 0xff] : [0x83, n >> 16, (n >> 8) & 0xff, n & 0xff];
  return Buffer.concat([Buffer.from([tag, ...length]), body]);
}

const BASIC_OID = Buffer.from('06092b0601050507300101', 'hex');

/** An OCSPResponse (successful, basic) around a tbsResponseData, signed with `key`. */
export function signedResponse(tbs: Uint8Array, signatureAlgorithm: Uint8Array, key: KeyObject): Uint8Array {
  const signature = sign('sha256', tbs, key);
  const basic = tlv(0x30, tbs, signatureAlgorithm, tlv(0x03, Buffer.from([0]), signature));
  return tlv(0x30, Buffer.from('0a0100', 'hex'), tlv(0xa0, tlv(0x30, BASIC_OID, tlv(0x04, basic))));
}

export interface OcspFixtureForFuzz {
  response: Uint8Array;
  tbs: Uint8Array;
  signatureAlgorithm: Uint8Array;
  key: KeyObject;
  expectation: Expectation;
}

/** A valid answer from the in-process responder, and what the verifier expects of it. */
export async function ocspFixture(): Promise<OcspFixtureForFuzz> {
  const demo = await buildNamedScenario('revoked');
  const statuses: Record<string, OcspStatusEntry> = {};
  for (const e of Object.values(demo.ocsp.entries)) {
    statuses[e.serialNumber] = e.status === 'revoked' ? { status: 'revoked', reason: e.reason ?? 'keyCompromise', revokedAt: new Date('2024-01-02T03:04:05Z') } : { status: e.status };
  }
  const responder = await createOcspResponder({ caCertDer: demo.ocsp.issuer.der, caPrivateKey: demo.ocsp.responderKeyPkcs8, statuses });
  const issuer = parseCertificate(demo.ocsp.issuer.der);
  const certId = certIdFor(demo.onCard[0].serialNumber, issuer);
  const nonce = nonceExtension();
  const request = new pkijs.OCSPRequest({ tbsRequest: new pkijs.TBSRequest({ requestList: [new pkijs.Request({ reqCert: certId })], requestExtensions: [nonce] }) });
  const now = demo.now;
  const response = await responder(new Uint8Array(request.toSchema(true).toBER(false)), now);
  const outer = pkijs.OCSPResponse.fromBER(new Uint8Array(response));
  const basic = pkijs.BasicOCSPResponse.fromBER(new Uint8Array(outer.responseBytes!.response.valueBlock.valueHexView));
  return {
    response,
    tbs: new Uint8Array(basic.tbsResponseData.tbsView),
    signatureAlgorithm: new Uint8Array(basic.signatureAlgorithm.toSchema().toBER(false)),
    key: createPrivateKey({ key: Buffer.from(demo.ocsp.responderKeyPkcs8), format: 'der', type: 'pkcs8' }),
    expectation: { issuer, certId, nonce: findNonce([nonce])!, now },
  };
}

export async function ocspTarget(): Promise<Target> {
  const f = await ocspFixture();
  // The unmutated answer must verify, or the fuzzing below proves nothing.
  await verifyOcspResponse(f.response, f.expectation);
  return {
    name: 'ocsp',
    async run(rng, _index, applied) {
      let der: Uint8Array;
      if (rng.chance(0.4)) {
        const m = mutateBytes(f.tbs, rng, ['bitFlip', 'byteSet', 'truncate', 'extend', 'lengthEdit', 'splice']);
        applied.push('re-signed', ...m.applied);
        der = signedResponse(m.bytes, f.signatureAlgorithm, f.key);
      } else {
        const m = mutateBytes(f.response, rng);
        applied.push(...m.applied);
        der = m.bytes;
      }
      const answer = await verifyOcspResponse(der, f.expectation);
      if (!SERIAL.test(answer.serialNumber) || !['good', 'revoked', 'unknown'].includes(answer.status)) {
        throw new Error(`verify returned ${JSON.stringify(answer)}`);
      }
    },
    typedCode: (e) => (e instanceof OcspFailure && REASONS.has(e.reason) ? e.reason : undefined),
  };
}
