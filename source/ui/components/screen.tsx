/** The whole frame: side bar + main column (or stacked when narrow), then the status bar. Renders only. */
import { Box } from 'ink';
import type { ScenarioName } from '../../options.js';
import { ui } from '../i18n.js';
import type { KeyContext } from '../keymap.js';
import type { AppState } from '../state/types.js';
import type { Theme } from '../theme.js';
import { cardLines } from '../view/card-lines.js';
import type { ViewContext } from '../view/context.js';
import { guidanceLines } from '../view/guidance-lines.js';
import { helpLines } from '../view/help-lines.js';
import { FRAMED_CHROME, NARROW_BELOW, STACKED_CHROME, clip, fitHeights, sidebarWidth, type PanelModel } from '../view/layout.js';
import { readerLines, scenarioLines } from '../view/reader-lines.js';
import { resultLines } from '../view/result-lines.js';
import { rewriteLines } from '../view/rewrite-lines.js';
import { hintLine, serviceLine } from '../view/status-lines.js';
import { Lines } from './lines.js';
import { innerWidth, Panel } from './panel.js';

export interface ScreenProps {
  state: AppState;
  theme: Theme;
  columns: number;
  rows: number;
  now: Date;
  keys: KeyContext;
  scenarios: readonly ScenarioName[];
  demoPin?: string;
  /** The command palette (components/workbench.tsx): replaces the main column's panels while open. */
  overlay?: (ctx: ViewContext, room: number) => PanelModel;
}

const STATUS_LINES = 2;

export function Screen({ state, theme, columns, rows, now, keys, scenarios, demoPin, overlay }: ScreenProps) {
  const narrow = columns < NARROW_BELOW;
  const framed = !narrow;
  const chrome = framed ? FRAMED_CHROME : STACKED_CHROME;
  const sideWidth = narrow ? 0 : sidebarWidth(columns);
  const mainWidth = columns - sideWidth;
  const lang = state.lang;
  const ctx = (width: number): ViewContext => ({ lang, theme, width, now });
  const mainInner = innerWidth(mainWidth, framed);
  const budget = Math.max(1, rows - 1 - STATUS_LINES);

  const sideLines = [
    ...readerLines(ctx(innerWidth(narrow ? columns : sideWidth, framed)), state, narrow),
    ...(keys.demo && !narrow ? [[{ text: '' }], ...scenarioLines(ctx(innerWidth(sideWidth, framed)), scenarios, state.scenario)] : []),
  ];
  const readersPanel: PanelModel = { id: 'readers', title: ui(lang, 'readers.title'), lines: sideLines, shrinkOrder: 1 };

  const main: PanelModel[] = [];
  if (overlay !== undefined) {
    main.push(overlay(ctx(mainInner), Math.max(1, budget - chrome)));
  } else if (state.help.open) {
    const all = helpLines(ctx(mainInner), keys.demo);
    const room = Math.max(1, narrow ? budget - 2 * chrome - sideLines.length : budget - chrome);
    const scroll = Math.min(state.help.scroll, Math.max(0, all.length - room));
    main.push({ id: 'help', title: ui(lang, 'help.title'), lines: all.slice(scroll), shrinkOrder: 0 });
  } else {
    const readersCount = state.readers.list.length;
    main.push({ id: 'card', title: ui(lang, 'card.title'), lines: cardLines(ctx(mainInner), state.card, readersCount, state.readers.selected), shrinkOrder: 2 });
    main.push({ id: 'result', title: ui(lang, 'result.title'), lines: resultLines(ctx(mainInner), state), shrinkOrder: 3 });
    if (state.rewrite.stage !== 'idle') {
      // The rewrite panel (warning, PIN prompt, progress) gives up lines last.
      main.push({ id: 'rewrite', title: ui(lang, 'rewrite.title'), lines: rewriteLines(ctx(mainInner), state.rewrite, demoPin === undefined ? {} : { demoPin }), shrinkOrder: 4 });
    } else if (state.card.phase === 'checked') {
      const guidance = guidanceLines(ctx(mainInner), state.card.result.guidance);
      if (guidance.length > 0) main.push({ id: 'guidance', title: ui(lang, 'guidance.title'), lines: guidance, shrinkOrder: 0 });
    }
  }
  const stacked = narrow && overlay === undefined ? [readersPanel, ...main] : main;
  const heights = fitHeights(stacked, budget, chrome);
  const panels = stacked.map((p, i) => (
    <Panel key={p.id} title={p.title} lines={clip(ctx(mainInner), p.lines, heights[i]!)} width={narrow ? columns : mainWidth} framed={framed} theme={theme} />
  ));
  const status = [hintLine(ctx(columns), keys), serviceLine(ctx(columns), state, keys.demo)];

  return (
    <Box flexDirection="column" width={columns}>
      {narrow ? (
        <Box flexDirection="column">{panels}</Box>
      ) : (
        <Box flexDirection="row">
          <Panel
            title={readersPanel.title}
            lines={clip(ctx(innerWidth(sideWidth, true)), sideLines, Math.max(1, budget - chrome))}
            width={sideWidth}
            framed
            grow
            theme={theme}
          />
          <Box flexDirection="column" width={mainWidth}>
            {panels}
          </Box>
        </Box>
      )}
      <Lines lines={status} width={columns} theme={theme} />
    </Box>
  );
}
