/**
 * The App renders nothing it does not need (issue 15): a card already in its reader at the App's first
 * render is being read in that very frame (the first state holds the reader list: no frame of an empty
 * list before it, and the snapshot that finds the same list again dispatches nothing), and the terminal
 * size check at mount, which finds the size it started with, renders nothing either; a real resize is
 * still followed. In debug mode Ink writes one frame per commit, so the frames written are the commits.
 */
import { test } from 'node:test';
import assert from 'node:assert/strict';
import { FakeEngine } from './fake-engine.js';
import { renderApp, tick } from './render.js';

test('a card present at start: the first frame reads it, and nothing renders again until the read answers', async () => {
  const engine = new FakeEngine();
  engine.addReader('ACS ACR39U 00 00');
  engine.insert('ACS ACR39U 00 00');
  let answer!: () => void;
  const held = new Promise<void>((resolve) => (answer = resolve));
  const read = engine.readCard.bind(engine);
  let reads = 0;
  engine.readCard = async (reader: string) => {
    reads++;
    await held;
    return read(reader);
  };
  const app = await renderApp({ engine, lang: 'en' }, { columns: 100, rows: 30 });
  for (let i = 0; i < 5; i++) await tick();
  const frames = app.stdout.frames.filter((f) => f.trim() !== '');
  assert.equal(frames.length, 1, `one frame while the read runs, got ${frames.length}:\n${frames.join('\n-----\n')}`);
  assert.match(frames[0]!, /Reading the card\.\.\./);
  assert.equal(reads, 1, 'one read started');
  // A real resize is still followed (the size the hook keeps changes).
  await app.resize(60, 30);
  await app.waitFor((f) => !f.split('\n').some((line) => line.length > 60), 'laid out again at 60 columns');

  answer();
  await app.waitFor((f) => f.includes('✔ valid'), 'read and checked');
  app.unmount();
});
