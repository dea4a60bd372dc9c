/**
 * The TUI for a pre-painted start (bin/moica-check.js): in dist/pre-paint.cjs beside the pre-paint, which
 * has just parsed the same arguments and found a TUI start on a terminal (pre-paint.ts). Nothing of node's
 * ES module loader is started on this path (its first import() and cli.js's chunks cost ≈ 8 ms before the
 * first frame, measured: issue 15); every other start goes through dist/cli.js, whose TUI branch runs the
 * same session (tui-session.ts).
 */
import { join } from 'node:path';
import { pathToFileURL } from 'node:url';
import { parseOptions } from './options.js';
import { runTuiSession } from './tui-session.js';
import { runToExit } from './process-end.js';
import { TUI_ENTRY } from './entry.js';

export function startTui(distDir: string): void {
  (globalThis as Record<symbol, unknown>)[TUI_ENTRY] = true;
  runToExit(async () => {
    const options = parseOptions(process.argv.slice(2), process.env);
    return runTuiSession(options, {
      distDir,
      // The report's module is one of cli.js's chunks: loaded through cli.js, which then runs nothing itself.
      report: async () => ((await import(pathToFileURL(join(distDir, 'cli.js')).href)) as typeof import('./cli.js')).loadReport(),
    });
  });
}
