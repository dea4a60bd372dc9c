// Types for scripts/pcsclite-fix.mjs (the pcsclite binding's close, mended at install), for its test.
import type { Patch } from './patches.mjs';

export interface NativePatch extends Omit<Patch, 'module'> {
  /** The file's path inside the pcsclite package. */
  file: string;
}
export const NATIVE_PATCHES: NativePatch[];
export const BUILT_MARK: string;
export function pcscliteDir(root: string): string | undefined;
export function builtBinding(dir: string): { path: string; exists: boolean; mended: boolean };
export function mendSources(dir: string): string[];
