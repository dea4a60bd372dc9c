/**
 * What floats over the screens (issue 16): the command palette (its filter line and the chosen entry) and
 * the Output panel (open or not, how far it is scrolled back). A reducer of its own beside the app's, so
 * the screens' state is not touched by either; pure, as the other reducers here.
 */
export interface PaletteState {
  open: boolean;
  query: string;
  /** Index into the filtered list (the view clamps it to the list's length). */
  index: number;
}

export interface OutputState {
  open: boolean;
  /** Lines scrolled back from the newest; 0 follows the log as it grows. */
  back: number;
}

export interface OverlayState {
  palette: PaletteState;
  output: OutputState;
}

export type OverlayAction =
  | { type: 'palette-open' }
  | { type: 'palette-close' }
  | { type: 'palette-type'; text: string }
  | { type: 'palette-backspace' }
  | { type: 'palette-move'; delta: number; count: number }
  | { type: 'output-toggle' }
  /** `max`: how far back the log goes (its length minus one screenful). */
  | { type: 'output-scroll'; delta: number; max: number }
  | { type: 'output-follow' };

export const initialOverlays: OverlayState = {
  palette: { open: false, query: '', index: 0 },
  output: { open: false, back: 0 },
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
      return { ...state, output: { open: !state.output.open, back: 0 } };
    case 'output-scroll': {
      const back = Math.min(Math.max(0, action.max), Math.max(0, state.output.back + action.delta));
      return { ...state, output: { ...state.output, back } };
    }
    case 'output-follow':
      return { ...state, output: { ...state.output, back: 0 } };
  }
}
