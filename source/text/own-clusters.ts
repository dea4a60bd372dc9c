/**
 * Grapheme clusters without Intl.Segmenter where none is needed: a process's first segmenter costs ≈ 8.5 ms
 * (issue 15). A string made only of the code points of own-clusters.json is one cluster per code point
 * (the rule, from UAX #29, and its test over every code point it admits: scripts/patches.mjs, which patches
 * Ink's text stack with the same list); anything else goes through a segmenter, built on its first need.
 */
import RANGES from './own-clusters.json' with { type: 'json' };

const hex4 = (h: string): string => `\\u${h}`;
const ownClusters = new RegExp(`^[${RANGES.map(({ from, to }) => `${hex4(from)}-${hex4(to)}`).join('')}]*$`);
let segmenter: Intl.Segmenter | undefined;

/** The grapheme clusters of `text`, in order (what Intl.Segmenter's grapheme granularity gives). */
export function graphemes(text: string): string[] {
  // all BMP: one code unit per code point
  if (ownClusters.test(text)) return text.split('');
  return Array.from((segmenter ??= new Intl.Segmenter(undefined, { granularity: 'grapheme' })).segment(text), (s) => s.segment);
}
