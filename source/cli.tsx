/**
 * Entry point: flags → the TUI, or one headless command. Heavy modules (ink, react, pcsclite, got,
 * pkijs) are imported only by the path that needs them, so `--help` and the first frame stay fast.
 * The composition root: it hands the TUI its engine (source/engine/), and it alone ends the process
 * (process.exit below); everything else returns an exit code from source/exit.ts.
 */
import { helpText, langOf, parseOptions, seeHelp, wantsJson, type Command, type Options } from './options.js';
import { VERSION } from './version.js';
import { MoicaError, toMoicaError } from './errors.js';
import { exitCodeOf } from './exit.js';
import { sanitize } from './text/sanitize.js';
import type { Io } from './commands/io.js';
import type { CreateEngine } from './ui/engine.js';
import type { CachedModule } from './code-cache.js';
import { nativeCalls } from './card/native-calls.js';

type CommandModule = { run(options: Options, io: Io): Promise<number> };

/** Set by the build (scripts/build.mjs): a hash of the sources; undefined when run from source. */
declare const __MOICA_BUILD_ID__: string | undefined;

const loaders: Record<Command, () => Promise<CommandModule>> = {
  readers: () => import('./commands/readers.js'),
  read: () => import('./commands/read.js'),
  check: () => import('./commands/check.js'),
  rewrite: () => import('./commands/rewrite.js'),
  doctor: () => import('./commands/doctor.js'),
  'serve-registry': () => import('./commands/serve-registry.js'),
  report: () => import('./commands/report.js'),
};

/** Built: one of dist/'s CommonJS bundles, compiled through V8's code cache (code-cache.ts). */
async function fromBuild<T>(file: 'tui.cjs' | 'engine.cjs', name: string, buildId: string): Promise<CachedModule<T>> {
  const [{ loadCached }, { fileURLToPath }] = await Promise.all([import('./code-cache.js'), import('node:url')]);
  return loadCached<T>(fileURLToPath(new URL(`./${file}`, import.meta.url)), name, buildId);
}

