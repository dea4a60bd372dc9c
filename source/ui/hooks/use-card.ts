/**
 * Reads the selected card and checks it: runs whenever the card state asks for it (a new card, 重新偵測,
 * a re-check). Answers carry the run they belong to; the reducer drops those of a card no longer there.
 */
import { useEffect, type Dispatch } from 'react';
import type { Engine } from '../engine.js';
import type { Action, AppState } from '../state/types.js';
import { attempt, toUiError } from './engine-call.js';

export function useCard(engine: Engine, state: AppState, dispatch: Dispatch<Action>): void {
  const { card } = state;
  const reader = state.readers.selected;
  useEffect(() => {
    if (card.phase === 'reading' && reader !== null) {
      const run = card.run;
      attempt(() => engine.readCard(reader)).then(
        (info) => dispatch({ type: 'read-done', run, card: info }),
        (e: unknown) => dispatch({ type: 'read-failed', run, error: toUiError(e) }),
      );
    } else if (card.phase === 'checking') {
      const run = card.run;
      attempt(() => engine.check(card.card)).then(
        (result) => dispatch({ type: 'check-done', run, result }),
        (e: unknown) => dispatch({ type: 'check-failed', run, error: toUiError(e) }),
      );
    }
    // Only a new run starts I/O; the reader name is read as of that moment.
    // eslint-disable-next-line react-hooks/exhaustive-deps
  }, [card.phase, card.run, engine, dispatch]);
}
