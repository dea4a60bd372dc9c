/** How the hooks call the engine: a synchronous throw becomes a rejection, a rejection a UiError. */
import { toMoicaError } from '../../errors.js';
import type { UiError } from '../state/types.js';

export function toUiError(e: unknown): UiError {
  const err = toMoicaError(e);
  return { code: err.code, message: err.message, detail: { ...err.detail } };
}

/** Calls an engine method so that a synchronous throw becomes a rejection (shown as an error, not a crash). */
export function attempt<T>(call: () => Promise<T>): Promise<T> {
  return new Promise<T>((resolve) => resolve(call()));
}
