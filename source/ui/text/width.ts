/**
 * Display-width aware truncation and wrapping. Ink's own `wrap="truncate"` can push CJK text past a box
 * edge in 6.x, so every line the UI renders is cut here first, with the same measure Ink lays out with.
 */
import stringWidth from 'string-width';
import { graphemes } from '../../text/own-clusters.js';

export function displayWidth(text: string): number {
  return stringWidth(text);
}

/** Cut `text` to at most `width` columns, ending in `ellipsis` when something was cut. */
export function truncateToWidth(text: string, width: number, ellipsis = '…'): string {
  if (width <= 0) return '';
  if (stringWidth(text) <= width) return text;
  const room = width - stringWidth(ellipsis);
  if (room < 0) return '';
  let out = '';
  let used = 0;
  for (const g of graphemes(text)) {
    const w = stringWidth(g);
    if (used + w > room) break;
    out += g;
    used += w;
  }
  return out + ellipsis;
}

/** Pad with spaces up to `width` columns (no-op when already wider). */
export function padToWidth(text: string, width: number): string {
  const w = stringWidth(text);
  return w >= width ? text : text + ' '.repeat(width - w);
}

const isWide = (g: string): boolean => stringWidth(g) >= 2;

/** Kinsoku: characters no line may start with, and characters no line may end with (CJK line breaking). */
const NO_START = new Set([...'，。、；：？！）」』〉》】〕’”．・ー…']);
const NO_END = new Set([...'（「『〈《【〔‘“']);

/**
 * Wrap to `width` columns. Latin words break at spaces; CJK may break between any two characters
 * (as the issuer's own pages do), but never so that a line starts with closing punctuation (，。、；：？！）」』)
 * or ends with an opening one (kinsoku): the character before is carried down with it. Words longer than
 * a line are cut hard.
 */
export function wrapToWidth(text: string, width: number): string[] {
  if (width <= 0) return [];
  const lines: string[] = [];
  for (const paragraph of text.split('\n')) {
    let line: string[] = [];
    let lineWidth = 0;
    const flush = (): void => {
      lines.push(line.join('').trimEnd());
      line = [];
      lineWidth = 0;
    };
    // Tokens: a run of non-space narrow characters, a single wide character, or a run of spaces.
    const tokens: string[] = [];
    let word = '';
    for (const g of graphemes(paragraph)) {
      if (g === ' ' || isWide(g)) {
        if (word) tokens.push(word);
        word = '';
        tokens.push(g);
      } else word += g;
    }
    if (word) tokens.push(word);
    for (const token of tokens) {
      const w = stringWidth(token);
      if (lineWidth + w <= width) {
        if (!(token === ' ' && lineWidth === 0)) {
          line.push(token);
          lineWidth += w;
        }
        continue;
      }
      if (token === ' ') {
        flush();
        continue;
      }
      // Carried down with the token: the character before a no-start one, and any opening punctuation
      // the line would end with (as long as something stays on the line).
      const carried: string[] = [];
      // (repeatedly: "有效』，" carries 』 and 效 down together).
      while (NO_START.has([...(carried[0] ?? token)][0] ?? '') && line.length > 1 && line.at(-1) !== ' ') carried.unshift(line.pop()!);
      while (line.length > 0 && NO_END.has(line.at(-1)!)) carried.unshift(line.pop()!);
      if (line.length > 0) flush();
      const head = carried.join('');
      if (head !== '' && stringWidth(head) + w <= width) {
        line = [...carried, token];
        lineWidth = stringWidth(head) + w;
        continue;
      }
      // A token wider than a whole line: cut it in pieces (what was carried down goes first, with it).
      let rest = head + token;
      while (stringWidth(rest) > width) {
        let piece = truncateToWidth(rest, width, '');
        // Not even a hard cut ends a line on an opening bracket: it goes with what it opens.
        const chars = graphemes(piece);
        if (chars.length > 1 && NO_END.has(chars.at(-1)!)) piece = chars.slice(0, -1).join('');
        lines.push(piece);
        rest = rest.slice(piece.length);
      }
      line = rest === '' ? [] : [rest];
      lineWidth = stringWidth(rest);
    }
    flush();
  }
  return lines;
}
