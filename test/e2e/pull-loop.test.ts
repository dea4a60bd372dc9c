/**
 * The card pulled at every APDU of a rewrite, in-process (InProcessTransport, the engine's real rewrite
 * over the reference registry on loopback): first a complete rewrite is counted, then for each index i
 * a fresh card (the same serialised start state) is pulled while its (i+1)-th APDU is in flight, an
 * UPDATE BINARY then landing in part. The pulled card is put back from its serialised state and must:
 *   (a) hold, per slot, the old certificate or the new one byte for byte, or read as inconsistent;
 *   (b) have a backup on disk whenever any write had started;
 *   (c) be finished by running the rewrite again (B-2, then check A); a card pulled before its first
 *       write is untouched.
 * A CDF commit torn across two writes leaves a directory that does not parse: the card then reads as
 * card-inconsistent (directory 'unreadable'), and the rewrite puts the directory back from the backup (its
 * journal: the CDF as it was before anything was written) and resumes; restoreBackup works on it too.
 * Then restoreBackup puts the old certificates back (check B-1 again).
 */
import { after, before, test } from 'node:test';
import assert from 'node:assert/strict';
import { readFileSync, rmSync } from 'node:fs';
import { join } from 'node:path';
import { MoicaCard } from '../../source/card/moica.js';
import type { CardSource } from '../../source/card/open.js';
import { VirtualCard } from '../../source/virtual/card.js';
import { CDF_EXTRA, VirtualCardWriter } from '../../source/card/writers/virtual-apdu.js';
import type { VirtualCardState } from '../../source/virtual/image.js';
import { InProcessTransport, VIRTUAL_READER } from '../../source/virtual/in-process.js';
import type { BuiltScenario } from '../../source/virtual/scenario.js';
import { restoreBackup } from '../../source/check/restore.js';
import { fileBackupStore } from '../../source/engine/backup-store.js';
import { startDemoRegistry } from '../../source/engine/demo-registry.js';
import { openCardAccess } from '../../source/engine/card-access.js';
import { isTornDirectory } from '../../source/check/torn.js';
import { runCheck } from '../../source/engine/check.js';
import { rewriteCard } from '../../source/engine/rewrite.js';
import { openNetwork, type OpenNetwork } from '../../source/engine/session.js';
import { isMoicaError, type MoicaError } from '../../source/errors.js';
import { parseOptions, type Options } from '../../source/options.js';
import { filesIn, staleScenario, tempDir } from './harness.js';

let scenario: BuiltScenario;
let start: VirtualCardState;
let registry: Awaited<ReturnType<typeof startDemoRegistry>>;
let net: OpenNetwork;
let options: Options;
const root = tempDir('moica-e2e-pull-');

before(async () => {
  scenario = await staleScenario();
  start = scenario.card.toState();
  // The reference server on loopback. No OCSP here: it is the rig tests' subject, and it would double the
  // loop's time on a busy machine; the verdicts come from the registry's word.
  registry = await startDemoRegistry(scenario);
  options = parseOptions(['rewrite', '--registry', registry.url, '--no-ocsp'], {});
  net = await openNetwork(options);
});

after(async () => {
  await net?.close();
  await registry?.close();
  rmSync(root, { recursive: true, force: true });
});

const pin = () => async () => new TextEncoder().encode(scenario.pin);
const binaries = (state: VirtualCardState) => JSON.stringify(state.binaries);

/** A card in an in-process reader, as a CardSource for the engine. */
function inReader(card: VirtualCard): CardSource {
  const transport = new InProcessTransport();
  transport.insert(card);
  return { transport, close: () => transport.close() };
}

