/**
 * Issue 13 item 3 (headless): `rewrite --pin-stdin` at a terminal turns echo off BEFORE the confirmation
 * question and keeps it off until the PIN is read; a PIN typed ahead while the rewrite proves is taken,
 * never shown. On a real pseudo-terminal, the ECHO flag read from the terminal itself.
 */
import { test } from 'node:test';
import assert from 'node:assert/strict';
import { fileURLToPath } from 'node:url';
import { mkdtempSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { Pty } from './pty.js';

const ROOT = fileURLToPath(new URL('../../', import.meta.url));
const cli = (args: string[]) => [process.execPath, '--import', 'tsx', `${ROOT}source/cli.tsx`, ...args];
const env = { ...process.env, LANG: 'C', NO_COLOR: '1', MOICA_VIRTUAL_KEY_CACHE: process.env.MOICA_VIRTUAL_KEY_CACHE ?? '' };

test('rewrite --pin-stdin at a terminal: echo off from the question to the PIN, the PIN typed ahead never echoed', async () => {
  const pin = '123456'; // the demo card's PIN
  const backups = mkdtempSync(join(tmpdir(), 'moica-pty-backup-'));
  const pty = new Pty(cli(['rewrite', '--demo', '--pin-stdin', '--backup-dir', backups]), env);
  try {
    assert.equal(await pty.echo(), true, 'the terminal echoes before the tool starts');
    await pty.waitFor('[y/N]');
    assert.equal(await pty.echo(), false, 'echo is off while the confirmation is asked');
    const afterQuestion = pty.output.length;
    // The answer, then the PIN at once: typed ahead while the rewrite re-checks and proves.
    pty.type('y\r');
    pty.type(pin);
    await pty.waitFor('y', afterQuestion);
    assert.equal(await pty.echo(), false, 'echo stays off after the answer');
    await pty.waitFor('Enter the card PIN (6 to 8 digits): ', afterQuestion);
    assert.equal(await pty.echo(), false, 'echo is off at the PIN prompt');
    pty.type('\r');
    await pty.waitFor('The certificate rewrite is complete!');
    assert.equal(await pty.exited(), 0, pty.output);
    assert.ok(!pty.output.includes(pin), `the PIN never shows: ${pty.output}`);
    assert.equal(await pty.echo(), true, 'echo is back on when the tool is done');
  } finally {
    pty.close();
    rmSync(backups, { recursive: true, force: true });
  }
});

test('rewrite at a terminal: "n" cancels with nothing written (exit 130), echo back on', async () => {
  const pty = new Pty(cli(['rewrite', '--demo', '--pin-stdin']), env);
  try {
    await pty.waitFor('[y/N]');
    assert.equal(await pty.echo(), false);
    pty.type('n\r');
    assert.equal(await pty.exited(), 130, pty.output);
    assert.match(pty.output, /nothing was written/);
    assert.equal(await pty.echo(), true);
  } finally {
    pty.close();
  }
});

test('rewrite at a terminal: Ctrl-C at the question cancels (raw mode: a byte, not a signal), exit 130', async () => {
  const pty = new Pty(cli(['rewrite', '--demo', '--pin-stdin']), env);
  try {
    await pty.waitFor('[y/N]');
    pty.type('\x03');
    assert.equal(await pty.exited(), 130, pty.output);
    assert.equal(await pty.echo(), true);
  } finally {
    pty.close();
  }
});
