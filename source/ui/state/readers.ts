/** Readers in the side bar: the live list, which one is selected, and when a new card arrived. */
import type { ReaderState, TransportEvent } from '../../card/types.js';
import type { ReadersState } from './types.js';

export const initialReaders: ReadersState = { list: [], serviceUp: true, selected: null, manual: false, insertions: {} };

/**
 * Selection: the user's pick stands while that reader exists. Otherwise, when exactly one reader holds a
 * card, that one (so start-up reads the card with no keystroke); with a single reader, that reader (so
 * "no card" is said about it); else nothing until the user picks.
 */
function autoSelect(list: ReaderState[], selected: string | null, manual: boolean): { selected: string | null; manual: boolean } {
  const exists = selected !== null && list.some((r) => r.name === selected);
  if (exists && manual) return { selected, manual };
  const withCard = list.filter((r) => r.cardPresent);
  if (withCard.length === 1) return { selected: withCard[0]!.name, manual: false };
  if (exists) return { selected, manual: false };
  if (list.length === 1) return { selected: list[0]!.name, manual: false };
  return { selected: null, manual: false };
}

export function applyReaders(state: ReadersState, list: ReaderState[], serviceUp: boolean, event?: TransportEvent): ReadersState {
  const insertions: Record<string, number> = {};
  for (const reader of list) {
    const before = state.list.find((r) => r.name === reader.name);
    const seen = state.insertions[reader.name] ?? 0;
    const inserted = event?.type === 'card-inserted' && event.reader === reader.name;
    // A changed event counter with a card present is a new card even if we never saw it leave.
    const newCard = reader.cardPresent && (inserted || before === undefined || !before.cardPresent || before.eventCount !== reader.eventCount || before.atr !== reader.atr);
    insertions[reader.name] = newCard ? seen + 1 : seen;
  }
  return { ...state, list, serviceUp, insertions, ...autoSelect(list, state.selected, state.manual) };
}

export function moveSelection(state: ReadersState, delta: 1 | -1): ReadersState {
  if (state.list.length === 0) return state;
  const index = state.list.findIndex((r) => r.name === state.selected);
  const next = index === -1 ? (delta === 1 ? 0 : state.list.length - 1) : (index + delta + state.list.length) % state.list.length;
  return { ...state, selected: state.list[next]!.name, manual: true };
}

/** The readers holding a card, in list order: one tab each (the tab bar shows when there are two or more). */
export function tabReaders(state: ReadersState): string[] {
  return state.list.filter((r) => r.cardPresent).map((r) => r.name);
}

/** Tab / Shift-Tab: the next (previous) reader holding a card, round; from a reader without one, the first (last). */
export function moveTab(state: ReadersState, delta: 1 | -1): ReadersState {
  const tabs = tabReaders(state);
  if (tabs.length === 0) return state;
  const index = state.selected === null ? -1 : tabs.indexOf(state.selected);
  const next = index === -1 ? (delta === 1 ? 0 : tabs.length - 1) : (index + delta + tabs.length) % tabs.length;
  if (tabs[next] === state.selected) return state;
  return { ...state, selected: tabs[next]!, manual: true };
}

export function selectedReader(state: ReadersState): ReaderState | null {
  return state.list.find((r) => r.name === state.selected) ?? null;
}

/** The identity of the card in the selected reader (reader + insertion), or null when there is none. */
export function selectedCardKey(state: ReadersState): string | null {
  return state.selected === null ? null : cardKeyIn(state, state.selected);
}

/** The identity of the card in a reader (reader + insertion), or null when it holds none (or is gone). */
export function cardKeyIn(state: ReadersState, name: string): string | null {
  const reader = state.list.find((r) => r.name === name);
  if (reader === undefined || !reader.cardPresent) return null;
  return `${reader.name}#${state.insertions[reader.name] ?? 0}`;
}

/** The reader a card key names (keys are `${reader}#${insertion}`; a reader's name may itself hold a '#'). */
export function readerOfKey(key: string): string {
  return key.slice(0, key.lastIndexOf('#'));
}
