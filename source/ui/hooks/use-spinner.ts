/**
 * A spinner frame while something runs (reading, checking, downloading, re-detecting): a new frame every
 * 120 ms while `active`, none otherwise (so an idle screen renders nothing). Off in line mode (TERM=dumb):
 * there each state is printed once, and a turning spinner would print a frame per tick.
 */
import { useEffect, useState } from 'react';

const UNICODE = ['⠋', '⠙', '⠹', '⠸', '⠼', '⠴', '⠦', '⠧', '⠇', '⠏'];
const ASCII = ['|', '/', '-', '\\'];

export function useSpinner(active: boolean, ascii: boolean, still = false): string | undefined {
  const frames = ascii ? ASCII : UNICODE;
  const [i, setI] = useState(0);
  useEffect(() => {
    if (!active || still) return;
    const timer = setInterval(() => setI((n) => (n + 1) % frames.length), 120);
    // Never what keeps the process alive (an app left mounted, a test that failed mid-way).
    timer.unref();
    return () => clearInterval(timer);
  }, [active, still, frames.length]);
  return active ? frames[still ? 0 : i % frames.length] : undefined;
}
