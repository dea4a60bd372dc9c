/**
 * Keeps the reader list live: a snapshot at once, another after every hot-plug or service event. The App's
 * first state already holds the list as it was at its first render (readersSnapshot): a snapshot that finds
 * the same list and service state again dispatches nothing, so a card present at start is read from the
 * first frame on, with no frame of the empty list before it (one render fewer: issue 15).
 */
import { useEffect, type Dispatch } from 'react';
import type { Engine } from '../engine.js';
import type { Action } from '../state/types.js';

type ReadersAction = Extract<Action, { type: 'readers' }>;

/** The readers action for the engine's list now (no event): what the App's first state is made with. */
export function readersSnapshot(engine: Engine): ReadersAction {
  return { type: 'readers', readers: engine.readers(), serviceUp: engine.serviceUp() };
}

/** What a snapshot without an event says: the same text, the same list and service state. */
const sameAs = (action: ReadersAction): string => JSON.stringify([action.serviceUp, action.readers]);

export function useReaders(engine: Engine, dispatch: Dispatch<Action>, first: ReadersAction): void {
  useEffect(() => {
    let live = true;
    let last = sameAs(first);
    const snapshot = (event?: Parameters<Parameters<Engine['onReaderEvent']>[0]>[0]): void => {
      if (!live) return;
      const action: ReadersAction = { ...readersSnapshot(engine), event };
      // An event always goes through (it may tell a card swapped in one poll); a plain snapshot only when
      // something changed since the last one dispatched (or the first state's).
      const now = sameAs(action);
      if (event === undefined && now === last) return;
      last = now;
      dispatch(action);
    };
    // Subscribe before waiting for the first enumeration, so no event falls between the two.
    const unsubscribe = engine.onReaderEvent(snapshot);
    snapshot();
    engine.ready().then(() => snapshot(), () => snapshot());
    return () => {
      live = false;
      unsubscribe();
    };
    // `first` is the first state's: read once, at the first effect.
    // eslint-disable-next-line react-hooks/exhaustive-deps
  }, [engine, dispatch]);
}
