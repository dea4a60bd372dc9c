/**
 * The engine tells the composition root when a session runs code a check start does not (EngineWiring
 * `unusual`; tui-session.ts then makes no code cache from the session): the demo building its certificates,
 * a scenario switch, a rewrite. A read and a check alone never say so. (Run from source the demo has no
 * certificate cache, no build id: its start always builds, test/code-cache has the built app's cached start.)
 */
import { test } from 'node:test';
import assert from 'node:assert/strict';
import { rmSync } from 'node:fs';
import { createEngine } from '../../source/engine/index.js';
import { parseOptions } from '../../source/options.js';
import { tempDir } from '../e2e/harness.js';

test('engine wiring: unusual at a demo start that built, at a scenario switch and at a rewrite; never for a read or a check', { timeout: 60_000 }, async () => {
  const dir = tempDir('moica-unusual-');
  const said: string[] = [];
  const engine = await createEngine(parseOptions(['--demo', 'rewrite', '--backup-dir', dir, '--lang', 'en'], {}), {
    afterCheck: () => said.push('checked'),
    unusual: () => said.push('unusual'),
  });
  try {
    assert.deepEqual(said, ['unusual'], 'from source the demo built its certificates');
    said.length = 0;
    await engine.ready();
    let card = await engine.readCard(engine.readers()[0]!.name);
    await engine.check(card);
    await engine.check(card);
    assert.deepEqual(said, ['checked', 'checked'], 'a read and checks are a usual session');
    said.length = 0;
    await engine.rewrite(card, new TextEncoder().encode(engine.info().demoPin!), () => undefined);
    assert.deepEqual(said, ['unusual']);
    said.length = 0;
    await engine.scenarios!.switchTo('valid');
    assert.equal(said[0], 'unusual');
    card = await engine.readCard(engine.readers()[0]!.name);
    await engine.check(card);
    assert.deepEqual(said, ['unusual', 'checked']);
  } finally {
    await engine.close();
    rmSync(dir, { recursive: true, force: true });
  }
});
