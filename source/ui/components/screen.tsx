/** The whole frame, as view/screen-layout.ts laid it out: side bar + main column, or stacked; the status bar. */
import { Box } from 'ink';
import type { Theme } from '../theme.js';
import type { ScreenLayout } from '../view/screen-layout.js';
import { Lines } from './lines.js';
import { Panel } from './panel.js';

export interface ScreenProps {
  layout: ScreenLayout;
  theme: Theme;
  columns: number;
}

export function Screen({ layout, theme, columns }: ScreenProps) {
  const framed = layout.wide;
  const width = framed ? layout.mainWidth : columns;
  const panels = layout.panels.map((p) => <Panel key={p.id} title={p.title} lines={p.lines} width={width} framed={framed} theme={theme} />);
  return (
    <Box flexDirection="column" width={columns}>
      {layout.side !== null ? (
        <Box flexDirection="row">
          <Panel title={layout.side.title} lines={layout.side.lines} width={layout.sideWidth} framed grow theme={theme} />
          <Box flexDirection="column" width={layout.mainWidth}>
            {panels}
          </Box>
        </Box>
      ) : (
        <Box flexDirection="column">{panels}</Box>
      )}
      <Lines lines={layout.status} width={columns} theme={theme} />
    </Box>
  );
}
