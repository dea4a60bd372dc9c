/** The whole frame, as view/screen-layout.ts laid it out: side bar + main column, or stacked; the status bar. */
import { Box } from 'ink';
import type { Theme } from '../theme.js';
import type { Line } from '../text/lines.js';
import { NARROW_BELOW } from '../view/layout.js';
import type { ScreenLayout } from '../view/screen-layout.js';
import { Lines } from './lines.js';
import { Panel } from './panel.js';

export interface ScreenProps {
  layout: ScreenLayout;
  theme: Theme;
  columns: number;
  /**
   * The Output panel (view/output-lines.ts), already cut to its height: below the screens (the layout left
   * it the room), or alone above the status bar when `full`.
   */
  output?: { title: string; lines: Line[]; full: boolean };
}

export function Screen({ layout, theme, columns, output }: ScreenProps) {
  const framed = layout.wide;
  const width = framed ? layout.mainWidth : columns;
  // Beside the side bar, the last panel stretches so both columns end on the same row.
  const panels = layout.panels.map((p, i) => (
    <Panel key={p.id} title={p.title} lines={p.lines} width={width} framed={framed} theme={theme} grow={layout.side !== null && i === layout.panels.length - 1} />
  ));
  const tabs = layout.tabs === null ? null : <Lines lines={[layout.tabs]} width={width} theme={theme} />;
  const bottom = output && <Panel key="output" title={output.title} lines={output.lines} width={columns} framed={columns >= NARROW_BELOW} theme={theme} />;
  if (output?.full) {
    return (
      <Box flexDirection="column" width={columns}>
        {bottom}
        <Lines lines={layout.status} width={columns} theme={theme} />
      </Box>
    );
  }
  return (
    <Box flexDirection="column" width={columns}>
      {layout.side !== null ? (
        <Box flexDirection="row">
          <Panel title={layout.side.title} lines={layout.side.lines} width={layout.sideWidth} framed grow theme={theme} />
          <Box flexDirection="column" width={layout.mainWidth}>
            {tabs}
            {panels}
          </Box>
        </Box>
      ) : (
        <Box flexDirection="column">
          {tabs}
          {panels}
        </Box>
      )}
      {bottom}
      <Lines lines={layout.status} width={columns} theme={theme} />
    </Box>
  );
}
