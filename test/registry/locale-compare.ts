/** How many times String#localeCompare (ICU's collation) is called while `run` runs: registry/names.ts avoids it. */
export async function localeCompareCalls(run: () => Promise<void>): Promise<number> {
  const original = String.prototype.localeCompare;
  let calls = 0;
  String.prototype.localeCompare = function (this: string, ...args: Parameters<typeof original>) {
    calls++;
    return original.apply(this, args);
  } as typeof original;
  try {
    await run();
  } finally {
    String.prototype.localeCompare = original;
  }
  return calls;
}
