/** Renders prepared lines, each cut to the width first (Ink's own truncation can overflow on CJK). */
import { Box, Text } from 'ink';
import type { Theme } from '../theme.js';
import { truncateLine, type Line } from '../text/lines.js';

export function Lines({ lines, width, theme }: { lines: Line[]; width: number; theme: Theme }) {
  return (
    <Box flexDirection="column">
      {lines.map((line, i) => (
        <Text key={i} wrap="truncate-end">
          {truncateLine(line, width, theme.glyph.ellipsis).map((segment, j) => (
            <Text key={j} {...theme.tone(segment.tone ?? 'plain')}>
              {segment.text}
            </Text>
          ))}
        </Text>
      ))}
    </Box>
  );
}
