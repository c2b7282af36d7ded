// Timing helper: warm-up runs (at least `warmup`, and for at least `warmupMs` so small ops reach
// the JIT's optimized code), then the median of timed runs (ms), in this process. Work may be
// synchronous or return a promise (onnxruntime's session.run is async). A time budget lowers the
// number of timed runs for very slow engine/workload pairs (never below `minRuns`).
export interface Measurement {
  medianMs: number;
  /** Timed runs the median was taken over. */
  runs: number;
}

export interface MeasureOptions {
  /** Untimed runs first (JIT, caches, lazily compiled sessions); default 1. */
  warmup?: number;
  /** Keep warming up (up to 50 runs) until this much time has passed; default 250 ms. */
  warmupMs?: number;
  /** Timed runs wanted; default 5. */
  runs?: number;
  /** Fewest timed runs when the budget is short; default 3. */
  minRuns?: number;
  /** Seconds the timed runs of one pair should take at most, judged from the last warm-up run. */
  budgetSeconds?: number;
}

export async function measure(work: () => unknown, options: MeasureOptions = {}): Promise<Measurement> {
  const warmup = Math.max(1, options.warmup ?? 1);
  const wanted = options.runs ?? 5;
  const minRuns = Math.min(wanted, options.minRuns ?? 3);
  const warmupUntil = performance.now() + (options.warmupMs ?? 250);
  let warmupMs = 0;
  for (let index = 0; index < 50 && (index < warmup || performance.now() < warmupUntil); index++) {
    const start = performance.now();
    await work();
    warmupMs = performance.now() - start;
  }
  const affordable = options.budgetSeconds === undefined ? wanted : Math.floor((options.budgetSeconds * 1000) / Math.max(warmupMs, 1e-3));
  const runs = Math.max(minRuns, Math.min(wanted, affordable));
  const times: number[] = [];
  for (let index = 0; index < runs; index++) {
    const start = performance.now();
    await work();
    times.push(performance.now() - start);
  }
  return { medianMs: median(times), runs };
}

/** Median of a non-empty list (mean of the two middle values for even lengths). */
export function median(values: readonly number[]): number {
  const sorted = [...values].sort((a, b) => a - b);
  const middle = Math.floor(sorted.length / 2);
  if (sorted.length % 2 === 1) return sorted[middle] as number;
  return ((sorted[middle - 1] as number) + (sorted[middle] as number)) / 2;
}
