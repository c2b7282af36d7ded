// Measurements of `efficientdl quantize`: calibration batches from an unlabelled IDX image file,
// top-1 predictions of a graph on an engine (for accuracy and for cpu ↔ onnxruntime agreement),
// and the per-backend before/after table rows.
import { ConfigError, type Graph, ShapeError, type TensorData, formatShape } from '@efficientdl/ir';
import { maybeGunzip, parseIdx } from '@efficientdl/nn';
import type { ExecutionEngine } from '../backends.js';
import { type Normalization, argmaxRows, buildBatch, planBatches } from '../image-batches.js';
import { readFileBytes } from '../io.js';
import type { SummaryRow } from './prune-measure.js';

export async function readIdxImages(path: string, what: string): Promise<TensorData> {
  const images = parseIdx(await maybeGunzip(await readFileBytes(path, what), path), { file: path });
  if (images.shape.length < 2) throw new ShapeError(`${what} '${path}' must be (N, ...) images, got ${formatShape(images.shape)}`, { file: path });
  return images;
}

/** Normalized float32 batches of the first `count` images, shaped like the model input (the last batch is short when the batch dim is symbolic). */
export function calibrationBatches(graph: Graph, images: TensorData, options: { count: number; batchSize: number; normalization: Normalization }): TensorData[] {
  const total = Math.min(options.count, images.shape[0] as number);
  if (total === 0) throw new ConfigError('the calibration image file holds no images', { count: options.count });
  const plan = planBatches(graph, images, options.batchSize);
  const symbolic = typeof plan.input.shape[0] !== 'number';
  const batches: TensorData[] = [];
  for (let start = 0; start < total; start += plan.batchSize) {
    const size = symbolic ? Math.min(plan.batchSize, total - start) : plan.batchSize;
    batches.push(buildBatch({ images, plan: { ...plan, batchSize: size }, start, end: total, normalization: options.normalization }));
  }
  return batches;
}

/** Top-1 class of each of the first `total` images. */
export async function predictions(options: { engine: ExecutionEngine; graph: Graph; images: TensorData; total: number; normalization: Normalization; batchSize: number }): Promise<Int32Array> {
  const { engine, graph, images, total } = options;
  const plan = planBatches(graph, images, options.batchSize);
  const output = graph.outputs[0]?.name as string;
  const runner = await engine.prepare(graph);
  const result = new Int32Array(total);
  try {
    for (let start = 0; start < total; start += plan.batchSize) {
      const count = Math.min(plan.batchSize, total - start);
      const batch = buildBatch({ images, plan, start, end: total, normalization: options.normalization });
      const scores = (await runner.run({ [plan.input.name]: batch }))[output] as TensorData;
      result.set(argmaxRows(scores, count), start);
    }
  } finally {
    runner.dispose();
  }
  return result;
}

export function accuracy(predicted: Int32Array, labels: TensorData): number {
  let correct = 0;
  predicted.forEach((prediction, index) => {
    if (prediction === Number(labels.data[index])) correct++;
  });
  return correct / Math.max(predicted.length, 1);
}

export function agreement(first: Int32Array, second: Int32Array): number {
  let same = 0;
  first.forEach((value, index) => {
    if (value === second[index]) same++;
  });
  return same / Math.max(first.length, 1);
}

export interface BackendMeasurement {
  readonly backend: string;
  /** ms per batch: [float, quantized] */
  readonly latency: [number, number];
  readonly accuracy?: [number, number];
  /** Quantized model's predictions (for agreement across backends). */
  readonly predictions?: Int32Array;
}

export function measurementRows(measurements: readonly BackendMeasurement[], batch: number): SummaryRow[] {
  const speedup = (before: number, after: number) => `speedup ${(before / after).toFixed(2)}x`;
  const points = (before: number, after: number) => `${after >= before ? '+' : ''}${((after - before) * 100).toFixed(2)} pt`;
  const rows: SummaryRow[] = [];
  for (const measurement of measurements) {
    if (measurement.accuracy) {
      const [before, after] = measurement.accuracy;
      rows.push({ label: `accuracy ${measurement.backend}`, before, after, format: (value) => value.toFixed(4), change: points });
    }
    const [before, after] = measurement.latency;
    rows.push({ label: `latency ${measurement.backend} (batch ${batch})`, before, after, format: (value) => `${value.toFixed(2)} ms`, change: speedup });
  }
  return rows;
}