/** The engine's rewrite on a card, the card read first (as every command does) and not counted. */
async function rewriteOn(card: VirtualCard, backupDir: string, pullAfter?: number) {
  const source = inReader(card);
  const access = await openCardAccess(options, source);
  const log: string[] = [];
  // CLA INS P1 P2, and for a SELECT its FID: which file each UPDATE BINARY went to.
  card.onExchange = (command) => log.push(Buffer.from(command.subarray(0, command[1] === 0xa4 ? 7 : 4)).toString('hex').toUpperCase());
  if (pullAfter !== undefined) card.pullAfter(pullAfter);
  try {
    const result = await rewriteCard(access, net, { askPin: pin(), backupDir });
    return { result, log };
  } finally {
    card.onExchange = undefined;
    await access.close();
    await source.close();
  }
}

/**
 * Run the rewrite again: the machine's own fresh check takes an inconsistent card as stale. A card the
 * pull left fully written is A already, and the machine says so instead of writing (as `rewrite` does).
 */
async function resume(card: VirtualCard, backupDir: string): Promise<string> {
  const source = inReader(card);
  try {
    // What `rewrite` does with a directory a torn commit broke: the access opens it 'torn', the same machine.
    const access = await openCardAccess(options, source, {}, { acceptTorn: true });
    try {
      return (await rewriteCard(access, net, { askPin: pin(), backupDir })).verdict;
    } finally {
      await access.close();
    }
  } catch (e) {
    if (isMoicaError(e, 'rewrite-not-allowed') && e.detail.verdict === 'A') return 'A';
    throw e;
  } finally {
    await source.close();
  }
}

async function verdictOf(card: VirtualCard): Promise<string> {
  const source = inReader(card);
  const access = await openCardAccess(options, source);
  try {
    return (await runCheck(access, net)).verdict.verdict;
  } finally {
    await access.close();
    await source.close();
  }
}

/** Per slot: 'old', 'new', or the card as a whole reads 'inconsistent', or its directory does not parse. */
async function contents(card: VirtualCard): Promise<Array<'old' | 'new'> | 'inconsistent' | 'unreadable directory'> {
  const transport = new InProcessTransport();
  transport.insert(card);
  try {
    const moica = await MoicaCard.open(await transport.connect(VIRTUAL_READER));
    const info = await moica.read().catch((e: unknown) => {
      if (isTornDirectory(e)) return undefined;
      throw e;
    });
    if (info === undefined) return 'unreadable directory';
    if (!info.consistent) return 'inconsistent';
    const out: Array<'old' | 'new'> = [];
    for (const slot of [0, 1] as const) {
      const der = Buffer.from(await moica.certificate(slot));
      if (der.equals(Buffer.from(scenario.onCard[slot].der))) out.push('old');
      else if (der.equals(Buffer.from(scenario.issued[slot].der))) out.push('new');
      else assert.fail(`slot ${slot} holds a certificate that is neither the old nor the new one`);
    }
    return out;
  } finally {
    await transport.close();
  }
}

/** The file each logged APDU went to (the last SELECT's FID before it). */
function filesOf(log: readonly string[]): string[] {
  let file = '';
  return log.map((apdu) => {
    if (apdu.slice(2, 4) === 'A4' && apdu.length === 14) file = apdu.slice(10, 14);
    return file;
  });
}

/** restoreBackup straight on a card (its directory may not parse: no CardAccess), with the PIN after the proofs. */
async function restoreOn(card: VirtualCard, backup: string): Promise<Array<0 | 1>> {
  const transport = new InProcessTransport();
  transport.insert(card);
  try {
    const moica = await MoicaCard.open(await transport.connect(VIRTUAL_READER));
    const writer = new VirtualCardWriter(moica);
    const { slots } = await restoreBackup(backup, writer, { store: fileBackupStore(), cardNumber: await moica.cardNumber(), askPin: pin() });
    await writer.end();
    return slots;
  } finally {
    await transport.close();
  }
}

let complete: string[] = [];
let completeBackup = '';
/** Indices after which the card could not be read at all, not even as a torn directory. */
const unreadable: string[] = [];
/** Indices after which the directory did not parse: put back from the backup, resumed, and restored. */
const journalled: string[] = [];
/** Indices after which the card read, but running the rewrite again failed. */
const unresumed: string[] = [];
let loopRan = false;

