/**
 * Ink draws a commit through a throttle (`maxFps`, 30: 34 ms) made with es-toolkit's, whose trailing edge
 * restarts on every call: a commit that comes a few ms after a drawn frame is drawn 34 ms after that
 * commit, however idle the thread is meanwhile. flushFrame draws the pending frame of the Ink instance on
 * `stdout` now. Ink has no public way to do this; its instance map and throttled render are internals of
 * Ink 6.8 (the version the lockfile holds), reached here only. test/ui/settled-frame.test.tsx fails if they
 * move (a flush that does nothing). An instance that does not throttle (debug, line mode) has nothing to
 * flush.
 */
import instances from '../../node_modules/ink/build/instances.js';

interface Throttled {
  flush?: () => unknown;
}

export function flushFrame(stdout: NodeJS.WriteStream): void {
  const ink = instances.get(stdout) as unknown as { throttledOnRender?: Throttled } | undefined;
  ink?.throttledOnRender?.flush?.();
}
