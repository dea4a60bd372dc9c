/**
 * Calls into the PC/SC binding that have not returned yet. A card that never answers (and a driver that
 * never gives up, as vpcd's) leaves one pending in a libuv worker thread, and Node's exit joins those
 * threads: the process would never end. The CLI looks here before it exits (cli.tsx).
 */
let pending = 0;

export const nativeCalls = {
  started(): void {
    pending++;
  },
  ended(): void {
    pending--;
  },
  pending(): number {
    return pending;
  },
};
