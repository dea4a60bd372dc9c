/**
 * The helpdesk report (key e): the panel opens at once saying it is being written, then shows where it
 * went, or the error and what to do. The engine writes it (engine.report: doctor, the read, the check,
 * this session's event log); a failure is a UiError, never a crash.
 */
import { useCallback, type Dispatch } from 'react';
import type { Engine } from '../engine.js';
import type { OverlayAction } from '../state/overlays.js';
import { attempt, toUiError } from './engine-call.js';

export function useReport(engine: Engine, overlay: Dispatch<OverlayAction>): () => void {
  return useCallback(() => {
    overlay({ type: 'report-start' });
    attempt(() => engine.report()).then(
      (written) => overlay({ type: 'report-done', path: written.path, initialsOnly: written.initialsOnly }),
      (e: unknown) => overlay({ type: 'report-failed', error: toUiError(e) }),
    );
  }, [engine, overlay]);
}
