/**
 * Runs fuzz cases one after another: each under a deadline (an async hang becomes a reported hang, not a
 * stuck suite), each outcome sorted into ok / typed error / crash. A synchronous or microtask loop cannot
 * be cut short from inside the process: run.ts prints every case index so that the parent's watchdog
 * (fuzz.test.ts) names the case that stalled.
 */
import { Prng } from './prng.js';

export interface CaseOutcome {
  /** The mutations applied, for the report. */
  applied: string[];
}

export interface Failure {
  index: number;
  applied: string[];
  error: string;
}

export interface Summary {
  target: string;
  seed: number;
  cases: number;
  ok: number;
  typed: number;
  /** Typed errors by code / reason. */
  byCode: Record<string, number>;
  crashes: Failure[];
  hangs: Failure[];
  ms: number;
}

export class TypedFailure extends Error {
  constructor(readonly code: string) {
    super(code);
  }
}

/** Thrown by a target when a case keeps going far past any sane amount of work (an endless APDU loop). */
export class RunawayCase extends Error {}

export interface Target {
  name: string;
  /** One case: resolves when the code under test gave a valid result, or throws what it threw. */
  run(rng: Prng, index: number, applied: string[]): Promise<void>;
  /** The typed-error code of a thrown value, or undefined when it is a crash (untyped, 'internal', …). */
  typedCode(error: unknown): string | undefined;
  close?(): Promise<void>;
}

const describe = (e: unknown): string => (e instanceof Error ? `${e.name}: ${e.message}\n${(e.stack ?? '').split('\n').slice(1, 6).join('\n')}` : String(e));

export async function runTarget(target: Target, seed: number, count: number, options: { deadlineMs: number; onCase?: (index: number) => void; from?: number; concurrency?: number }): Promise<Summary> {
  const summary: Summary = { target: target.name, seed, cases: 0, ok: 0, typed: 0, byCode: {}, crashes: [], hangs: [], ms: 0 };
  const t0 = performance.now();
  const from = options.from ?? 0;
  let next = from;
  const worker = async (): Promise<void> => {
    while (next < from + count) await runCase(next++);
  };
  const runCase = async (index: number): Promise<void> => {
    options.onCase?.(index);
    const applied: string[] = [];
    let timer: NodeJS.Timeout | undefined;
    const deadline = new Promise<'hang'>((resolve) => {
      timer = setTimeout(() => resolve('hang'), options.deadlineMs);
    });
    const work = target.run(Prng.forCase(seed, index), index, applied).then(() => 'ok' as const, (e: unknown) => e);
    const outcome = await Promise.race([work, deadline]);
    clearTimeout(timer);
    summary.cases++;
    if (outcome === 'ok') summary.ok++;
    else if (outcome === 'hang' || outcome instanceof RunawayCase) {
      summary.hangs.push({ index, applied, error: outcome === 'hang' ? `no answer within ${options.deadlineMs} ms` : outcome.message });
    } else {
      const code = target.typedCode(outcome);
      if (code === undefined) summary.crashes.push({ index, applied, error: describe(outcome) });
      else {
        summary.typed++;
        summary.byCode[code] = (summary.byCode[code] ?? 0) + 1;
      }
    }
  };
  await Promise.all(Array.from({ length: options.concurrency ?? 1 }, worker));
  summary.ms = Math.round(performance.now() - t0);
  await target.close?.();
  return summary;
}
