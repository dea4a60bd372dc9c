/**
 * The first frame: the title and "starting..." while the engine is built, then the App. An engine that
 * cannot be built (no PC/SC service, bad options) is shown in words and ends with its error's exit code.
 */
import { useEffect } from 'react';
import { Text, useApp, useInput, useStdin } from 'ink';
import { exitCodeOf } from '../exit.js';
import { App, type AppProps } from './app.js';
import type { Engine } from './engine.js';
import { useEngine } from './hooks/use-engine.js';
import { resolveCommand, type KeyContext } from './keymap.js';
import { t, errorText } from '../i18n/t.js';
import { ON_SCREEN } from '../i18n/screen.js';
import { makeTheme } from './theme.js';
import { truncateToWidth } from './text/width.js';
import { useTerminalSize } from './hooks/use-terminal-size.js';
import { STARTING_TONE, startingLine } from './boot-line.js';

/** The keys' context while the engine is built: no card, nothing to check or rewrite. */
const BOOT_KEYS: KeyContext = { mode: 'main', canRewrite: false, canCheck: false, demo: false };

export function Boot({ pending, ...props }: Omit<AppProps, 'engine'> & { pending: Promise<Engine> }) {
  const { engine, error } = useEngine(pending);
  const { exit } = useApp();
  const { isRawModeSupported } = useStdin();
  const { columns } = useTerminalSize();
  const theme = makeTheme(props);
  useInput(
    (input, key) => {
      // Through the one key table; nothing but its interrupt (Ctrl-C) works before the App is up.
      if (resolveCommand(input, key, BOOT_KEYS) !== 'interrupt') return;
      props.onSummary?.(t(props.lang, 'summary.cancelled'));
      exit(exitCodeOf('cancelled'));
    },
    { isActive: isRawModeSupported === true && engine === undefined },
  );
  useEffect(() => {
    if (!error) return;
    props.onSummary?.(`${t(props.lang, 'app.failed')}: ${errorText(props.lang, error, ON_SCREEN)}`);
    exit(exitCodeOf(error.code));
    // eslint-disable-next-line react-hooks/exhaustive-deps
  }, [error, exit]);
  if (engine) return <App engine={engine} {...props} />;
  const line = error
    ? `${theme.glyph.error} ${t(props.lang, 'app.failed')}: ${errorText(props.lang, error, ON_SCREEN)}`
    : startingLine(props);
  return <Text {...theme.tone(error ? 'error' : STARTING_TONE)}>{truncateToWidth(line, columns, theme.glyph.ellipsis)}</Text>;
}
