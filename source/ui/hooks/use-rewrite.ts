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
import { attempt, toUiError } from './engine-call.js';

export interface PinControls {
  type(input: string): void;
  backspace(): void;
  /** Enter; on the last try the first Enter asks, `confirmed` (y) then spends it. */
  submit(confirmed?: boolean): void;
  cancel(): void;
}


/**
 * No registry: the new certificates' files, each read and checked by the engine (a certificate, its slot
 * from the key usage, a slot the card holds) before the write path and the PIN. Enter on an empty line
 * goes on with what was given.
 */
export function useCertificates(engine: Engine, state: AppState, dispatch: Dispatch<Action>): { submit(): void } {
  const card = cardInfo(state.card);
  const { rewrite } = state;
  const submit = useCallback(() => {
    if (rewrite.stage !== 'certificates' || card === null || rewrite.busy) return;
    const path = rewrite.text.trim();
    if (path === '') {
      dispatch({ type: 'cert-continue' });
      return;
    }
    const key = rewrite.key;
    if (engine.supplyCertificate === undefined) {
      dispatch({ type: 'cert-failed', key, error: { code: 'usage', message: 'This engine takes no certificate files.', detail: {} } });
      return;
    }
    dispatch({ type: 'cert-busy' });
    attempt(() => engine.supplyCertificate!(card, path)).then(
      (given) => dispatch({ type: 'cert-added', key, slot: given.slot, serialNumber: given.serialNumber }),
      (e: unknown) => dispatch({ type: 'cert-failed', key, error: toUiError(e) }),
    );
  }, [rewrite, card, engine, dispatch]);
  return { submit };
}

export function useRewrite(engine: Engine, state: AppState, dispatch: Dispatch<Action>): PinControls {
  const pin = useRef(new PinBuffer());
  const { rewrite } = state;
  const card = cardInfo(state.card);

  useEffect(() => () => pin.current.clear(), []);

  useEffect(() => {
    if (rewrite.stage !== 'path' || card === null) return;
    const key = rewrite.key;
    attempt(async () => {
      const path = await engine.rewritePath(card);
      if (path.path === 'unavailable') return { path, triesLeft: null };
      // Read without spending a try. Unknown tries (a card or module that will not say, or a failed read)
      // leave the prompt as it is: the rewrite machine still refuses a blocked card and an unconfirmed last try.
      const status = await attempt(() => engine.pinStatus(card)).catch(() => ({ triesLeft: null }));
      return { path, triesLeft: status.triesLeft };
    }).then(
      ({ path, triesLeft }) => dispatch({ type: 'rewrite-path', key, path, triesLeft }),
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
      const r = pin.current.type(input);
      const notice = r.tooLong > 0 ? 'too-long' : r.notDigit > 0 ? 'not-digit' : undefined;
      dispatch({ type: 'pin-digits', digits: pin.current.length, extra: pin.current.extra, notice });
    },
    [dispatch],
  );
  const backspace = useCallback(() => {
    pin.current.backspace();
    dispatch({ type: 'pin-digits', digits: pin.current.length, extra: pin.current.extra });
  }, [dispatch]);
  const cancel = useCallback(() => {
    pin.current.clear();
    dispatch({ type: 'rewrite-close' });
  }, [dispatch]);

  const stage = rewrite.stage;
  const key = rewrite.stage === 'pin' ? rewrite.key : null;
  const lastTry = rewrite.stage === 'pin' && rewrite.triesLeft === 1;
  const confirming = rewrite.stage === 'pin' && rewrite.confirming === true;
  const submit = useCallback((confirmed = false) => {
    if (stage !== 'pin' || key === null || card === null) return;
    if (!pin.current.complete) {
      // Never truncated, never padded: nothing is sent.
      if (pin.current.extra > 0) dispatch({ type: 'pin-digits', digits: pin.current.length, extra: pin.current.extra, notice: 'too-long' });
      else dispatch({ type: 'pin-too-short' });
      return;
    }
    // The last try: the first Enter asks; only a confirmation (y) spends it. The PIN stays in its buffer meanwhile.
    if (lastTry && !(confirmed && confirming)) {
      dispatch({ type: 'pin-confirm-ask' });
      return;
    }
    const secret = pin.current.take();
    if (secret === null) return;
    dispatch({ type: 'rewrite-start', lastTryConfirmed: lastTry && confirmed });
    const options = lastTry && confirmed ? { lastTryConfirmed: true } : {};
    attempt(() => engine.rewrite(card, secret, (progress) => dispatch({ type: 'rewrite-progress', key, progress }), options))
      .then(
        (result) => dispatch({ type: 'rewrite-done', key, result }),
        (e: unknown) => dispatch({ type: 'rewrite-failed', key, error: toUiError(e) }),
      )
      .finally(() => secret.fill(0));
  }, [stage, key, card, engine, dispatch, lastTry, confirming]);

  return { type, backspace, submit, cancel };
}
