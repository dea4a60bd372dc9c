/**
 * The frame that ends a busy state (a verdict, a read's result, a rewrite's end, a download's end) is drawn
 * at once, not on Ink's render throttle (ui/ink-frame.ts): the throttle is for bursts of progress, and a
 * screen at rest must not wait behind the spinner's last frame. Measured on the demo (issue 15): the
 * spinner's tick drew a frame 9 ms before the verdict's commit, which then waited 34 ms, idle, to be drawn.
 * A layout effect runs after Ink's commit hook has handed the commit to the throttle, so the flush draws
 * exactly that commit.
 */
import { useLayoutEffect, useRef } from 'react';
import { useStdout } from 'ink';
import { flushFrame } from '../ink-frame.js';

export function useSettledFrame(busy: boolean): void {
  const { stdout } = useStdout();
  const wasBusy = useRef(busy);
  useLayoutEffect(() => {
    if (wasBusy.current && !busy) flushFrame(stdout);
    wasBusy.current = busy;
  }, [busy, stdout]);
}
