/**
 * Serial numbers compared as numbers (registry-api.md): case and leading zeros do not matter.
 * Local until source/registry/serial.ts exists; then this file re-exports it.
 */
export function sameSerial(a: string, b: string): boolean {
  const x = normalSerial(a);
  return x !== null && x === normalSerial(b);
}

/** Upper-case hex without leading zeros, or null when it is not hex. */
export function normalSerial(serial: string): string | null {
  const s = serial.trim();
  if (!/^[0-9a-fA-F]+$/.test(s)) return null;
  return s.replace(/^0+(?=.)/, '').toUpperCase();
}
