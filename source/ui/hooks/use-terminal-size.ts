/** Columns and rows, kept current on 'resize' (Ink 6 has no useWindowSize, and skips resize in CI). */
import { useEffect, useState } from 'react';
import { useStdout } from 'ink';

export interface TerminalSize {
  columns: number;
  rows: number;
}

function sizeOf(stdout: NodeJS.WriteStream): TerminalSize {
  return { columns: stdout.columns || 80, rows: stdout.rows || 24 };
}

export function useTerminalSize(): TerminalSize {
  const { stdout } = useStdout();
  const [size, setSize] = useState(() => sizeOf(stdout));
  useEffect(() => {
    // The same size again (the call below, a resize event that changed nothing) keeps the same state: no
    // render (one of the whole App at each mount, before: issue 15).
    const onResize = (): void => {
      const next = sizeOf(stdout);
      setSize((size) => (size.columns === next.columns && size.rows === next.rows ? size : next));
    };
    stdout.on('resize', onResize);
    onResize();
    return () => {
      stdout.off('resize', onResize);
    };
  }, [stdout]);
  return size;
}
