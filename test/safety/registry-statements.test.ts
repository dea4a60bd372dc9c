/**
 * Issue 13 item 9 (safety's pieces): a registry entry whose notBefore is after its notAfter is
 * registry-invalid (exit 4), never a verdict; loopback means 127.0.0.0/8, ::1 and `localhost` only.
 */
import { test } from 'node:test';
import assert from 'node:assert/strict';
import { cardResponseSchema, registryDataSchema } from '../../source/registry/schema.js';
import { createRegistryClient } from '../../source/registry/client.js';
import { checkRegistryUrl, isLoopbackHost } from '../../source/registry/url.js';
import { isMoicaError } from '../../source/errors.js';
import { ERROR_EXIT } from '../../source/exit.js';
import { CARD, cardBody, fixture, json } from '../registry/http-fixture.js';

const reversed = () => {
  const body = JSON.parse(cardBody());
  body.certificates[1].notBefore = '2029-03-01T00:00:00Z';
  body.certificates[1].notAfter = '2024-03-01T00:00:00Z';
  return body;
};

test('schema: notBefore > notAfter is refused in the card answer and in serve-registry data; equal dates pass', () => {
  const bad = cardResponseSchema.safeParse(reversed());
  assert.equal(bad.success, false);
  assert.match(JSON.stringify(bad.error!.issues), /notBefore is after notAfter/);
  const same = JSON.parse(cardBody());
  same.certificates[0].notAfter = same.certificates[0].notBefore;
  assert.equal(cardResponseSchema.safeParse(same).success, true);
  const data = { cards: { [CARD]: { certificates: reversed().certificates } }, certificates: {} };
  assert.equal(registryDataSchema.safeParse(data).success, false);
});

test('client: a registry answering reversed dates gives registry-invalid (exit 4), not a verdict', async () => {
  const f = await fixture((_req, res) => json(res, 200, JSON.stringify(reversed())));
  const client = createRegistryClient({ baseUrl: f.url, timeoutMs: 2000 });
  try {
    let caught: unknown;
    await client.getCard(CARD).catch((e) => (caught = e));
    assert.ok(isMoicaError(caught, 'registry-invalid'), String(caught));
    assert.equal(ERROR_EXIT['registry-invalid'], 4);
    assert.match(caught.message, /notBefore is after notAfter/);
  } finally {
    client.close();
    await f.close();
  }
});

test('loopback: 127.0.0.0/8, ::1 and localhost only; *.localhost, IPv4-mapped and look-alikes are not', () => {
  for (const host of ['127.0.0.1', '127.255.255.254', '127.1.2.3', '[::1]', '::1', 'localhost', 'LOCALHOST']) assert.ok(isLoopbackHost(host), host);
  for (const host of ['registry.localhost', 'a.b.localhost', 'localhost.', 'localhost.example.tw', '127.0.0.1.nip.io', '128.0.0.1', '10.0.0.1',
    '::ffff:127.0.0.1', '[::ffff:7f00:1]', '::', '0.0.0.0', '']) assert.ok(!isLoopbackHost(host), host);
  assert.equal(checkRegistryUrl('http://127.1/'), 'http://127.0.0.1');
  assert.throws(() => checkRegistryUrl('http://registry.localhost:8080'), (e) => isMoicaError(e, 'usage'));
  assert.throws(() => checkRegistryUrl('http://[::ffff:127.0.0.1]:8080'), (e) => isMoicaError(e, 'usage'));
});