export async function main(argv: readonly string[], io: Io): Promise<number> {
  let options: Options;
  try {
    options = parseOptions(argv, io.env);
  } catch (e) {
    const err = toMoicaError(e);
    const code = exitCodeOf(err.code === 'internal' ? 'usage' : err.code);
    // With --json every exit prints the one JSON document, a usage error included (issue 14).
    if (wantsJson(argv)) io.stdout.write(`${JSON.stringify({ error: { ...err.toJSON(), code: err.code === 'internal' ? 'usage' : err.code } }, null, 2)}\n`);
    // Unknown flags keep the form meow printed them in: "Unknown flag(s)" and one flag per line.
    else if (err.detail.unknownFlags !== undefined) io.stderr.write(`${sanitize(err.message, { keepNewlines: true })}\n`);
    else io.stderr.write(`moica-check: ${sanitize(err.message, { keepNewlines: true })}\n${seeHelp(langOf(argv, io.env))}\n`);
    return code;
  }
  if (options.show === 'help') { io.stdout.write(helpText(options.lang)); return 0; }
  if (options.show === 'version') { io.stdout.write(`${VERSION}\n`); return 0; }
  if (options.command === undefined) {
    const isTty = Boolean((io.stdout as NodeJS.WriteStream).isTTY && (io.stdin as NodeJS.ReadStream).isTTY);
    if (!isTty) {
      const err = new MoicaError('no-tty', 'The TUI needs a terminal. Without one, use a subcommand: readers, read, check, rewrite --pin-stdin, doctor (each with --json).');
      if (options.json) io.stdout.write(`${JSON.stringify({ error: err.toJSON() }, null, 2)}\n`);
      else if (options.lang === 'zh-TW') {
        io.stderr.write(
          'moica-check：文字介面需要終端機。沒有終端機時，請使用子指令：\n' +
            '  moica-check readers --json | read --json | check --json | rewrite --pin-stdin --json | doctor --json\n',
        );
      } else {
        io.stderr.write(
          'moica-check: the TUI needs a terminal. Without one, use a subcommand:\n' +
            '  moica-check readers --json | read --json | check --json | rewrite --pin-stdin --json | doctor --json\n',
        );
      }
      return err.exitCode;
    }
    // chalk does not honour NO_COLOR: decide colour before Ink is loaded.
    if (!options.color) process.env.FORCE_COLOR = '0';
    // yoga-layout (Ink's layout engine) loads its inlined wasm through fetch() of a data: URL whenever
    // fetch exists, which first loads Node's whole fetch implementation: ~70 ms before the first frame.
    // Without fetch it decodes the same bytes directly. Nothing of ours uses fetch.
    const fetchDescriptor = Object.getOwnPropertyDescriptor(globalThis, 'fetch');
    Object.defineProperty(globalThis, 'fetch', { value: undefined, configurable: true, writable: true });
    let runTui: typeof import('./ui/run.js').runTui;
    let v8FlagsAsAtStart = () => {};
    let saveCodeCache = () => {};
    try {
      // From source (tsx) there is no build: the UI's modules themselves. (Written with the build's own
      // constant, so that the built cli.js drops this branch and its chunks altogether.)
      if (typeof __MOICA_BUILD_ID__ !== 'string') {
        ({ runTui } = await import('./ui/run.js'));
      } else {
        const tui = await fromBuild<typeof import('./ui/run.js')>('tui.cjs', 'tui', __MOICA_BUILD_ID__);
        ({ runTui, v8FlagsAsAtStart } = tui.exports);
        saveCodeCache = () => tui.save();
      }
    } finally {
      if (fetchDescriptor) Object.defineProperty(globalThis, 'fetch', fetchDescriptor);
    }
    // The composition root: the TUI gets the engine's factory. Its module (card, registry, check) is
    // loaded when runTui starts building the engine, once the first frame is on screen, never before it.
    // Built, it is dist/engine.cjs through the code cache too; that cache is made when the TUI ends, from
    // all that V8 compiled of it by then (the engine, the demo, the card's read, the check), and only after a
    // session that checked a card: one that never got that far (no reader, an engine that could not start)
    // would leave a cache without the check's code, and V8 would take that one from then on.
    // The helpdesk report (key e) lives above the engine, in commands/: wired in here, loaded on first use.
    let saveEngineCache = () => {};
    let checked = false;
    const createEngine: CreateEngine = async (opts) => {
      let engine: typeof import('./engine/index.js');
      if (typeof __MOICA_BUILD_ID__ !== 'string') engine = await import('./engine/index.js');
      else {
        // (loadCached compiles synchronously: after the first frame, not within runTui's first call.)
        await new Promise((resolve) => setImmediate(resolve));
        const built = await fromBuild<typeof import('./engine/index.js')>('engine.cjs', 'engine', __MOICA_BUILD_ID__);
        engine = built.exports;
        saveEngineCache = () => built.save();
      }
      return engine.createEngine(opts, { report: () => import('./commands/report.js'), afterCheck: () => (checked = true) });
    };
    try {
      return await runTui(options, createEngine);
    } finally {
      // Both caches are kept after a session that checked a card: all V8 compiled of each by then (the first
      // frame, the App's screens through a verdict; the engine, the read, the check). The engine's under the
      // young generation's flag, which every start sets before it loads the engine; the TUI's with V8's
      // flags back as at a start, which reads it before any flag is set (ui/run.tsx).
      if (checked) {
        saveEngineCache();
        v8FlagsAsAtStart();
        saveCodeCache();
      }
    }
  }
  try {
    const mod = await loaders[options.command]();
    return await mod.run(options, io);
  } catch (e) {
    // Commands type their own failures; this is the last line, and keeps --json's one document.
    const err = toMoicaError(e);
    if (options.json) io.stdout.write(`${JSON.stringify({ error: err.toJSON() }, null, 2)}\n`);
    else io.stderr.write(`moica-check: ${sanitize(err.message, { keepNewlines: true })}\n`);
    return err.exitCode;
  }
}

// Run when executed (bundled dist/cli.js or `tsx source/cli.tsx`), not when imported by tests.
const invokedDirectly = process.argv[1] !== undefined && /(?:cli\.(?:js|tsx)|moica-check(?:\.js)?)$/.test(process.argv[1]);
if (invokedDirectly) {
  const io: Io = { stdout: process.stdout, stderr: process.stderr, stdin: process.stdin, env: process.env };
  // Exit once the output is flushed: a native handle left open must never keep a finished command alive.
  // A transmit still pending in the binding (a card that stopped answering) would block process.exit()
  // itself (it joins libuv's worker threads): wait a bounded time for the driver to give up, then end the
  // process with SIGKILL, after the result was printed (documented in the README; exit status 137).
  const exit = (code: number) => process.stdout.write('', () => process.stderr.write('', () => {
    const deadline = Date.now() + 5_000;
    const tryExit = () => {
      if (nativeCalls.pending() === 0) process.exit(code);
      else if (Date.now() > deadline) {
        process.stderr.write('moica-check: the card reader never released the card; ending the process.\n');
        process.kill(process.pid, 'SIGKILL');
      } else setTimeout(tryExit, 100);
    };
    tryExit();
  }));
  main(process.argv.slice(2), io).then(exit, (e) => {
    // Last line of defence: a typed message, never a stack trace.
    const err = toMoicaError(e);
    process.stderr.write(`moica-check: ${sanitize(err.message, { keepNewlines: true })}\n`);
    exit(err.exitCode);
  });
}
