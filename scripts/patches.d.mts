// Types for scripts/patches.mjs (the build's dependency patches), for the tests that prove them.
export interface Patch {
  module: string;
  label: string;
  sha256: string;
  replacements: Array<[string, string]>;
}
export const PATCHES: Patch[];
export function patchedPath(patch: Patch, root?: string): string;
export function applyPatch(patch: Patch, source: string): string;
export function patchPlugin(seen?: Set<string>): unknown;
export function assertAllApplied(seen: Set<string>): void;
export const OWN_CLUSTER_RANGES: Array<[number, number]>;
export const OWN_CLUSTERS_SOURCE: string;
export function segmentsHelper(construct: string): string;
