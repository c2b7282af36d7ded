// Latency measurement on the tensor engine's current backend (the CLI selects backend-cpu):
// random feeds at the given batch size, warm-up runs, then the minimum (default) or median over
// timed runs, each run repeating the graph until it lasts at least `minRunMs` so that
// sub-millisecond ops are timed above the clock's resolution. The minimum is the robust choice
// on a shared machine: interference only ever adds time.
import { type Graph, type TensorData, fromNumbers } from '@efficientdl/ir';
import { Generator, noGrad, runGraph } from '@efficientdl/tensor';
import type { MeasureLatency } from './latency-table.js';

export interface EngineLatencyOptions {
  /** Value of every symbolic dim (the batch; default 1). */
  batch?: number;
  warmup?: number;
  /** Timed runs (default 100: short runs, many of them, so that the fastest ones ran undisturbed on a shared machine). */
  runs?: number;
  /** Statistic over the timed runs (default 'min'). */
  statistic?: 'min' | 'median';
  /** Minimum duration of one timed run in ms (default 0.5). */
  minRunMs?: number;
}

function randomFeeds(graph: Graph, batch: number): Record<string, TensorData> {
  const generator = new Generator(7);
  const feeds: Record<string, TensorData> = {};
  for (const input of graph.inputs) {
    const shape = input.shape.map((dim) => (typeof dim === 'number' ? dim : batch));
    const count = shape.reduce((a, b) => a * b, 1);
    const values = Array.from({ length: count }, () => generator.random());
    feeds[input.name] = fromNumbers(input.dtype, shape, values);
  }
  return feeds;
}

function median(values: number[]): number {
  const sorted = [...values].sort((a, b) => a - b);
  const middle = Math.floor(sorted.length / 2);
  return sorted.length % 2 === 1 ? (sorted[middle] as number) : ((sorted[middle - 1] as number) + (sorted[middle] as number)) / 2;
}

/** Milliseconds (minimum or median over runs) of one run of `graph` on the engine's active backend. */
export function measureEngineLatency(graph: Graph, options: EngineLatencyOptions = {}): number {
  const feeds = randomFeeds(graph, options.batch ?? 1);
  const once = () => noGrad(() => runGraph(graph, feeds));
  for (let index = 0; index < (options.warmup ?? 3); index++) once();
  const minRunMs = options.minRunMs ?? 0.5;
  let repeats = 1;
  const calibrationStart = performance.now();
  once();
  const single = performance.now() - calibrationStart;
  if (single < minRunMs) repeats = Math.ceil(minRunMs / Math.max(single, 1e-3));
  const samples: number[] = [];
  for (let run = 0; run < (options.runs ?? 100); run++) {
    const start = performance.now();
    for (let repeat = 0; repeat < repeats; repeat++) once();
    samples.push((performance.now() - start) / repeats);
  }
  return options.statistic === 'median' ? median(samples) : Math.min(...samples);
}

/** A MeasureLatency callback for LatencyTable that times graphs on the engine's active backend. */
export function engineLatency(options: EngineLatencyOptions = {}): MeasureLatency {
  return (graph) => measureEngineLatency(graph, options);
}
