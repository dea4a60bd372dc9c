/**
 * Entry point: flags → the TUI, or one headless command. Heavy modules (ink, react, pcsclite, got,
 * pkijs) are imported only by the path that needs them, so `--help` and the first frame stay fast.
 * The composition root: the TUI's session (tui-session.ts: Ink's and the engine's bundles, the engine's
 * factory) or a command module. The process ends in process-end.ts, reached from here and from tui-entry.ts
 * only; everything else returns an exit code from source/exit.ts. A pre-painted TUI start does not come
 * here: the bin runs the same session from dist/pre-paint.cjs (tui-entry.ts).
 */
import { helpText, langOf, parseOptions, seeHelp, wantsJson, type Command, type Options } from './options.js';
import { VERSION } from './version.js';
import { MoicaError, toMoicaError } from './errors.js';
import { exitCodeOf } from './exit.js';
import { sanitize } from './text/sanitize.js';
import { dirname } from 'node:path';
import { fileURLToPath } from 'node:url';
import type { Io } from './commands/io.js';
import { runTuiSession } from './tui-session.js';
import { runToExit } from './process-end.js';
import { TUI_ENTRY } from './entry.js';

type CommandModule = { run(options: Options, io: Io): Promise<number> };

/** The helpdesk report's module (the report command, and key e in the TUI): one of this build's chunks. */
export const loadReport = () => import('./commands/report.js');

const loaders: Record<Command, () => Promise<CommandModule>> = {
  readers: () => import('./commands/readers.js'),
  read: () => import('./commands/read.js'),
  check: () => import('./commands/check.js'),
  rewrite: () => import('./commands/rewrite.js'),
  doctor: () => import('./commands/doctor.js'),
  'serve-registry': () => import('./commands/serve-registry.js'),
  report: loadReport,
};

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
    return runTuiSession(options, { distDir: dirname(fileURLToPath(import.meta.url)), report: loadReport });
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

// Run when executed (bundled dist/cli.js or `tsx source/cli.tsx`), not when imported by tests, nor when the
// bin started the TUI itself and imports this file for the report's chunk (tui-entry.ts).
const invokedDirectly = process.argv[1] !== undefined && /(?:cli\.(?:js|tsx)|moica-check(?:\.js)?)$/.test(process.argv[1]) &&
  (globalThis as Record<symbol, unknown>)[TUI_ENTRY] !== true;
if (invokedDirectly) {
  const io: Io = { stdout: process.stdout, stderr: process.stderr, stdin: process.stdin, env: process.env };
  runToExit(() => main(process.argv.slice(2), io));
}
