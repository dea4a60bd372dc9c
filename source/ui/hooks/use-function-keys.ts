/**
 * F1: Ink 6 parses it (name 'f1') but its Key has no flag for it and the input comes through empty, so
 * useInput cannot tell it from any other function key. This listens to the same per-key input events Ink
 * parses from (its stdin event emitter) and reports F1 as a KeyPress the keymap can match.
 */
import { useEffect } from 'react';
import { useStdin } from 'ink';
import type { KeyPress } from '../keymap.js';

/** xterm/VT (SS3 P), the Linux console ([[A), rxvt and others ([11~). */
const F1 = new Set(['\u001BOP', '\u001B[11~', '\u001B[[A', '\u001B[1P']);

const NO_KEY: KeyPress = {
  upArrow: false, downArrow: false, pageDown: false, pageUp: false, end: false, return: false, escape: false, ctrl: false,
  backspace: false, delete: false, meta: false,
};

export function useFunctionKeys(onKey: (input: string, key: KeyPress) => void, isActive: boolean): void {
  const { internal_eventEmitter: emitter } = useStdin();
  useEffect(() => {
    if (!isActive) return;
    const onInput = (data: string): void => {
      if (F1.has(data)) onKey('', { ...NO_KEY, f1: true });
    };
    emitter.on('input', onInput);
    return () => {
      emitter.off('input', onInput);
    };
  }, [emitter, onKey, isActive]);
}
