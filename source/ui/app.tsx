/**
 * The root: owns the state (one reducer), wires the hooks that talk to the engine, turns keys into
 * commands through the keymap, and owns the exit and its code (see exitCodeOnQuit: the last thing shown;
 * Ctrl-C is 130). Ctrl-C while a rewrite writes waits for the write to settle before leaving, since a
 * card pulled or a process killed mid-write is what the do-not-remove warning is about.
 */
import { useCallback, useEffect, useMemo, useReducer, useRef, useState } from 'react';
import { useApp, useInput, useStdin } from 'ink';
import { exitCodeOf } from '../exit.js';
import type { Lang } from '../options.js';
import { Screen } from './components/screen.js';
import type { Engine } from './engine.js';
import { useCard } from './hooks/use-card.js';
import { readersSnapshot, useReaders } from './hooks/use-readers.js';
import { useCertificates, useRewrite } from './hooks/use-rewrite.js';
import { needsCertificates } from './state/rewrite.js';
import { useEventBounds, useEventLog } from './hooks/use-event-log.js';
import { useRedetect } from './hooks/use-redetect.js';
import { useReport } from './hooks/use-report.js';
import { reportPanel } from './view/report-lines.js';
import { useScenarioSwitch } from './hooks/use-scenarios.js';
import { useFunctionKeys } from './hooks/use-function-keys.js';
import { useTerminalSize } from './hooks/use-terminal-size.js';
import { keyEvents, resolveCommand, type UiCommand, type KeyContext, type KeyPress, type Mode } from './keymap.js';
import { initialOverlays, reduceOverlays } from './state/overlays.js';
import { anyRewriteRunning, exitCodeOnQuit, initialState, isPinBlocked, reduce, summaryOf } from './state/app.js';
import { tabReaders } from './state/readers.js';
import { useSpinner } from './hooks/use-spinner.js';
import { useSettledFrame } from './hooks/use-settled-frame.js';
import { t } from '../i18n/t.js';
import type { UiKey } from '../i18n/ui.js';
import '../i18n/ui.js';
import type { AppState } from './state/types.js';
import { makeTheme } from './theme.js';
import { FRAMED_CHROME, NARROW_BELOW, STACKED_CHROME } from './view/layout.js';
import { outputHeight, outputLayout, outputPanel, padLines } from './view/output-lines.js';
import { innerWidth } from './components/panel.js';
import { clampIndex, paletteBindings, paletteEntries, palettePanel } from './view/palette.js';
import { STATUS_LINES, layoutScreen } from './view/screen-layout.js';

export interface AppProps {
  engine: Engine;
  lang: Lang;
  color: boolean;
  ascii: boolean;
  /** "Today" for days-left figures; tests pin it. */
  now?: () => Date;
  /** Told the line to print on the normal screen once the app leaves (run.tsx: after the alternate screen). */
  onSummary?: (line: string) => void;
  /** TERM=dumb: each state printed once (run.tsx), so no spinner turns. */
  lineMode?: boolean;
}

function modeOf(state: AppState): Mode {
  switch (state.rewrite.stage) {
    case 'pin':
      return state.rewrite.confirming ? 'pin-confirm' : 'pin';
    case 'running':
      return 'rewrite-running';
    case 'certificates':
      return 'certificates';
    case 'path':
    case 'unavailable':
      return 'rewrite-path';
    case 'done':
    case 'failed':
      return state.help.open ? 'help' : 'rewrite-result';
    case 'idle':
      return state.help.open ? 'help' : 'main';
  }
}