test('a complete rewrite: B-2, check A, and its APDUs counted', async () => {
  const card = VirtualCard.fromState(start);
  const dir = join(root, 'complete');
  const { result, log } = await rewriteOn(card, dir);
  assert.equal(result.verdict, 'B-2');
  assert.equal(await verdictOf(card), 'A');
  assert.deepEqual(await contents(card), ['new', 'new']);
  complete = log;
  completeBackup = result.backup;
  assert.ok(complete.length > 20, `a rewrite takes more than a handful of APDUs (${complete.length})`);
  assert.ok(complete.some((apdu) => apdu.slice(2, 4) === 'D6'));
});

test('pulled at every APDU index of the rewrite: untouched before the first write, a backup after it, every card that reads resumes to A', async () => {
  assert.ok(complete.length > 0, 'needs the complete run');
  const outcomes = new Map<string, number>();
  const resumedStates = new Map<string, string>();
  for (let i = 0; i < complete.length; i++) {
    const card = VirtualCard.fromState(start);
    const dir = join(root, `pull-${i}`);
    const error = await rewriteOn(card, dir, i).then(() => undefined, (e: unknown) => e as MoicaError);
    assert.ok(error !== undefined, `pulled at APDU ${i}: the rewrite must fail`);
    assert.ok(isMoicaError(error), `pulled at ${i}: a typed error, not ${String(error)}`);
    const removed = error.code === 'card-removed' || (error.code === 'backup-failed' && error.detail.cause === 'card-removed');
    assert.ok(removed, `pulled at ${i} (${complete[i]}): ${error.code} ${error.message}`);
    assert.ok(card.isPulled, `the card left at APDU ${i}`);

    // Back in the reader: the same EEPROM, powered up afresh.
    const state = card.toState();
    const writeStarted = complete.slice(0, i + 1).some((apdu) => apdu.slice(2, 4) === 'D6');
    const backups = filesIn(dir);
    if (writeStarted) {
      assert.equal(backups.length, 1, `pulled at ${i} after writing began: one backup on disk`);
      assert.equal(error.detail.backup, backups[0], 'the error names the backup to resume from');
      const saved = JSON.parse(readFileSync(backups[0]!, 'utf8'));
      assert.deepEqual(saved.certificates.map((c: any) => c.der), scenario.onCard.map((c) => Buffer.from(c.der).toString('base64')));
      // The journal of the directory: the CDF as it was before anything was written.
      assert.equal(saved.extras[CDF_EXTRA], Buffer.from(start.binaries['5030/4104']!, 'hex').toString('base64'));
    } else {
      assert.equal(binaries(state), binaries(start), `pulled at ${i} before any write: the card is untouched`);
    }

    // The card is a function of its EEPROM: a state met before (a pull between two writes leaves what the
    // pull after the earlier write left) was read and resumed already.
    const key = binaries(state);
    if (writeStarted && resumedStates.has(key)) {
      const label = resumedStates.get(key)!;
      outcomes.set(label, (outcomes.get(label) ?? 0) + 1);
      continue;
    }
    // Untouched: reading it and resuming are the complete rewrite above.
    const seen = writeStarted ? await contents(VirtualCard.fromState(state)).catch((e: unknown) => e as MoicaError) : ['old', 'old'];
    if (seen instanceof Error) {
      // Nothing but a torn directory may keep a card from reading: a body torn in flight reads inconsistent.
      unreadable.push(`APDU ${i} ${complete[i]}: ${seen.code} ${seen.message}`);
      continue;
    }
    if (seen === 'unreadable directory') {
      // Only a CDF commit torn in flight does this; a pull between two APDUs never.
      assert.equal(complete[i]!.slice(2, 4), 'D6', `pulled at ${i} (${complete[i]}), not in a write: the directory does not parse`);
      assert.equal(filesOf(complete)[i], '4104', `pulled at ${i}: a torn write to ${filesOf(complete)[i]} broke the directory`);
      const restored = VirtualCard.fromState(state);
      assert.deepEqual(await restoreOn(restored, backups[0]!), [0, 1], `pulled at ${i}: restoreBackup on the torn directory`);
      assert.equal(restored.toState().binaries['5030/4104'], start.binaries['5030/4104'], `pulled at ${i}: the directory as it was`);
      assert.equal(await verdictOf(restored), 'B-1', `pulled at ${i}: restored to the old certificates`);
      journalled.push(`APDU ${i} ${complete[i]}`);
    }
    const label = typeof seen === 'string' ? seen : seen.join('+');
    outcomes.set(label, (outcomes.get(label) ?? 0) + 1);
    if (!writeStarted) continue;
    resumedStates.set(key, label);

    const again = VirtualCard.fromState(state);
    const resumed = await resume(again, dir).catch((e: unknown) => { unresumed.push(`APDU ${i} ${complete[i]!.slice(0, 8)} (${label}): ${(e as Error).message}`); return 'failed'; });
    if (resumed === 'failed') continue;
    assert.ok(resumed === 'B-2' || resumed === 'A', `pulled at ${i}: resumed to ${resumed}`);
    assert.equal(await verdictOf(again), 'A', `pulled at ${i}: check gives A after resuming`);
    assert.deepEqual(await contents(again), ['new', 'new']);
  }
  loopRan = true;
  // Every kind of interruption was met: untouched, torn mid-slot, one slot done, and all written.
  assert.ok(outcomes.get('old+old')! > 0 && outcomes.get('inconsistent')! > 0 && outcomes.get('new+old')! > 0 && outcomes.get('new+new')! > 0,
    JSON.stringify([...outcomes]));
});

