/**
 * Calls into the PC/SC binding that have not returned yet. A card that never answers (and a driver that
 * never gives up, as vpcd's) leaves one pending in a libuv worker thread, and Node's exit joins those
 * threads: the process would never end. The CLI looks here before it exits (cli.tsx).
 *
 * The count lives on globalThis, under a registered symbol: the built TUI runs its engine from its own
 * bundle (dist/engine.cjs, for V8's code cache: cli.tsx), which holds its own copy of this module, and
 * cli.js must see the calls that copy makes.
 */
const COUNT = Symbol.for('moica-check.native-calls');
const state = ((globalThis as { [COUNT]?: { pending: number } })[COUNT] ??= { pending: 0 });

export const nativeCalls = {
  started(): void {
    state.pending++;
  },
  ended(): void {
    state.pending--;
  },
  pending(): number {
    return state.pending;
  },
};
