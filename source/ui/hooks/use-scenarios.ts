/**
 * The demo's scenario switch (s): the next scenario after the one the user is going to (several 's' in a
 * row each move it on). The highlight moves at once and the old card's verdict is hidden until the new
 * card is read, so the two never disagree; the engine's switches run one after another, the last one wins.
 */
import { useCallback, useRef, type Dispatch } from 'react';
import type { ScenarioName } from '../../options.js';
import type { Engine } from '../engine.js';
import type { Action } from '../state/types.js';

export function useScenarioSwitch(engine: Engine, dispatch: Dispatch<Action>): () => void {
  const scenarioTarget = useRef<ScenarioName | null>(null);
  const switchingTo = useRef<Promise<void>>(Promise.resolve());
  const scenarios = engine.scenarios;
  return useCallback(() => {
    if (!scenarios) return;
    const list = scenarios.list();
    const from = scenarioTarget.current ?? scenarios.current();
    const next = list[(list.indexOf(from) + 1) % list.length];
    if (next === undefined) return;
    scenarioTarget.current = next;
    dispatch({ type: 'scenario', name: next });
    dispatch({ type: 'switching', on: true });
    switchingTo.current = switchingTo.current.then(async () => {
      if (scenarioTarget.current !== next) return;
      try {
        await scenarios.switchTo(next);
      } catch {
        scenarioTarget.current = null;
        dispatch({ type: 'scenario', name: scenarios.current() });
      }
      if (scenarioTarget.current === next || scenarioTarget.current === null) {
        scenarioTarget.current = null;
        dispatch({ type: 'readers', readers: engine.readers(), serviceUp: engine.serviceUp() });
        dispatch({ type: 'switching', on: false });
      }
    });
  }, [engine, scenarios, dispatch]);
}
