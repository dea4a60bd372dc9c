/**
 * Reads and checks the card of every tab that asks for it (a new card, 重新偵測, a re-check): the shown
 * tab's and the parked ones' (a tab switched away from mid-read still gets its answer). Answers carry the
 * tab (reader) and the run they belong to; the reducer drops those of a card no longer there. Each run
 * starts its I/O once, however often the tabs are switched while it runs.
 */
import { useEffect, useRef, useState, type Dispatch } from 'react';
import type { CrlDownload, Engine } from '../engine.js';
import type { Action, AppState, CardState } from '../state/types.js';
import { attempt, toUiError } from './engine-call.js';

/** The tabs whose card is being read or checked, with the reader each belongs to. */
function busyTabs(state: AppState): Array<{ reader: string; card: CardState }> {
  const all: Array<{ reader: string; card: CardState }> = Object.entries(state.tabs).map(([reader, tab]) => ({ reader, card: tab.card }));
  if (state.readers.selected !== null) all.push({ reader: state.readers.selected, card: state.card });
  return all.filter(({ card }) => card.phase === 'reading' || card.phase === 'checking');
}

/**
 * Returns the CRL download the shown tab's check waits on (issue 11 item 5), while it runs: the check's
 * own event through the port (engine.check's onCrlProgress), gone when the check settles.
 */
export function useCard(engine: Engine, state: AppState, dispatch: Dispatch<Action>): CrlDownload | undefined {
  const busy = busyTabs(state);
  const [crl, setCrl] = useState<Record<string, CrlDownload>>({});
  /** Per reader, the run whose I/O was started last (phase#run). */
  const started = useRef(new Map<string, string>());
  const signature = busy.map(({ reader, card }) => `${reader}\u0000${card.phase}#${card.run}`).join('\u0001');
  useEffect(() => {
    for (const { reader, card } of busy) {
      const token = `${card.phase}#${card.run}`;
      if (started.current.get(reader) === token) continue;
      started.current.set(reader, token);
      const run = card.run;
      if (card.phase === 'reading') {
        attempt(() => engine.readCard(reader)).then(
          (info) => dispatch({ type: 'read-done', run, card: info, reader }),
          (e: unknown) => dispatch({ type: 'read-failed', run, error: toUiError(e), reader }),
        );
      } else if (card.phase === 'checking') {
        const info = card.card;
        const onCrlProgress = (p: CrlDownload): void => setCrl((all) => ({ ...all, [reader]: { url: p.url, bytes: p.bytes, total: p.total } }));
        const settled = (): void => setCrl((all) => {
          if (!(reader in all)) return all;
          const { [reader]: _done, ...rest } = all;
          return rest;
        });
        attempt(() => engine.check(info, { onCrlProgress })).then(
          (result) => {
            settled();
            dispatch({ type: 'check-done', run, result, reader });
          },
          (e: unknown) => {
            settled();
            dispatch({ type: 'check-failed', run, error: toUiError(e), reader });
          },
        );
      }
    }
    // Only a new run starts I/O.
    // eslint-disable-next-line react-hooks/exhaustive-deps
  }, [signature, engine, dispatch]);
  const shown = state.readers.selected;
  return shown !== null && state.card.phase === 'checking' ? crl[shown] : undefined;
}