// A torn UPDATE BINARY into the first chunk of a certificate whose length changes leaves a header that is not
// DER: the slot reads inconsistent (dates unknown). A torn CDF commit that spans two APDUs (an entry that
// grows moves every later byte) leaves a directory that does not parse: the backup holds the CDF as it was,
// so the rewrite (and restoreBackup) put it back first. No pull leaves a card the tool cannot finish.
test('pulled in a torn write: the card still reads (old, new or inconsistent) or its directory comes back from the backup, so the rewrite resumes', () => {
  assert.ok(loopRan, 'needs the loop');
  assert.deepEqual(unreadable, []);
  assert.deepEqual(unresumed, []);
  // The write order keeps such states rare, but the scenario's growing KEYX entry does pass through one.
  assert.ok(journalled.length > 0, 'a torn two-APDU CDF commit was met and resumed');
});

test('restoreBackup puts the old certificates back: check gives B-1 again', async () => {
  assert.ok(completeBackup !== '', 'needs the complete run');
  const card = VirtualCard.fromState(start);
  await rewriteOn(card, join(root, 'restore'));
  assert.equal(await verdictOf(card), 'A');
  const source = inReader(card);
  const access = await openCardAccess(options, source);
  try {
    const writer = await access.writer();
    const pinBytes = new TextEncoder().encode(scenario.pin);
    await writer.verifyPin(pinBytes);
    pinBytes.fill(0);
    const { slots } = await restoreBackup(completeBackup, writer, { store: fileBackupStore(), cardNumber: access.info.number });
    assert.deepEqual(slots, [0, 1]);
    await writer.end();
  } finally {
    await access.close();
    await source.close();
  }
  assert.deepEqual(await contents(card), ['old', 'old']);
  assert.equal(await verdictOf(card), 'B-1');
  // The directory byte for byte; in 08F2 a certificate shorter than the one it replaces leaves that one's
  // tail behind it, past its length (the writer does not clear the rest of the area).
  assert.equal(card.toState().binaries['5030/4104'], start.binaries['5030/4104'], 'the certificate directory as it was');
});
