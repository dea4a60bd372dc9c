/**
 * A titled panel. Framed: a hand-drawn top edge holding the title, then a box without its own top
 * border. Stacked (narrow terminals): a heading rule and the lines, no side borders to spend columns on.
 */
import { Box, Text } from 'ink';
import type { Theme } from '../theme.js';
import type { Line } from '../text/lines.js';
import { displayWidth, truncateToWidth } from '../text/width.js';
import { Lines } from './lines.js';

interface Props {
  title: string;
  lines: Line[];
  width: number;
  framed: boolean;
  theme: Theme;
  /** Stretch to fill the row's height (the side bar). */
  grow?: boolean;
}

/** Columns the content of a panel of `width` gets. */
export function innerWidth(width: number, framed: boolean): number {
  return framed ? width - 4 : width - 1;
}

function topEdge(title: string, width: number, theme: Theme, framed: boolean): string {
  const f = theme.frameTop;
  const rule = theme.glyph.rule;
  if (!framed) {
    const head = `${rule}${rule} ${truncateToWidth(title, width - 6, theme.glyph.ellipsis)} `;
    return head + rule.repeat(Math.max(0, width - displayWidth(head)));
  }
  const head = `${f.left}${f.line} ${truncateToWidth(title, width - 6, theme.glyph.ellipsis)} `;
  return head + f.line.repeat(Math.max(0, width - displayWidth(head) - 1)) + f.right;
}

export function Panel({ title, lines, width, framed, theme, grow }: Props) {
  const edge = theme.tone('border');
  return (
    <Box flexDirection="column" width={width} flexGrow={grow ? 1 : 0}>
      <Text {...edge}>{topEdge(title, width, theme, framed)}</Text>
      {framed ? (
        <Box
          borderStyle={theme.borderStyle}
          borderTop={false}
          borderColor={edge.color}
          borderDimColor={edge.dimColor}
          paddingX={1}
          width={width}
          flexGrow={grow ? 1 : 0}
          flexDirection="column"
        >
          <Lines lines={lines} width={innerWidth(width, true)} theme={theme} />
        </Box>
      ) : (
        <Box paddingLeft={1} width={width}>
          <Lines lines={lines} width={innerWidth(width, false)} theme={theme} />
        </Box>
      )}
    </Box>
  );
}
