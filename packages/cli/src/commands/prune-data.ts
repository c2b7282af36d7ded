// Labelled IDX image sets for `efficientdl prune`: read (optionally the first `limit` images),
// turned into a normalized TensorDataset shaped like the model input (for fine-tuning and
// Taylor importance), and scored for top-1 accuracy on an execution engine.
import { ConfigError, type Graph, ShapeError, type TensorData, formatShape, shapeSize, tensorData } from '@efficientdl/ir';
import { TensorDataset, maybeGunzip, parseIdx } from '@efficientdl/nn';
import type { ExecutionEngine } from '../backends.js';
import { type Normalization, argmaxRows, buildBatch, planBatches } from '../image-batches.js';
import { readFileBytes } from '../io.js';

export interface LabeledImages {
  /** uint8 (N, H, W) */
  readonly images: TensorData;
  /** (N) class indices */
  readonly labels: TensorData;
  readonly total: number;
}

async function readIdx(path: string, what: string): Promise<TensorData> {
  return parseIdx(await maybeGunzip(await readFileBytes(path, what), path), { file: path });
}

export async function readLabeledImages(options: { images: string; labels: string; limit?: number }): Promise<LabeledImages> {
  const images = await readIdx(options.images, 'images file');
  const labels = await readIdx(options.labels, 'labels file');
  if (images.shape.length < 2 || labels.shape.length !== 1 || images.shape[0] !== labels.shape[0]) {
    throw new ShapeError(`images ${formatShape(images.shape)} and labels ${formatShape(labels.shape)} must be (N, ...) and (N)`, { file: options.images });
  }
  const total = Math.min(labels.shape[0] as number, options.limit ?? Number.POSITIVE_INFINITY);
  if (total === 0) throw new ConfigError(`no images in '${options.images}'`, { file: options.images });
  return { images, labels, total };
}

/** inputs: float32 (total, ...model sample shape) normalized; targets: int64 (total). */
export function toDataset(graph: Graph, set: LabeledImages, normalization: Normalization): TensorDataset {
  const plan = planBatches(graph, set.images, set.total);
  const inputs = buildBatch({ images: set.images, plan: { ...plan, batchSize: set.total }, start: 0, end: set.total, normalization });
  const targets = tensorData('int64', [set.total]);
  const values = targets.data as BigInt64Array;
  for (let index = 0; index < set.total; index++) values[index] = BigInt(Number(set.labels.data[index]));
  return new TensorDataset(inputs, targets);
}

/** Top-1 accuracy of `graph` on the set, run on `engine` in batches of `batchSize`. */
export async function accuracyOf(options: { engine: ExecutionEngine; graph: Graph; set: LabeledImages; normalization: Normalization; batchSize: number }): Promise<number> {
  const { engine, graph, set, normalization } = options;
  const plan = planBatches(graph, set.images, options.batchSize);
  const output = graph.outputs[0]?.name as string;
  const runner = await engine.prepare(graph);
  let correct = 0;
  try {
    for (let start = 0; start < set.total; start += plan.batchSize) {
      const count = Math.min(plan.batchSize, set.total - start);
      const batch = buildBatch({ images: set.images, plan, start, end: set.total, normalization });
      const scores = (await runner.run({ [plan.input.name]: batch }))[output] as TensorData;
      argmaxRows(scores, count).forEach((prediction, index) => {
        if (prediction === Number(set.labels.data[start + index])) correct++;
      });
    }
  } finally {
    runner.dispose();
  }
  return correct / set.total;
}

/** Element count of one model sample (for messages). */
export function sampleSize(graph: Graph, set: LabeledImages): number {
  return shapeSize(planBatches(graph, set.images, 1).sampleShape);
}
