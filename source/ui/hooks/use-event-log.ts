/**
 * The engine's event log for the Output panel. The log is the engine's (a ring it keeps whether or not
 * anyone looks); this hook only re-renders while the panel is open, and at most every 50 ms however fast
 * lines come (a burst of APDUs must never hold up the keys or the frame).
 */
import { useCallback, useEffect, useRef, useState } from 'react';
import type { Engine, EventLine } from '../engine.js';

export const OUTPUT_REFRESH_MS = 50;

export function useEventLog(engine: Engine, open: boolean): readonly EventLine[] {
  const [, setVersion] = useState(0);
  const shown = useRef(0);
  useEffect(() => {
    if (!open) return;
    let timer: NodeJS.Timeout | undefined;
    const refresh = (): void => {
      timer ??= setTimeout(() => {
        timer = undefined;
        setVersion((v) => v + 1);
      }, OUTPUT_REFRESH_MS);
    };
    const unsubscribe = engine.events.subscribe(refresh);
    // Lines logged between the render and this subscription would otherwise wait for the next one.
    if ((engine.events.lines().at(-1)?.seq ?? 0) !== shown.current) refresh();
    return () => {
      unsubscribe();
      if (timer !== undefined) clearTimeout(timer);
    };
  }, [engine, open]);
  if (!open) return [];
  const lines = engine.events.lines();
  shown.current = lines.at(-1)?.seq ?? 0;
  return lines;
}

/** The seq of the first and the last line the log keeps now (the Output panel's scroll bounds); null while empty. */
export function useEventBounds(engine: Engine): () => { first: number; last: number } | null {
  return useCallback(() => {
    const all = engine.events.lines();
    return all.length === 0 ? null : { first: all[0]!.seq, last: all.at(-1)!.seq };
  }, [engine]);
}
