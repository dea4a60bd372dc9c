/**
 * How the TUI uses the terminal (issue 14 items 11, 15):
 * - the alternate screen on a terminal that can move the cursor (left on exit: the shell's screen comes
 *   back and one summary line is printed on it);
 * - line mode for TERM=dumb (no cursor motion at all): every distinct state printed once, in full, one
 *   line after the other, and ASCII glyphs;
 * - ASCII glyphs by default also when the locale is C/POSIX (no UTF-8 promised), or TERM=dumb.
 * CI gets neither (Ink draws only at exit there).
 */
import isInCi from 'is-in-ci';

export const ALT_ENTER = '\u001B[?1049h';
export const ALT_LEAVE = '\u001B[?1049l';

export interface ScreenMode {
  altScreen: boolean;
  lineMode: boolean;
  /** ASCII glyphs and borders by default (the --ascii flag forces them anyway). */
  ascii: boolean;
}

export function screenModeFor(env: NodeJS.ProcessEnv, stdout: Pick<NodeJS.WriteStream, 'isTTY'>, inCi: boolean = isInCi): ScreenMode {
  const term = env.TERM ?? '';
  const dumb = term === 'dumb' || term === '';
  const locale = env.LC_ALL || env.LC_CTYPE || env.LANG || '';
  const plainLocale = locale === '' || locale === 'C' || locale === 'POSIX' || !/utf-?8/i.test(locale);
  return {
    altScreen: stdout.isTTY === true && !dumb && !inCi,
    lineMode: dumb && !inCi,
    ascii: dumb || plainLocale,
  };
}

/**
 * A stdout for Ink's debug rendering (each frame written whole, no cursor motion) that prints a frame
 * only when it differs from the last one printed, after a blank line: each state once, line by line.
 */
export function lineModeStdout(stdout: NodeJS.WriteStream): NodeJS.WriteStream {
  let last = '';
  return new Proxy(stdout, {
    get(target, prop, receiver) {
      if (prop === 'write') {
        return (chunk: string | Uint8Array, ...rest: unknown[]): boolean => {
          const text = typeof chunk === 'string' ? chunk : Buffer.from(chunk).toString('utf8');
          // Ink's own cursor show/hide and erase sequences have no place on a dumb terminal.
          // eslint-disable-next-line no-control-regex
          const frame = text.replace(/\u001B\[[0-9;?]*[A-Za-z]/g, '').replace(/\s+$/, '');
          if (frame === '' || frame === last) return true;
          last = frame;
          const cb = rest.find((r) => typeof r === 'function') as (() => void) | undefined;
          return target.write(`${frame}\n\n`, cb);
        };
      }
      const value = Reflect.get(target, prop, receiver) as unknown;
      return typeof value === 'function' ? (value as (...a: unknown[]) => unknown).bind(target) : value;
    },
  });
}
