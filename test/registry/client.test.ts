import { test } from 'node:test';
import assert from 'node:assert/strict';
import { createRegistryClient, type RegistryClient } from '../../source/registry/client.js';
import { isMoicaError, type MoicaError } from '../../source/errors.js';
import { CARD, cardBody, closedPort, fixture, json, type Handler } from './http-fixture.js';

/** A client whose backoff waits are recorded instead of slept. */
async function withClient(handler: Handler, run: (c: RegistryClient, waits: number[], f: Awaited<ReturnType<typeof fixture>>) => Promise<void>, timeoutMs = 5000) {
  const f = await fixture(handler);
  const waits: number[] = [];
  const client = createRegistryClient({ baseUrl: f.url, timeoutMs, sleep: async (ms) => { waits.push(ms); } });
  try {
    await run(client, waits, f);
  } finally {
    client.close();
    await f.close();
  }
}

function rejectsWith(code: string, check?: (e: MoicaError) => void) {
  return (e: unknown) => {
    assert.ok(isMoicaError(e), `expected a MoicaError, got ${String(e)}`);
    assert.equal(e.code, code, e.message);
    check?.(e);
    return true;
  };
}

test('a card answer is parsed: serials normalised, dates as Dates', async () => {
  await withClient((_q, res) => json(res, 200, cardBody()), async (client) => {
    const card = await client.getCard(CARD);
    assert.equal(card.cardNumber, CARD);
    assert.equal(card.certificates.length, 2);
    assert.equal(card.certificates[0]!.serialNumber, '3B7161C40F46488916A');
    assert.ok(card.certificates[0]!.notAfter instanceof Date);
    assert.equal(card.certificates[0]!.notAfter.toISOString(), '2029-03-01T00:00:00.000Z');
  });
});

test('lowercase and leading-zero serials from the registry come out upper-case without leading zeros', async () => {
  const body = cardBody({
    certificates: [{ slot: 0, usage: 'signature', serialNumber: '0003b7161c40f46488916a', status: 'valid',
      notBefore: '2024-03-01T00:00:00Z', notAfter: '2029-03-01T00:00:00Z', renewedFrom: '00abc' }],
  });
  await withClient((_q, res) => json(res, 200, body), async (client) => {
    const card = await client.getCard(CARD);
    assert.equal(card.certificates[0]!.serialNumber, '3B7161C40F46488916A');
    assert.equal(card.certificates[0]!.renewedFrom, 'ABC');
  });
});

test('connection refused: registry-unreachable after two retries', async () => {
  const port = await closedPort();
  const waits: number[] = [];
  const client = createRegistryClient({ baseUrl: `http://127.0.0.1:${port}`, timeoutMs: 5000, sleep: async (ms) => { waits.push(ms); } });
  await assert.rejects(client.getCard(CARD), rejectsWith('registry-unreachable'));
  assert.equal(waits.length, 2);
  client.close();
});

test('a body that stalls mid-way ends in registry-timeout', async () => {
  await withClient(
    (_q, res) => {
      res.writeHead(200, { 'content-type': 'application/json', 'content-length': '5000' });
      res.write('{"cardNumber":"TP0313'); // …and nothing more
    },
    async (client) => {
      await assert.rejects(client.getCard(CARD), rejectsWith('registry-timeout'));
    },
    300,
  );
});

test('500 then 200: the GET is retried once and succeeds', async () => {
  await withClient(
    (_q, res, i) => (i === 0 ? json(res, 500, '{"error":"boom"}') : json(res, 200, cardBody())),
    async (client, waits, f) => {
      const card = await client.getCard(CARD);
      assert.equal(card.certificates.length, 2);
      assert.equal(f.requests.length, 2);
      assert.equal(waits.length, 1);
      assert.ok(waits[0]! >= 100 && waits[0]! <= 200, `backoff ${waits[0]}`);
    },
  );
});

test('500 three times: registry-http 500 after at most two retries', async () => {
  await withClient((_q, res) => json(res, 500, '{}'), async (client, _w, f) => {
    await assert.rejects(client.getCard(CARD), rejectsWith('registry-http', (e) => assert.equal(e.detail.status, 500)));
    assert.equal(f.requests.length, 3);
  });
});