export function App({ engine, lang, color, ascii, now = () => new Date(), onSummary, lineMode = false }: AppProps) {
  const { exit } = useApp();
  const { isRawModeSupported } = useStdin();
  const { columns, rows } = useTerminalSize();
  const theme = useMemo(() => makeTheme({ color, ascii }), [color, ascii]);
  const scenarios = engine.scenarios;
  // The readers as they are now are in the first state: a card already in its reader is read from the first frame.
  const [firstReaders] = useState(() => readersSnapshot(engine));
  const [state, dispatch] = useReducer(reduce, undefined, () => reduce(initialState(lang, scenarios?.current() ?? null), firstReaders));
  const [overlays, overlay] = useReducer(reduceOverlays, initialOverlays);

  useReaders(engine, dispatch, firstReaders);
  const crl = useCard(engine, state, dispatch);
  const pin = useRewrite(engine, state, dispatch);
  const certificates = useCertificates(engine, state, dispatch);
  const redetect = useRedetect(engine, dispatch);
  const switchScenario = useScenarioSwitch(engine, dispatch);
  const eventBounds = useEventBounds(engine);
  const writeReport = useReport(engine, overlay);

  const under = modeOf(state);
  // The PIN prompt takes the keyboard: a palette left open under a rewrite that reached it is not shown.
  const paletteOpen = overlays.palette.open && under !== 'pin' && under !== 'pin-confirm';
  // The helpdesk report's panel (key e) over the screens, until closed.
  const reportOpen = overlays.report.state !== 'closed' && under !== 'pin' && under !== 'pin-confirm' && under !== 'rewrite-running';
  // The Output panel; on a short terminal it takes the screen, except while a prompt needs an answer.
  const outputAt = outputLayout(rows);
  const outputShown = overlays.output.open && !paletteOpen && !(outputAt.full && ['pin', 'pin-confirm', 'certificates', 'rewrite-path'].includes(under));
  const events = useEventLog(engine, outputShown);
  const outputRows = outputHeight(outputAt, rows, STATUS_LINES, columns < NARROW_BELOW ? STACKED_CHROME : FRAMED_CHROME);
  const baseKeys: Omit<KeyContext, 'canScroll'> = {
    mode: paletteOpen ? 'palette' : reportOpen ? 'report' : under,
    under: reportOpen ? 'report' : under,
    output: !outputShown ? 'closed' : outputAt.full ? 'full' : 'panel',
    canRewrite: state.card.phase === 'checked' && (state.card.result.verdict.verdict === 'B-1' || needsCertificates(state.card)) && state.rewrite.stage !== 'done' && !isPinBlocked(state),
    canCheck: state.card.phase === 'checked' || state.card.phase === 'check-failed',
    demo: scenarios !== undefined,
    error: state.card.phase === 'read-failed' || state.card.phase === 'check-failed' || state.rewrite.stage === 'failed' ||
      (state.rewrite.stage === 'certificates' && state.rewrite.error !== undefined),
    tabs: tabReaders(state.readers).length,
    writing: anyRewriteRunning(state),
  };
  const entries = useMemo(
    () => (paletteOpen ? paletteEntries(baseKeys, state.lang, theme.glyph, overlays.palette.query) : []),
    // eslint-disable-next-line react-hooks/exhaustive-deps
    [paletteOpen, overlays.palette.query, state.lang, theme, baseKeys.under, baseKeys.canCheck, baseKeys.canRewrite, baseKeys.demo, baseKeys.tabs, baseKeys.writing],
  );
  const palette = paletteOpen ? palettePanel(overlays.palette.query, overlays.palette.index, entries, paletteBindings().length) : undefined;
  const demoPin = useMemo(() => engine.info().demoPin, [engine]);
  const today = now();
  const busy =
    state.card.phase === 'reading' || state.card.phase === 'checking' || state.rewrite.stage === 'path' || state.rewrite.stage === 'running' ||
    state.activity !== null || state.switching || overlays.report.state === 'writing' ||
    // A tab not shown that reads, checks or writes: its glyph in the tab bar turns too.
    Object.values(state.tabs).some((tab) => tab.card.phase === 'reading' || tab.card.phase === 'checking' || tab.rewrite.stage === 'running');
  const spinner = useSpinner(busy, ascii, lineMode);
  useSettledFrame(busy);
  // Laid out once; the layout decides whether the page keys apply (the focus panel scrolls) and says so in
  // the hints. A full-screen Output panel hides the screens: nothing of theirs to page.
  const layout = layoutScreen({
    state, theme, columns, rows, now: today, keys: baseKeys, pageKeys: !(outputShown && outputAt.full), scenarios: scenarios?.list() ?? [],
    ...(demoPin === undefined ? {} : { demoPin }),
    ...(palette !== undefined ? { overlay: palette } : reportOpen ? { overlay: reportPanel(overlays.report) } : {}),
    // The Output panel's rows below the screens (full screen: the screens are not drawn).
    ...(outputShown && !outputAt.full ? { bottomRows: outputAt.rows } : {}),
    ...(spinner === undefined ? {} : { spinner }),
    ...(crl === undefined ? {} : { crl }),
  });
  const keys = layout.keys;

  // Every way out says what the screen said last, for the line printed after the alternate screen.
  const leave = (code: number): void => {
    onSummary?.(summaryOf(state, (key, params) => t(state.lang, key as UiKey, params)));
    exit(code);
  };
  useEffect(() => {
    if (state.quitPending && !baseKeys.writing) leave(exitCodeOf('cancelled'));
    // eslint-disable-next-line react-hooks/exhaustive-deps
  }, [state.quitPending, baseKeys.writing, exit]);

  const run = useCallback(
    (command: UiCommand, input: string): void => {
      switch (command) {
        case 'palette':
          overlay({ type: 'palette-open' });
          return;
        case 'palette-close':
          overlay({ type: 'palette-close' });
          return;
        case 'palette-type':
          overlay({ type: 'palette-type', text: input });
          return;
        case 'palette-backspace':
          overlay({ type: 'palette-backspace' });
          return;
        case 'palette-prev':
        case 'palette-next':
          overlay({ type: 'palette-move', delta: command === 'palette-next' ? 1 : -1, count: entries.length });
          return;
        case 'output':
          overlay({ type: 'output-toggle' });
          return;
        case 'report':
          writeReport();
          return;
        case 'report-close':
          overlay({ type: 'report-close' });
          return;
        case 'output-up':
        case 'output-down':
        case 'output-line-up':
        case 'output-line-down': {
          const step = command.startsWith('output-line') ? 1 : Math.max(1, outputRows - 1);
          const delta = command.endsWith('up') ? step : -step;
          const bounds = eventBounds();
          if (bounds === null) return;
          overlay({ type: 'output-scroll', delta, first: bounds.first, last: bounds.last, height: outputRows });
          return;
        }
        case 'output-end':
          overlay({ type: 'output-follow' });
          return;
        case 'palette-run': {
          // Enter on a dimmed entry does nothing: its reason is on screen beside it.
          const entry = entries[clampIndex(overlays.palette.index, entries.length)];
          if (entry === undefined || !entry.available) return;
          overlay({ type: 'palette-close' });
          run(entry.command, '');
          return;
        }
        case 'interrupt':
          // Any tab's write (shown or not) settles first: interrupting a write could damage the card.
          if (anyRewriteRunning(state)) dispatch({ type: 'quit-pending' });
          else leave(exitCodeOf('cancelled'));
          return;
        case 'quit':
          if (anyRewriteRunning(state)) dispatch({ type: 'quit-pending' });
          else leave(exitCodeOnQuit(state));
          return;
        case 'tab-next':
        case 'tab-prev':
          dispatch({ type: 'tab-move', delta: command === 'tab-next' ? 1 : -1 });
          return;
        case 'select-prev':
        case 'select-next':
          dispatch({ type: 'select-move', delta: command === 'select-next' ? 1 : -1 });
          return;
        case 'redetect':
          redetect();
          return;
        case 'check':
          dispatch({ type: 'recheck' });
          return;
        case 'rewrite':
          dispatch({ type: 'rewrite-open' });
          return;
        case 'help':
        case 'close':
          if (state.help.open || command === 'help') dispatch({ type: 'help-toggle' });
          else dispatch({ type: 'rewrite-close' });
          return;
        case 'scroll-up':
        case 'scroll-down':
        case 'page-up':
        case 'page-down': {
          // The layout on screen bounds the scroll and sets the page.
          const step = command.startsWith('page') ? layout.scroll.page : 1;
          // An end-anchored panel (the PIN prompt's) counts its offset from the end: down brings it back.
          const down = command.endsWith('down') !== (layout.scroll.anchor === 'end');
          const delta = down ? step : -step;
          dispatch({ type: state.help.open ? 'help-scroll' : 'scroll', delta, max: layout.scroll.max });
          return;
        }
        case 'lang':
          dispatch({ type: 'lang-toggle' });
          return;
        case 'scenario':
          switchScenario();
          return;
        case 'cert-type':
        case 'cert-backspace':
          if (state.rewrite.stage === 'certificates') {
            const text = state.rewrite.text;
            dispatch({ type: 'cert-text', text: command === 'cert-type' ? text + input : [...text].slice(0, -1).join('') });
          }
          return;
        case 'cert-cancel':
          dispatch({ type: 'rewrite-close' });
          return;
        case 'cert-submit':
          certificates.submit();
          return;
        case 'pin-digit':
          pin.type(input);
          return;
        case 'pin-backspace':
          pin.backspace();
          return;
        case 'pin-submit':
          pin.submit();
          return;
        case 'pin-invalid':
          pin.type(input);
          return;
        case 'pin-confirm':
          pin.submit(true);
          return;
        case 'pin-confirm-back':
          dispatch({ type: 'pin-confirm-back' });
          return;
        case 'pin-cancel':
          pin.cancel();
          return;
      }
    },
    [state, exit, pin, redetect, switchScenario, writeReport, eventBounds, layout, entries, overlays.palette.index, outputRows],
  );

  // Ink re-subscribes a new input handler only after an effect, so a key arriving right after a frame
  // could meet a stale one: the handler stays the same and reads the latest render's state.
  const latest = useRef({ keys, run });
  latest.current = { keys, run };
  const onInput = useCallback((input: string, key: KeyPress) => {
    for (const event of keyEvents(input, key, latest.current.keys.mode)) {
      const command = resolveCommand(event.input, event.key, latest.current.keys);
      if (command !== null) latest.current.run(command, event.text);
    }
  }, []);
  useInput(onInput, { isActive: isRawModeSupported === true });
  useFunctionKeys(onInput, isRawModeSupported === true);

  const output = outputShown ? outputPanel({ lang: state.lang, theme, width: innerWidth(columns, columns >= NARROW_BELOW), now: today }, events, overlays.output.anchor, outputRows) : undefined;
  return (
    <Screen
      layout={layout}
      theme={theme}
      columns={columns}
      {...(output === undefined ? {} : { output: { title: output.title, lines: padLines(output.lines, outputRows), full: outputAt.full } })}
    />
  );
}
