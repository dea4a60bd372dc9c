/**
 * How the benches start the app and bare node. The app is started as a shell starts the installed
 * `moica-check` command: the bin file itself is executed, so its shebang line picks node and node's options
 * (bin/moica-check.js: `--v8-pool-size=0`). Bare node is the node running the bench, and that node comes
 * first on the children's PATH, so `/usr/bin/env node` in the shebang finds the very same binary.
 * `viaNode` is the app started as `node bin/moica-check.js …` (no shebang, so none of its options): the
 * first-frame bench reports that start beside the goal figure, so what the shebang's option buys is shown.
 */
import { dirname, delimiter, join } from 'node:path';
import { fileURLToPath } from 'node:url';

export const root = join(dirname(fileURLToPath(import.meta.url)), '..');
export const APP_BIN = 'bin/moica-check.js';
export const BARE_NODE_ARGS = ['-e', "console.log('卡號')"] as const;

/** argv of each start the benches compare: [file, ...args]. */
export const starts = {
  bare: (): string[] => [process.execPath, ...BARE_NODE_ARGS],
  app: (args: readonly string[]): string[] => [join(root, APP_BIN), ...args],
  viaNode: (args: readonly string[]): string[] => [process.execPath, join(root, APP_BIN), ...args],
};

/** `env` with the bench's own node first on PATH (what the app's shebang, `/usr/bin/env node`, runs). */
export function withBenchNode(env: NodeJS.ProcessEnv): NodeJS.ProcessEnv {
  return { ...env, PATH: [dirname(process.execPath), env.PATH ?? ''].join(delimiter) };
}