test('429 with Retry-After in seconds: waits that long, then retries', async () => {
  await withClient(
    (_q, res, i) => (i === 0 ? json(res, 429, '{}', { 'retry-after': '2' }) : json(res, 200, cardBody())),
    async (client, waits, f) => {
      await client.getCard(CARD);
      assert.deepEqual(waits, [2000]);
      assert.equal(f.requests.length, 2);
    },
  );
});

test('429 with Retry-After as an HTTP-date: waits until then', async () => {
  const now = Date.parse('2026-01-01T00:00:00Z');
  const f = await fixture((_q, res, i) =>
    i === 0 ? json(res, 429, '{}', { 'retry-after': new Date(now + 3000).toUTCString() }) : json(res, 200, cardBody()));
  const waits: number[] = [];
  const client = createRegistryClient({ baseUrl: f.url, timeoutMs: 5000, now: () => now, sleep: async (ms) => { waits.push(ms); } });
  try {
    await client.getCard(CARD);
    assert.deepEqual(waits, [3000]);
  } finally {
    client.close();
    await f.close();
  }
});

test('429 with a Retry-After beyond the cap: not waited for, registry-http 429', async () => {
  await withClient((_q, res) => json(res, 429, '{}', { 'retry-after': '3600' }), async (client, waits, f) => {
    await assert.rejects(client.getCard(CARD), rejectsWith('registry-http', (e) => assert.equal(e.detail.status, 429)));
    assert.equal(f.requests.length, 1);
    assert.deepEqual(waits, []);
  });
});

test('invalid JSON is registry-invalid', async () => {
  await withClient((_q, res) => json(res, 200, '{"cardNumber": "TP03'), async (client) => {
    await assert.rejects(client.getCard(CARD), rejectsWith('registry-invalid'));
  });
});

test('JSON of the wrong shape is registry-invalid', async () => {
  const wrong = [
    cardBody({ certificates: 'none' }),
    cardBody({ cardNumber: 'TP00000000000000' }),
    JSON.stringify({ cardNumber: CARD, certificates: [{ slot: 2, usage: 'signature', serialNumber: 'AB', status: 'valid',
      notBefore: '2024-03-01T00:00:00Z', notAfter: '2029-03-01T00:00:00Z', renewedFrom: null }] }),
    JSON.stringify({ cardNumber: CARD, certificates: [{ slot: 0, usage: 'signature', serialNumber: 'XYZ', status: 'valid',
      notBefore: '2024-03-01T00:00:00Z', notAfter: '2029-03-01T00:00:00Z', renewedFrom: null }] }),
    JSON.stringify({ cardNumber: CARD, certificates: [{ slot: 0, usage: 'signature', serialNumber: 'AB', status: 'ok',
      notBefore: '2024-03-01T00:00:00Z', notAfter: '2029-03-01T00:00:00Z', renewedFrom: null }] }),
    JSON.stringify({ cardNumber: CARD, certificates: [{ slot: 0, usage: 'signature', serialNumber: 'AB', status: 'valid',
      notBefore: 'yesterday', notAfter: '2029-03-01T00:00:00Z', renewedFrom: null }] }),
  ];
  await withClient((_q, res, i) => json(res, 200, wrong[i]!), async (client) => {
    for (let i = 0; i < wrong.length; i++) await assert.rejects(client.getCard(CARD), rejectsWith('registry-invalid'), `case ${i}`);
  });
});

test('a 10 MB body is refused without being downloaded whole', async () => {
  let finished = false;
  let serverClosed: () => void;
  const closed = new Promise<void>((r) => { serverClosed = r; });
  const chunk = Buffer.alloc(64 * 1024, 0x20);
  await withClient(
    (_q, res) => {
      res.writeHead(200, { 'content-type': 'application/json' }); // no length: the client must count
      let sent = 0;
      // One chunk per turn of the event loop, so the client (same process) reads as it would for real.
      const pump = () => {
        if (res.destroyed) return;
        if (sent >= 10 * 1024 * 1024) return void res.end(() => { finished = true; });
        sent += chunk.length;
        if (res.write(chunk)) setImmediate(pump);
        else res.once('drain', pump);
      };
      res.on('close', () => serverClosed());
      pump();
    },
    async (client) => {
      await assert.rejects(client.getCard(CARD), rejectsWith('registry-invalid', (e) => assert.equal(e.detail.maxBytes, 65536)));
      await closed;
      assert.equal(finished, false, 'the server got to write all 10 MB');
    },
  );
});

