/** The driver's narrow config (card/open.ts CardConfig), built from the command line's Options here. */
import type { Options } from '../options.js';
import type { CardConfig } from '../card/open.js';

export function cardConfig(options: Pick<Options, 'reader' | 'trace' | 'timeoutMs'>): CardConfig {
  return {
    ...(options.reader !== undefined ? { reader: options.reader } : {}),
    ...(options.trace !== undefined ? { trace: options.trace } : {}),
    timeoutMs: options.timeoutMs,
  };
}
