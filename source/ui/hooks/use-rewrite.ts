/**
 * The rewrite's I/O: asks the write path when the flow opens, holds the PIN being typed (a PinBuffer in
 * a ref, never React state), and hands it to engine.rewrite on submit. Every copy of the PIN is zeroed:
 * the typing buffer on submit, cancel and unmount; the handed-over buffer as soon as the rewrite settles.
 */
import { useCallback, useEffect, useRef, type Dispatch } from 'react';
import type { Engine } from '../engine.js';
import { cardInfo } from '../state/card.js';
import { PinBuffer } from '../state/pin-buffer.js';
import type { Action, AppState } from '../state/types.js';
import { attempt, toUiError } from './use-card.js';

export interface PinControls {
  type(input: string): void;
  backspace(): void;
  submit(): void;
  cancel(): void;
}

export function useRewrite(engine: Engine, state: AppState, dispatch: Dispatch<Action>): PinControls {
  const pin = useRef(new PinBuffer());
  const { rewrite } = state;
  const card = cardInfo(state.card);

  useEffect(() => () => pin.current.clear(), []);

  useEffect(() => {
    if (rewrite.stage !== 'path' || card === null) return;
    const key = rewrite.key;
    attempt(() => engine.rewritePath(card)).then(
      (path) => dispatch({ type: 'rewrite-path', key, path }),
      (e: unknown) => {
        const error = toUiError(e);
        dispatch({ type: 'rewrite-path', key, path: { path: 'unavailable', code: error.code, detail: error.message } });
      },
    );
    // eslint-disable-next-line react-hooks/exhaustive-deps
  }, [rewrite.stage, engine, dispatch]);

  // Leaving the prompt any way (Esc, a pulled card) drops what was typed.
  useEffect(() => {
    if (rewrite.stage !== 'pin') pin.current.clear();
  }, [rewrite.stage]);

  const type = useCallback(
    (input: string) => {
      if (pin.current.type(input)) dispatch({ type: 'pin-digits', digits: pin.current.length });
    },
    [dispatch],
  );
  const backspace = useCallback(() => {
    if (pin.current.backspace()) dispatch({ type: 'pin-digits', digits: pin.current.length });
  }, [dispatch]);
  const cancel = useCallback(() => {
    pin.current.clear();
    dispatch({ type: 'rewrite-close' });
  }, [dispatch]);

  const stage = rewrite.stage;
  const key = rewrite.stage === 'pin' ? rewrite.key : null;
  const submit = useCallback(() => {
    if (stage !== 'pin' || key === null || card === null) return;
    const secret = pin.current.take();
    if (secret === null) {
      dispatch({ type: 'pin-too-short' });
      return;
    }
    dispatch({ type: 'rewrite-start' });
    attempt(() => engine.rewrite(card, secret, (progress) => dispatch({ type: 'rewrite-progress', key, progress })))
      .then(
        (result) => dispatch({ type: 'rewrite-done', key, result }),
        (e: unknown) => dispatch({ type: 'rewrite-failed', key, error: toUiError(e) }),
      )
      .finally(() => secret.fill(0));
  }, [stage, key, card, engine, dispatch]);

  return { type, backspace, submit, cancel };
}
