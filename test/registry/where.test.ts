/** Where to ask (where.ts), and the card's CA area judged by key through the card access (virtual card). */
import { test } from 'node:test';
import assert from 'node:assert/strict';
import { buildScenario, type ScenarioSpec } from '../../source/virtual/scenario.js';
import { InProcessTransport } from '../../source/virtual/in-process.js';
import { DEFAULT_CRL_URL } from '../../source/virtual/pki.js';
import { openCardAccess } from '../../source/engine/card-access.js';
import { ocspFor } from '../../source/engine/check.js';
import { aiaOcspUrls, cdpUrls, statusUrls } from '../../source/registry/where.js';
import { ISSUERS, type CardTrust } from '../../source/registry/issuer.js';
import { isMoicaError } from '../../source/errors.js';

const spec = (extra: Partial<ScenarioSpec> = {}): ScenarioSpec => ({
  name: 'where',
  cardNumber: 'TP03130708163649',
  onCard: [{ serialNumber: '3B7161C40F46488916A', notBefore: -100, notAfter: 900 }, { serialNumber: '3B7161C40F46488916B', notBefore: -100, notAfter: 900 }],
  ...extra,
});

async function open(extra: Partial<ScenarioSpec> = {}) {
  const built = await buildScenario(spec(extra));
  const transport = new InProcessTransport();
  transport.insert(built.card);
  const access = await openCardAccess({ timeoutMs: 5000 } as never, { transport, close: () => transport.close() });
  return { built, access, close: async () => { await access.close(); await transport.close(); } };
}

test('the virtual PKI\'s holder certificates carry AIA (OCSP) and CDP URLs a test chooses; the default CDP is a dead loopback port', async () => {
  const { built, close } = await open({ ocspUrl: 'http://127.0.0.1:1234/ocsp', crlUrls: ['http://127.0.0.1:1234/part7.crl', 'http://127.0.0.1:1234/complete.crl'] });
  try {
    assert.deepEqual(aiaOcspUrls(built.onCard[0].der), ['http://127.0.0.1:1234/ocsp']);
    assert.deepEqual(cdpUrls(built.onCard[0].der), ['http://127.0.0.1:1234/part7.crl', 'http://127.0.0.1:1234/complete.crl']);
  } finally {
    await close();
  }
  const plain = await buildScenario(spec());
  assert.deepEqual(cdpUrls(plain.onCard[1].der), [DEFAULT_CRL_URL]);
  assert.deepEqual(cdpUrls(new Uint8Array([1, 2, 3])), []);
});

test('an unknown CA (the test PKI): asked where the holder certificate says, read from the card only on that path', async () => {
  const { built, access, close } = await open({ ocspUrl: 'http://127.0.0.1:1234/ocsp', crlUrls: ['http://127.0.0.1:1234/part7.crl'] });
  try {
    const trust = await access.trust();
    assert.equal(trust.issuer, 'unknown');
    assert.equal(trust.chain, 'verified');
    let reads = 0;
    const urls = await statusUrls({ trust, holderDer: async () => { reads++; return built.onCard[0].der; } });
    assert.equal(reads, 1);
    assert.equal(urls.holderRead, true);
    assert.deepEqual(urls.ocsp, { url: 'http://127.0.0.1:1234/ocsp', source: 'certificate' });
    assert.deepEqual(urls.crl, [{ url: 'http://127.0.0.1:1234/part7.crl', source: 'certificate' }]);
    const overridden = await statusUrls({ trust, ocspOption: 'http://127.0.0.1:5/x', holderDer: async () => undefined });
    assert.deepEqual(overridden.ocsp, { url: 'http://127.0.0.1:5/x', source: 'option' });
    assert.equal((await statusUrls({ trust, ocspOption: false })).ocsp, false);
    assert.deepEqual((await statusUrls({ trust, fallbackOcsp: 'http://fallback/' })).ocsp, { url: 'http://fallback/', source: 'default' });
  } finally {
    await close();
  }
});

test('a known CA: the table\'s URLs with no holder read; with CRLs wanted, the CDP partition first, then the complete CRL', async () => {
  const g2 = ISSUERS.FA9B3467090A9822F762488B8226A645C5C322A4!;
  const trust: CardTrust = {
    issuer: 'known', generation: 'G2', name: g2.name, keyId: g2.keyId, caSha256: g2.sha256, caDer: null, root: null,
    chain: 'ca-only', holdersVerified: 0, ocspUrl: g2.ocspUrl, crlUrl: g2.crlUrl,
  };
  let reads = 0;
  const built = await buildScenario(spec({ crlUrls: ['http://127.0.0.1:1234/part7.crl'] }));
  const holderDer = async () => { reads++; return built.onCard[0].der; };
  const urls = await statusUrls({ trust, holderDer });
  assert.equal(reads, 0);
  assert.deepEqual(urls.ocsp, { url: 'http://moica.nat.gov.tw/cgi-bin/OCSP/ocsp_server.exe', source: 'issuer-table' });
  assert.deepEqual(urls.crl, [{ url: g2.crlUrl, source: 'issuer-table' }]);
  const withCrl = await statusUrls({ trust, holderDer, wantCrl: true });
  assert.equal(reads, 1);
  assert.deepEqual(withCrl.crl.map((c) => c.source), ['certificate', 'issuer-table']);
  assert.equal(withCrl.crl[0]!.url, 'http://127.0.0.1:1234/part7.crl');
  const asked = await statusUrls({ trust, holderDer, fromCertificate: true });
  assert.equal(asked.ocsp && asked.ocsp.source, 'certificate');
});

test('a corrupted CA area on the card (CA or root signature): the card is inconsistent, the check never gets to a verdict', async () => {
  for (const caAreaFault of ['issuing-signature', 'root-signature'] as const) {
    const { access, close } = await open({ caAreaFault });
    try {
      await assert.rejects(access.trust(), (e) => isMoicaError(e, 'card-inconsistent') && e.detail.area === 'ca-certificates', caAreaFault);
      await assert.rejects(
        ocspFor(access, { registry: {} as never, ocspUrl: 'http://127.0.0.1:9/', timeoutMs: 1000 }, ['3B7161C40F46488916A'], new Date()),
        (e) => isMoicaError(e, 'card-inconsistent'),
      );
    } finally {
      await close();
    }
  }
  const { access, close } = await open();
  try {
    assert.ok(await access.issuerDer(), 'a sound card gives its issuing CA');
  } finally {
    await close();
  }
});
