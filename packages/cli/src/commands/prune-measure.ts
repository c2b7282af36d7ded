// Before/after measurements of `efficientdl prune`: the median latency of one batch on an
// engine, and the before/after summary table.
import { type Graph, type TensorData, fromNumbers, shapeSize } from '@efficientdl/ir';
import { Generator } from '@efficientdl/tensor';
import type { ExecutionEngine, GraphRunner } from '../backends.js';

/** A seeded random float32 batch for the graph's first input (symbolic dims: batch, else 1). */
export function randomFeeds(graph: Graph, batch: number): Record<string, TensorData> {
  const input = graph.inputs[0];
  if (!input) return {};
  const shape = input.shape.map((dim, axis) => (typeof dim === 'number' ? dim : axis === 0 ? batch : 1));
  const generator = new Generator(0);
  return { [input.name]: fromNumbers('float32', shape, Array.from({ length: shapeSize(shape) }, () => generator.random())) };
}

function median(values: readonly number[]): number {
  const sorted = [...values].sort((a, b) => a - b);
  const middle = Math.floor(sorted.length / 2);
  return sorted.length % 2 === 1 ? (sorted[middle] as number) : ((sorted[middle - 1] as number) + (sorted[middle] as number)) / 2;
}

async function timeRun(runner: GraphRunner, feeds: Record<string, TensorData>): Promise<number> {
  const started = performance.now();
  await runner.run(feeds);
  return performance.now() - started;
}

/**
 * Median and minimum milliseconds per batch of each graph on `engine`. Runs go in blocks per graph (one
 * warm-up run, then timed runs), and the blocks alternate (A B A B …, up to 5 rounds) so the
 * machine's changing load hits every graph alike; blocks, not single interleaved runs, because
 * onnxruntime's worker threads keep spinning after a run and would slow the next session's run.
 */
export interface Latency {
  median: number;
  /** The fastest run: the least disturbed by other processes on a busy machine. */
  min: number;
}

export async function compareLatencyStats(options: { engine: ExecutionEngine; graphs: readonly Graph[]; batch: number; runs: number }): Promise<Latency[]> {
  const runners = await Promise.all(options.graphs.map((graph) => options.engine.prepare(graph)));
  try {
    const feeds = options.graphs.map((graph) => randomFeeds(graph, options.batch));
    const times: number[][] = runners.map(() => []);
    const rounds = Math.min(5, options.runs);
    const perBlock = Math.ceil(options.runs / rounds);
    for (let round = 0; round < rounds; round++) {
      for (const [index, runner] of runners.entries()) {
        const input = feeds[index] as Record<string, TensorData>;
        await timeRun(runner, input);
        for (let run = 0; run < perBlock; run++) times[index]?.push(await timeRun(runner, input));
      }
    }
    return times.map((list) => ({ median: median(list), min: Math.min(...list) }));
  } finally {
    for (const runner of runners) runner.dispose();
  }
}

/** Median milliseconds per batch of each graph (compareLatencyStats without the minimum). */
export async function compareLatency(options: { engine: ExecutionEngine; graphs: readonly Graph[]; batch: number; runs: number }): Promise<number[]> {
  return (await compareLatencyStats(options)).map((latency) => latency.median);
}

export interface SummaryRow {
  label: string;
  before?: number;
  after?: number;
  /** How to print a value. */
  format: (value: number) => string;
  /** How to print the change (default after/before as a percentage). */
  change?: (before: number, after: number) => string;
  note?: string;
}

export function formatSummary(rows: readonly SummaryRow[]): string {
  const cells = rows.map((row) => {
    const before = row.before === undefined ? '-' : row.format(row.before);
    const after = row.after === undefined ? '-' : row.format(row.after);
    const change =
      row.before === undefined || row.after === undefined
        ? (row.note ?? '')
        : (row.change ?? ((first: number, second: number) => `${((100 * second) / first).toFixed(1)}%`))(row.before, row.after);
    return [row.label, before, after, change];
  });
  const table = [['', 'before', 'after', 'change'], ...cells];
  const widths = [0, 1, 2, 3].map((column) => Math.max(...table.map((row) => (row[column] as string).length)));
  return table.map((row) => row.map((cell, column) => (column === 0 ? cell.padEnd(widths[0] as number) : cell.padStart(widths[column] as number))).join('  ').trimEnd()).join('\n');
}
