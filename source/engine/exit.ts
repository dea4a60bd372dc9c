import type { VerdictCode } from '../check/types.js';

/** cli.md: A 0, B-1 10, C 20 (a completed rewrite, B-2, is 0). */
export const VERDICT_EXIT: Record<VerdictCode, number> = { A: 0, 'B-1': 10, C: 20 };
