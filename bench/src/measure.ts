// Timing helper: warm-up runs, then the median of `runs` timed runs (ms), in this process.
export interface Measurement {
  medianMs: number;
  runs: number;
}

export function measure(work: () => void, options: { warmup?: number; runs?: number } = {}): Measurement {
  const warmup = options.warmup ?? 2;
  const runs = options.runs ?? 5;
  for (let index = 0; index < warmup; index++) work();
  const times: number[] = [];
  for (let index = 0; index < runs; index++) {
    const start = performance.now();
    work();
    times.push(performance.now() - start);
  }
  times.sort((a, b) => a - b);
  return { medianMs: times[Math.floor(times.length / 2)] as number, runs };
}
