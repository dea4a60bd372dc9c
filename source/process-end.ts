/**
 * How the process ends once a run has its exit code (cli.tsx, tui-entry.ts): the composition root alone
 * calls process.exit, and only here.
 */
import { toMoicaError } from './errors.js';
import { sanitize } from './text/sanitize.js';
import { nativeCalls } from './card/native-calls.js';

/**
 * Exit once the output is flushed: a native handle left open must never keep a finished command alive.
 * A transmit still pending in the binding (a card that stopped answering) would block process.exit()
 * itself (it joins libuv's worker threads): wait a bounded time for the driver to give up, then end the
 * process with SIGKILL, after the result was printed (documented in the README; exit status 137).
 */
export function exitWhenFlushed(code: number): void {
  process.stdout.write('', () => process.stderr.write('', () => {
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
}

/** Runs `run` to its exit code, then ends the process; a throw is the last line of defence: a typed message, never a stack trace. */
export function runToExit(run: () => Promise<number>): void {
  run().then(exitWhenFlushed, (e: unknown) => {
    const err = toMoicaError(e);
    process.stderr.write(`moica-check: ${sanitize(err.message, { keepNewlines: true })}\n`);
    exitWhenFlushed(err.exitCode);
  });
}
