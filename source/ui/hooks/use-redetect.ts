/**
 * 重新偵測 (d): said at once (the status bar and a spinner), then the engine drops what it read and the
 * readers are listed and the card read again. A failed re-detection still shows the readers as they are.
 */
import { useCallback, type Dispatch } from 'react';
import type { Engine } from '../engine.js';
import type { Action } from '../state/types.js';

export function useRedetect(engine: Engine, dispatch: Dispatch<Action>): () => void {
  return useCallback(() => {
    dispatch({ type: 'activity', activity: 'redetect' });
    engine.redetect().then(
      () => {
        dispatch({ type: 'readers', readers: engine.readers(), serviceUp: engine.serviceUp() });
        dispatch({ type: 'reread' });
        dispatch({ type: 'activity', activity: null });
      },
      () => {
        dispatch({ type: 'readers', readers: engine.readers(), serviceUp: engine.serviceUp() });
        dispatch({ type: 'activity', activity: null });
      },
    );
  }, [engine, dispatch]);
}
