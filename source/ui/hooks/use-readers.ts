/** Keeps the reader list live: a snapshot at once, another after every hot-plug or service event. */
import { useEffect, type Dispatch } from 'react';
import type { Engine } from '../engine.js';
import type { Action } from '../state/types.js';

export function useReaders(engine: Engine, dispatch: Dispatch<Action>): void {
  useEffect(() => {
    let live = true;
    const snapshot = (event?: Parameters<Parameters<Engine['onReaderEvent']>[0]>[0]): void => {
      if (live) dispatch({ type: 'readers', readers: engine.readers(), serviceUp: engine.serviceUp(), event });
    };
    // Subscribe before waiting for the first enumeration, so no event falls between the two.
    const unsubscribe = engine.onReaderEvent(snapshot);
    snapshot();
    engine.ready().then(() => snapshot(), () => snapshot());
    return () => {
      live = false;
      unsubscribe();
    };
  }, [engine, dispatch]);
}