test('a declared Content-Length over the cap is refused at the headers', async () => {
  await withClient(
    (_q, res) => {
      res.writeHead(200, { 'content-type': 'application/pkix-cert', 'content-length': String(1024 * 1024) });
      res.write(Buffer.alloc(100, 0x30));
    },
    async (client) => {
      await assert.rejects(client.getCertificate('AB'), rejectsWith('registry-invalid'));
    },
  );
});

test('404 card-not-found is card-not-found; another 404 is registry-http', async () => {
  await withClient(
    (_q, res, i) => (i === 0 ? json(res, 404, '{"error":"card-not-found","message":"no"}') : json(res, 404, '<html>')),
    async (client) => {
      await assert.rejects(client.getCard(CARD), rejectsWith('card-not-found'));
      await assert.rejects(client.getCard(CARD), rejectsWith('registry-http', (e) => assert.equal(e.detail.status, 404)));
    },
  );
});

test('a certificate is DER with application/pkix-cert; anything else is registry-invalid', async () => {
  const der = Buffer.from([0x30, 0x03, 0x02, 0x01, 0x01]);
  await withClient(
    (q, res, i) => {
      assert.equal(q.url, '/v1/certificates/3B7161C40F46488916A');
      if (i === 0) { res.writeHead(200, { 'content-type': 'application/pkix-cert' }); res.end(der); }
      else json(res, 200, '{}');
    },
    async (client) => {
      assert.deepEqual(Buffer.from(await client.getCertificate('003b7161c40f46488916a')), der);
      await assert.rejects(client.getCertificate('3B7161C40F46488916A'), rejectsWith('registry-invalid'));
    },
  );
});

test('the rewrite POST is sent once, never retried, even on 503', async () => {
  await withClient((_q, res) => json(res, 503, '{}', { 'retry-after': '1' }), async (client, waits, f) => {
    await assert.rejects(
      client.postRewrite(CARD, { serialNumbers: ['ab'], result: 'completed', detail: 'ok' }),
      rejectsWith('registry-http', (e) => assert.equal(e.detail.status, 503)),
    );
    assert.equal(f.requests.length, 1);
    assert.deepEqual(waits, []);
  });
});

test('the rewrite POST carries the record, serials normalised; 201 resolves', async () => {
  await withClient((_q, res) => json(res, 201, '{}'), async (client, _w, f) => {
    await client.postRewrite(CARD, { serialNumbers: ['00ab', 'cd'], result: 'failed', detail: 'read-back differs' });
    assert.equal(f.requests[0]!.method, 'POST');
    assert.equal(f.requests[0]!.url, `/v1/cards/${CARD}/rewrites`);
    assert.deepEqual(JSON.parse(f.requests[0]!.body), { serialNumbers: ['AB', 'CD'], result: 'failed', detail: 'read-back differs' });
  });
});

test('many requests reuse one kept-alive connection', async () => {
  await withClient((_q, res) => json(res, 200, cardBody()), async (client, _w, f) => {
    for (let i = 0; i < 5; i++) await client.getCard(CARD);
    assert.equal(f.requests.length, 5);
    assert.equal(f.connections, 1);
  });
});

test('HTTPS is required unless the registry is on loopback', () => {
  for (const ok of ['http://127.0.0.1:8080', 'http://127.1.2.3/', 'http://localhost:1/base/', 'http://[::1]:9', 'https://registry.example.tw']) {
    createRegistryClient({ baseUrl: ok, timeoutMs: 1000 }).close();
  }
  for (const bad of ['http://registry.example.tw', 'http://10.0.0.1', 'ftp://127.0.0.1', 'not a url', 'https://u:p@example.tw']) {
    assert.throws(() => createRegistryClient({ baseUrl: bad, timeoutMs: 1000 }), rejectsWith('usage'), bad);
  }
  assert.equal(createRegistryClient({ baseUrl: 'http://localhost:1/base/', timeoutMs: 1 }).baseUrl, 'http://localhost:1/base');
});
