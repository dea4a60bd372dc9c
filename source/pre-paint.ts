/**
 * Pre-paint: the TUI's first line, written by the bin entry before the app (Ink, React, yoga) loads, so a
 * person sees the app at once. The bytes are exactly those of Ink's first frame (the Boot line: same text,
 * same tone through the same chalk; test/ui/pre-paint.test.ts compares them byte for byte with what Ink
 * writes), followed by a carriage return: Ink's first frame then overwrites them in place, cell for cell,
 * with no flicker and nothing left behind.
 *
 * Written only where Ink will draw that frame at once, over the same line: the TUI path (no subcommand,
 * no --help/--version, flags that parse), a terminal on both stdin and stdout, not CI (Ink draws only at
 * exit there), not a dumb terminal, not Ink's screen-reader mode, at least PREPAINT_MIN_COLUMNS columns
 * (the line is never cut) and two rows. Anything else: nothing is written and the app starts as before.
 */
import isInCi from 'is-in-ci';
import { parseOptions } from './options.js';
import { PREPAINT_MIN_COLUMNS, STARTING_TONE, startingLine, type BootLineProps } from './ui/boot-line.js';
import { makeTheme } from './ui/theme.js';
import { screenModeFor } from './ui/screen-mode.js';

type Chalk = typeof import('chalk').default;

/** The starting line styled as Ink's <Text> styles it (dim, then colour, then bold), through `chalk`. */
export function prePaintBytes(props: BootLineProps, chalk: Chalk): string {
  const style = makeTheme(props).tone(STARTING_TONE);
  let text = startingLine(props);
  if (style.dimColor) text = chalk.dim(text);
  if (style.color) text = (chalk[style.color as 'red'] as Chalk)(text);
  if (style.bold) text = chalk.bold(text);
  return text;
}

/** The options to pre-paint for, or undefined when this start is not one to pre-paint. */
export function prePaintFor(
  argv: readonly string[],
  env: NodeJS.ProcessEnv,
  stdout: Pick<NodeJS.WriteStream, 'isTTY' | 'columns' | 'rows'>,
  stdin: Pick<NodeJS.ReadStream, 'isTTY'>,
  inCi: boolean = isInCi,
): BootLineProps | undefined {
  if (!stdout.isTTY || !stdin.isTTY || inCi) return undefined;
  if ((env.TERM ?? '') === '' || env.TERM === 'dumb' || env.INK_SCREEN_READER === 'true') return undefined;
  if (!(stdout.columns >= PREPAINT_MIN_COLUMNS) || !(stdout.rows >= 2)) return undefined;
  let options;
  try {
    options = parseOptions(argv, env);
  } catch {
    return undefined; // the usage error is the app's to print
  }
  if (options.command !== undefined || options.show !== undefined) return undefined;
  // ASCII exactly when the app draws ASCII (--ascii, or a C/POSIX locale: ui/screen-mode.ts).
  return { lang: options.lang, color: options.color, ascii: options.ascii || screenModeFor(env, stdout, inCi).ascii };
}

/**
 * Writes the pre-paint when this start is one for it, synchronously; true when written. `loadChalk` gives
 * chalk once FORCE_COLOR is settled: chalk reads the colour level once, when it is evaluated. The bin runs
 * this from dist/pre-paint.cjs (one CommonJS file of its own: scripts/build.mjs), where chalk is required
 * at that moment; the app's Ink later evaluates its own chalk from the same environment.
 */
export function prePaint(loadChalk: () => Chalk, argv: readonly string[] = process.argv.slice(2), env: NodeJS.ProcessEnv = process.env): boolean {
  const props = prePaintFor(argv, env, process.stdout, process.stdin);
  if (props === undefined) return false;
  // The app decides colour the same way before Ink is loaded (cli.tsx).
  if (!props.color) env.FORCE_COLOR = '0';
  process.stdout.write(`${prePaintBytes(props, loadChalk())}\r`);
  return true;
}
