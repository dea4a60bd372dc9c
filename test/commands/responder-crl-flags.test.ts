/**
 * The flags that expose the status lane's options to a real card holder: `--ocsp-responder FILE` (a
 * delegated responder certificate to trust, for a responder that embeds none) and `--no-crl`; and the
 * CRL download's progress on stderr in text mode.
 */
import { test } from 'node:test';
import assert from 'node:assert/strict';
import { execFileSync } from 'node:child_process';
import { mkdtempSync, readFileSync, rmSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { PassThrough } from 'node:stream';
import { parseOptions } from '../../source/options.js';
import { openNetwork } from '../../source/engine/session.js';
import { isMoicaError } from '../../source/errors.js';
import { crlProgressLine, crlProgressOnStderr } from '../../source/commands/progress.js';

function tmp(): string {
  return mkdtempSync(join(tmpdir(), 'moica-flags-'));
}

test('--ocsp-responder FILE (PEM or DER, repeatable) reaches the network as pinned responder DER; --no-crl turns the CRL off', async () => {
  const dir = tmp();
  try {
    const pem = join(dir, 'responder.pem');
    execFileSync('openssl', ['req', '-x509', '-newkey', 'rsa:2048', '-nodes', '-subj', '/CN=test OCSP responder', '-days', '1',
      '-addext', 'extendedKeyUsage=OCSPSigning', '-keyout', join(dir, 'k.pem'), '-out', pem], { stdio: 'ignore' });
    const der = join(dir, 'responder.der');
    execFileSync('openssl', ['x509', '-in', pem, '-outform', 'DER', '-out', der]);
    const options = parseOptions(['check', '--ocsp-responder', pem, `--ocsp-responder=${der}`, '--no-crl'], {});
    assert.deepEqual(options.ocspResponders, [pem, der]);
    assert.equal(options.crl, false);
    const net = await openNetwork(options);
    try {
      const expected = new Uint8Array(readFileSync(der));
      assert.equal(net.ocspResponders?.length, 2);
      assert.deepEqual(net.ocspResponders![0], expected, 'the PEM file gives the same DER');
      assert.deepEqual(net.ocspResponders![1], expected);
      assert.equal(net.crl, false);
    } finally {
      await net.close();
    }
    const plain = await openNetwork(parseOptions(['check'], {}));
    assert.equal(plain.ocspResponders, undefined);
    assert.notEqual(plain.crl, false, 'the CRL stays on by default');
    await plain.close();
  } finally {
    rmSync(dir, { recursive: true, force: true });
  }
});

test('--ocsp-responder with a file that is not a certificate, or no file: a typed error (exit 2) before any card or network work', async () => {
  const dir = tmp();
  try {
    const junk = join(dir, 'junk.pem');
    writeFileSync(junk, 'hello\n');
    await assert.rejects(openNetwork(parseOptions(['check', '--ocsp-responder', junk], {})),
      (e: unknown) => isMoicaError(e, 'certificate-file-invalid') && e.exitCode === 2);
    await assert.rejects(openNetwork(parseOptions(['check', '--ocsp-responder', join(dir, 'missing.der')], {})),
      (e: unknown) => isMoicaError(e, 'certificate-file-unreadable') && e.exitCode === 2);
    assert.throws(() => parseOptions(['check', '--ocsp-responder'], {}), (e: unknown) => isMoicaError(e, 'usage'));
  } finally {
    rmSync(dir, { recursive: true, force: true });
  }
});

test('CRL progress on stderr: a bar redrawn in place at a terminal, one line per download elsewhere, the URL sanitised', () => {
  assert.equal(crlProgressLine({ url: 'u', bytes: 9_650_000, total: 19_300_000 }, 'en'),
    'Downloading the CRL [##########..........] 9.7 / 19.3 MB');
  assert.equal(crlProgressLine({ url: 'u', bytes: 1_000_000, total: undefined }, 'zh-TW'), '下載憑證廢止清冊(CRL) 1.0 MB');

  const collect = (tty: boolean) => {
    const stream = Object.assign(new PassThrough(), { isTTY: tty });
    const chunks: string[] = [];
    stream.on('data', (c: Buffer) => chunks.push(c.toString()));
    return { stream, text: () => chunks.join('') };
  };
  let clock = 0;
  const term = collect(true);
  const shown = crlProgressOnStderr(term.stream, 'en', () => clock);
  shown.onProgress({ url: 'http://127.0.0.1/c.crl', bytes: 0, total: 100 });
  clock += 10;
  shown.onProgress({ url: 'http://127.0.0.1/c.crl', bytes: 50, total: 100 }); // under 100 ms: not redrawn
  clock += 200;
  shown.onProgress({ url: 'http://127.0.0.1/c.crl', bytes: 100, total: 100 }); // finished: always drawn, then cleared
  shown.end();
  const frames = term.text().split('\r\u001b[2K').filter((f) => f !== '');
  assert.deepEqual(frames, [
    'Downloading the CRL [....................] 0.0 / 0.0 MB',
    'Downloading the CRL [####################] 0.0 / 0.0 MB',
  ]);
  assert.ok(term.text().endsWith('\r\u001b[2K'), 'the line is cleared when the download ends');

  const log = collect(false);
  const logged = crlProgressOnStderr(log.stream, 'en');
  for (const bytes of [0, 10, 20]) logged.onProgress({ url: 'http://127.0.0.1/\u001b]0;PWNED\u0007c.crl', bytes, total: 20 });
  logged.end();
  assert.equal(log.text(), 'Downloading the CRL: http://127.0.0.1/]0;PWNEDc.crl\n');
});
