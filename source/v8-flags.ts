/**
 * The one V8 flag the app changes while it runs, and its value at start (V8's default): the TUI stops
 * the young generation's growth once its first frame is drawn (ui/run.tsx), and the code cache
 * (code-cache.ts) puts the start value back before it asks V8 for the cache, because V8 refuses a cache
 * made under other flags than those of the start that reads it (measured: rejected, and so never used).
 */
export const YOUNG_GENERATION_CAPPED = '--semi-space-growth-factor=1';
export const YOUNG_GENERATION_AT_START = '--semi-space-growth-factor=2';
