// Labeled IDX image sets for the commands that score or train (eval-like accuracy in prune and
// quantize, fine-tuning in prune, distillation): read an images/labels pair (optionally the first
// `limit`), turn it into a TensorDataset shaped like a model's input with eval's preprocessing
// (value = (pixel · scale − mean) / std), and top-1 accuracy either on an execution engine or of
// an in-process GraphModule. Errors name the files and shapes.
import { ConfigError, type Graph, ShapeError, type TensorData, formatShape, tensorData } from '@efficientdl/ir';
import { DataLoader, type GraphModule, type Module, TensorDataset, evaluate, maybeGunzip, parseIdx } from '@efficientdl/nn';
import type { ExecutionEngine } from './backends.js';
import { type Normalization, argmaxRows, buildBatch, planBatches } from './image-batches.js';
import { readFileBytes } from './io.js';

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
  const [images, labels] = await Promise.all([readIdx(options.images, 'images file'), readIdx(options.labels, 'labels file')]);
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

/** Reads the pair and returns it as a dataset for `graph`'s input (readLabeledImages + toDataset). */
export async function loadLabeledDataset(
  graph: Graph,
  options: { images: string; labels: string; normalization: Normalization; limit?: number },
): Promise<TensorDataset> {
  return toDataset(graph, await readLabeledImages(options), options.normalization);
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

/** Top-1 accuracy of a single-output in-process `model` (its logits) on `dataset`, in batches of `batchSize`. */
export function datasetAccuracy(model: GraphModule, dataset: TensorDataset, batchSize = 256): number {
  if (model.graph.outputs.length !== 1) {
    throw new ConfigError(`accuracy needs a model with one output (the logits); '${model.graph.name}' has ${model.graph.outputs.length}`);
  }
  // a one-output GraphModule returns a single Tensor, which is what evaluate expects
  return evaluate(model as Module, new DataLoader(dataset, { batchSize, shuffle: false }));
}

