/**
 * Semantic theme tokens. Components ask for a tone ("ok", "warn" …), never a colour, so the no-colour
 * theme can drop every style at once (with colours off chalk drops inverse too, so selection and status
 * are always carried by words and glyphs as well). The ASCII variant is for terminals that draw East
 * Asian Ambiguous characters (box drawing, •, ✔) two columns wide.
 */
import type { BoxProps } from 'ink';

export type Tone = 'ok' | 'warn' | 'error' | 'muted' | 'accent' | 'border' | 'selected' | 'title' | 'plain';

export interface ToneStyle {
  color?: string;
  bold?: boolean;
  dimColor?: boolean;
}

export interface Glyphs {
  ok: string;
  warn: string;
  error: string;
  info: string;
  selected: string;
  unselected: string;
  cardIn: string;
  cardOut: string;
  bullet: string;
  mask: string;
  /** A PIN digit typed past the 8th: shown, refused, never sent. */
  refused: string;
  ellipsis: string;
  arrow: string;
  stepDone: string;
  stepNow: string;
  stepTodo: string;
  upDown: string;
  /** Scroll indicators: more below, more above. */
  more: string;
  moreAbove: string;
  rule: string;
  /** Between items on one line. */
  sep: string;
}

export interface Theme {
  color: boolean;
  ascii: boolean;
  borderStyle: NonNullable<BoxProps['borderStyle']>;
  /** The top edge, drawn by hand so a panel's title sits in it (Ink boxes have no titles). */
  frameTop: { left: string; line: string; right: string };
  glyph: Glyphs;
  tone(tone: Tone): ToneStyle;
}

const colourTones: Record<Tone, ToneStyle> = {
  ok: { color: 'green', bold: true },
  warn: { color: 'yellow', bold: true },
  error: { color: 'red', bold: true },
  muted: { dimColor: true },
  accent: { color: 'cyan' },
  border: { color: 'gray' },
  selected: { color: 'cyan', bold: true },
  title: { bold: true },
  plain: {},
};

const unicodeGlyphs: Glyphs = {
  ok: '✔',
  warn: '⚠',
  error: '✖',
  info: 'i',
  selected: '▶',
  unselected: ' ',
  cardIn: '●',
  cardOut: '○',
  bullet: '•',
  mask: '•',
  refused: '✖',
  ellipsis: '…',
  arrow: '→',
  stepDone: '✔',
  stepNow: '▶',
  stepTodo: '·',
  upDown: '↑↓',
  more: '↓',
  moreAbove: '↑',
  rule: '─',
  sep: ' · ',
};

const asciiGlyphs: Glyphs = {
  ok: '[OK]',
  warn: '[!]',
  error: '[X]',
  info: '[i]',
  selected: '>',
  unselected: ' ',
  cardIn: '*',
  cardOut: '-',
  bullet: '-',
  mask: '*',
  refused: 'x',
  ellipsis: '~',
  arrow: '->',
  stepDone: '+',
  stepNow: '>',
  stepTodo: '.',
  upDown: 'Up/Dn',
  more: 'v',
  moreAbove: '^',
  rule: '-',
  sep: ' | ',
};

export function makeTheme(options: { color: boolean; ascii: boolean }): Theme {
  return {
    color: options.color,
    ascii: options.ascii,
    borderStyle: options.ascii ? 'classic' : 'round',
    frameTop: options.ascii ? { left: '+', line: '-', right: '+' } : { left: '╭', line: '─', right: '╮' },
    glyph: options.ascii ? asciiGlyphs : unicodeGlyphs,
    tone: (tone) => (options.color ? colourTones[tone] : {}),
  };
}
