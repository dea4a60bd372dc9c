/**
 * The root: owns the state (one reducer), wires the hooks that talk to the engine, turns keys into
 * commands through the keymap, and owns the exit and its code (see exitCodeOf: the last thing shown;
 * Ctrl-C is 130). Ctrl-C while a rewrite writes waits for the write to settle before leaving, since a
 * card pulled or a process killed mid-write is what the do-not-remove warning is about.
 */
import { useCallback, useEffect, useMemo, useReducer, useRef } from 'react';
import { useApp, useInput, useStdin, type Key } from 'ink';
import { ERROR_EXIT } from '../errors.js';
import type { Lang } from '../options.js';
import { Screen } from './components/screen.js';
import type { Engine } from './engine.js';
import { useCard } from './hooks/use-card.js';
import { useReaders } from './hooks/use-readers.js';
import { useRewrite } from './hooks/use-rewrite.js';
import { useTerminalSize } from './hooks/use-terminal-size.js';
import { resolveCommand, type Command, type KeyContext, type Mode } from './keymap.js';
import { exitCodeOf, initialState, isPinBlocked, reduce } from './state/app.js';
import type { AppState } from './state/types.js';
import { makeTheme } from './theme.js';
import { helpLines } from './view/help-lines.js';

export interface AppProps {
  engine: Engine;
  lang: Lang;
  color: boolean;
  ascii: boolean;
  /** "Today" for days-left figures; tests pin it. */
  now?: () => Date;
}

function modeOf(state: AppState): Mode {
  switch (state.rewrite.stage) {
    case 'pin':
      return state.rewrite.confirming ? 'pin-confirm' : 'pin';
    case 'running':
      return 'rewrite-running';
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

export function App({ engine, lang, color, ascii, now = () => new Date() }: AppProps) {
  const { exit } = useApp();
  const { isRawModeSupported } = useStdin();
  const { columns, rows } = useTerminalSize();
  const theme = useMemo(() => makeTheme({ color, ascii }), [color, ascii]);
  const scenarios = engine.scenarios;
  const [state, dispatch] = useReducer(reduce, undefined, () => initialState(lang, scenarios?.current() ?? null));

  useReaders(engine, dispatch);
  useCard(engine, state, dispatch);
  const pin = useRewrite(engine, state, dispatch);

  const keys: KeyContext = {
    mode: modeOf(state),
    canRewrite: state.card.phase === 'checked' && state.card.result.verdict.verdict === 'B-1' && state.rewrite.stage !== 'done' && !isPinBlocked(state),
    canCheck: state.card.phase === 'checked' || state.card.phase === 'check-failed',
    demo: scenarios !== undefined,
  };

  useEffect(() => {
    if (state.quitPending && state.rewrite.stage !== 'running') exit(ERROR_EXIT.cancelled);
  }, [state.quitPending, state.rewrite.stage, exit]);

  const run = useCallback(
    (command: Command, input: string) => {
      switch (command) {
        case 'interrupt':
          if (state.rewrite.stage === 'running') dispatch({ type: 'quit-pending' });
          else exit(ERROR_EXIT.cancelled);
          return;
        case 'quit':
          exit(exitCodeOf(state));
          return;
        case 'select-prev':
        case 'select-next':
          dispatch({ type: 'select-move', delta: command === 'select-next' ? 1 : -1 });
          return;
        case 'redetect':
          engine.redetect().then(
            () => {
              dispatch({ type: 'readers', readers: engine.readers(), serviceUp: engine.serviceUp() });
              dispatch({ type: 'reread' });
            },
            () => dispatch({ type: 'readers', readers: engine.readers(), serviceUp: engine.serviceUp() }),
          );
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
          const step = command.startsWith('page') ? Math.max(1, rows - 6) : 1;
          const delta = command.endsWith('down') ? step : -step;
          // The help's length bounds the scroll (the view trims it to the exact room left).
          dispatch({ type: 'help-scroll', delta, max: helpLines({ lang: state.lang, theme, width: columns, now: new Date() }, keys.demo).length });
          return;
        }
        case 'lang':
          dispatch({ type: 'lang-toggle' });
          return;
        case 'scenario': {
          if (!scenarios) return;
          const list = scenarios.list();
          const next = list[(list.indexOf(scenarios.current()) + 1) % list.length];
          if (next === undefined) return;
          dispatch({ type: 'scenario', name: next });
          scenarios.switchTo(next).then(
            () => dispatch({ type: 'readers', readers: engine.readers(), serviceUp: engine.serviceUp() }),
            () => dispatch({ type: 'scenario', name: scenarios.current() }),
          );
          return;
        }
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
    [state, engine, exit, pin, scenarios, rows, columns, theme, keys.demo],
  );

  // Ink re-subscribes a new input handler only after an effect, so a key arriving right after a frame
  // could meet a stale one: the handler stays the same and reads the latest render's state.
  const latest = useRef({ keys, run });
  latest.current = { keys, run };
  const onInput = useCallback((input: string, key: Key) => {
    // A paste or a fast typist delivers several keys in one chunk ("123456\r"); in the PIN prompt each
    // character counts on its own, so the chunk is taken apart before the keymap sees it.
    if (latest.current.keys.mode === 'pin' && input.length > 1 && !/^[0-9]+$/.test(input)) {
      for (const ch of input) {
        const control = ch === '\r' || ch === '\n' || ch === '\u007F' || ch === '\b';
        const one: Key = { ...key, return: ch === '\r' || ch === '\n', delete: ch === '\u007F', backspace: ch === '\b' };
        const command = resolveCommand(control ? '' : ch, one, latest.current.keys);
        if (command !== null) latest.current.run(command, ch);
      }
      return;
    }
    const command = resolveCommand(input, key, latest.current.keys);
    if (command !== null) latest.current.run(command, input);
  }, []);
  useInput(onInput, { isActive: isRawModeSupported === true });

  const demoPin = useMemo(() => engine.info().demoPin, [engine]);
  return <Screen state={state} theme={theme} columns={columns} rows={rows} now={now()} keys={keys} scenarios={scenarios?.list() ?? []} demoPin={demoPin} />;
}
