import type { Options } from '../options.js';

// Placeholder until the TUI lands.
export async function runTui(_options: Options): Promise<number> {
  process.stderr.write('moica-check: the TUI is not built yet\n');
  return 1;
}
