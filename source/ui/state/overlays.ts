/**
 * What floats over the screens (issue 16): the command palette (its filter line and the chosen entry) and
 * the Output panel (open or not, how far it is scrolled back), the helpdesk report's panel (key e). A reducer of its own beside the app's, so
 * the screens' state is not touched by either; pure, as the other reducers here.
 */
import type { UiError } from './types.js';

export interface PaletteState {
  open: boolean;
  query: string;
  /** Index into the filtered list (the view clamps it to the list's length). */
  index: number;
}

export interface OutputState {
  open: boolean;
  /**
   * The seq of the bottom line on screen when scrolled back (it stays put as new lines arrive); null
   * follows the newest line. Seqs are consecutive, so a line's place in the ring is seq - first seq.
   */
  anchor: number | null;
}

/** The helpdesk report (key e): being written, written (its path), or failed (what to do). */
export type ReportState =
  | { state: 'closed' }
  | { state: 'writing' }
  | { state: 'written'; path: string; initialsOnly: boolean }
  | { state: 'failed'; error: UiError };

export interface OverlayState {
  palette: PaletteState;
  output: OutputState;
  report: ReportState;
}

export type OverlayAction =
  | { type: 'palette-open' }
  | { type: 'palette-close' }
  | { type: 'palette-type'; text: string }
  | { type: 'palette-backspace' }
  | { type: 'palette-move'; delta: number; count: number }
  | { type: 'output-toggle' }
  /** `delta` > 0 scrolls back (older); `first`/`last` are the ring's seqs, `height` the lines on screen. */
  | { type: 'output-scroll'; delta: number; first: number; last: number; height: number }
  | { type: 'output-follow' }
  | { type: 'report-start' }
  | { type: 'report-done'; path: string; initialsOnly: boolean }
  | { type: 'report-failed'; error: UiError }
  | { type: 'report-close' };

export const initialOverlays: OverlayState = {
  palette: { open: false, query: '', index: 0 },
  output: { open: false, anchor: null },
  report: { state: 'closed' },
};

/** The longest filter kept: a paste of a page of text is not a command name. */
export const MAX_QUERY = 64;

export function reduceOverlays(state: OverlayState, action: OverlayAction): OverlayState {
  switch (action.type) {
    case 'palette-open':
      return { ...state, palette: { open: true, query: '', index: 0 } };
    case 'palette-close':
      return { ...state, palette: { open: false, query: '', index: 0 } };
    case 'palette-type': {
      const query = (state.palette.query + action.text).slice(0, MAX_QUERY);
      return { ...state, palette: { ...state.palette, query, index: 0 } };
    }
    case 'palette-backspace': {
      const chars = [...state.palette.query];
      chars.pop();
      return { ...state, palette: { ...state.palette, query: chars.join(''), index: 0 } };
    }
    case 'palette-move': {
      if (action.count <= 0) return { ...state, palette: { ...state.palette, index: 0 } };
      // Wraps around, as VS Code's does.
      const index = (((state.palette.index + action.delta) % action.count) + action.count) % action.count;
      return { ...state, palette: { ...state.palette, index } };
    }
    case 'output-toggle':
      return { ...state, output: { open: !state.output.open, anchor: null } };
    case 'output-scroll': {
      const bottom = bottomSeq(state.output.anchor, action.first, action.last, action.height);
      const lowest = Math.min(action.first + action.height - 1, action.last);
      const next = Math.min(action.last, Math.max(lowest, bottom - action.delta));
      return { ...state, output: { ...state.output, anchor: next >= action.last ? null : next } };
    }
    case 'output-follow':
      return { ...state, output: { ...state.output, anchor: null } };
    case 'report-start':
      return { ...state, report: { state: 'writing' } };
    case 'report-done':
      // A report closed while it was written is not reopened by its end.
      return state.report.state === 'writing' ? { ...state, report: { state: 'written', path: action.path, initialsOnly: action.initialsOnly } } : state;
    case 'report-failed':
      return state.report.state === 'writing' ? { ...state, report: { state: 'failed', error: action.error } } : state;
    case 'report-close':
      return { ...state, report: { state: 'closed' } };
  }
}

/** The seq of the bottom line on screen: the anchor, kept inside the ring and a screenful from its start. */
export function bottomSeq(anchor: number | null, first: number, last: number, height: number): number {
  if (anchor === null) return last;
  return Math.min(last, Math.max(anchor, Math.min(first + height - 1, last)));
}
