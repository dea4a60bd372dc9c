/**
 * The built TUI sets a V8 flag once Ink has drawn (ui/run.tsx: the young generation's cap). A flag set at
 * run time changes V8's flag hash, and every builtin of node's loaded after it is compiled from its source
 * instead of from node's own code cache (measured: http, https, tls, zlib, dns, cluster … 6.2 ms before a
 * flag, 15.6 ms after, in a bare node). So the builtins the check loads are loaded before the flag
 * (CHECK_BUILTINS). A real demo start through the verdict, with a probe preloaded that notes what node had
 * loaded when the flag was set: after it, only the internal modules no name reaches.
 */
import { test } from 'node:test';
import assert from 'node:assert/strict';
import { mkdtempSync, readFileSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { inPty } from './pty.js';

/** Loaded by webcrypto's own functions on first use (RSA keys, algorithm names): no module name loads them. */
const UNREACHABLE = new Set(['internal/crypto/rsa', 'internal/crypto/webidl']);

test('the demo through its verdict loads no builtin after the V8 flag but those no name reaches', async () => {
  const work = mkdtempSync(join(tmpdir(), 'moica-builtins-'));
  try {
    const out = join(work, 'probe.json');
    const probe = join(import.meta.dirname, 'probes', 'builtins-after-flag.cjs');
    const env = { XDG_CACHE_HOME: join(work, 'xdg'), NODE_OPTIONS: `--require ${probe}`, MOICA_PROBE_OUT: out, LANG: 'zh_TW.UTF-8', LC_ALL: undefined };
    const toVerdict = (o: string) => /判定 [ABC]/.test(o);
    // Twice: the first start compiles and writes the code caches, the second is a start as users have it.
    for (let i = 0; i < 2; i++) {
      const screen = await inPty(['--demo'], env, toVerdict, { quit: 'q' });
      assert.match(screen, /判定 B-1/);
      const probed = JSON.parse(readFileSync(out, 'utf8')) as { flags: string | null; after: string[] };
      assert.equal(probed.flags, '--semi-space-growth-factor=1', 'the TUI sets its flag once Ink has drawn');
      assert.deepEqual(probed.after.filter((m) => !UNREACHABLE.has(m)), [], `builtins loaded after the flag, compiled without node's code cache (start ${i + 1})`);
    }
  } finally {
    rmSync(work, { recursive: true, force: true });
  }
});
