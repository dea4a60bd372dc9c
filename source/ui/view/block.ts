/** A panel's content as the screen layout places it (the result, guidance and rewrite panels build one). */
import type { Line } from '../text/lines.js';

/**
 * Lines, of which the first `head` and the last `tail` never scroll away (on a screen too small even for
 * those, the tail's first lines scroll with the body, its last ones stay). `anchor: 'end'` shows the end
 * of the body first (the PIN prompt's nearest lines), scrolling up to see the rest.
 */
export interface Block {
  lines: Line[];
  head?: number;
  tail?: number;
  anchor?: 'start' | 'end';
}
