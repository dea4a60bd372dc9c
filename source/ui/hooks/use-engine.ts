/** Waits for the engine being built, so the first frame need not (opening readers or the demo takes a while). */
import { useEffect, useState } from 'react';
import type { Engine } from '../engine.js';
import type { UiError } from '../state/types.js';
import { toUiError } from './engine-call.js';

export type EngineState = { engine: Engine; error?: undefined } | { engine?: undefined; error: UiError } | { engine?: undefined; error?: undefined };

export function useEngine(pending: Promise<Engine>): EngineState {
  const [state, setState] = useState<EngineState>({});
  useEffect(() => {
    let live = true;
    pending.then(
      (engine) => live && setState({ engine }),
      (e: unknown) => live && setState({ error: toUiError(e) }),
    );
    return () => {
      live = false;
    };
  }, [pending]);
  return state;
}
