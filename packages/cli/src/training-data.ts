// Labelled image data for the commands that train (distill, and fine-tuning in prune/quantize):
// an IDX images/labels pair → an nn TensorDataset shaped for a model's input, with the same
// preprocessing as `eval` (value = (pixel · scale − mean) / std), and top-1 accuracy of a Module
// over such a dataset. Errors name the files and shapes.
import { ConfigError, type Graph, ShapeError, type TensorData, formatShape, shapeSize, tensorData } from '@efficientdl/ir';
import { DataLoader, type GraphModule, type Module, TensorDataset, evaluate, maybeGunzip, parseIdx } from '@efficientdl/nn';
import { type Normalization, planBatches } from './image-batches.js';
import { readFileBytes } from './io.js';

export interface LabelledImagesOptions {
  images: string;
  labels: string;
  normalization: Normalization;
  /** Keep the first `limit` samples. */
  limit?: number;
}

async function readIdx(path: string, what: string): Promise<TensorData> {
  return parseIdx(await maybeGunzip(await readFileBytes(path, what), path), { file: path });
}

/** Images (N, ...) and labels (N) as a dataset of float32 (N, ...sample) inputs and int64 (N) targets for `graph`'s input. */
export async function loadLabelledImages(graph: Graph, options: LabelledImagesOptions): Promise<TensorDataset> {
  const [images, labels] = await Promise.all([readIdx(options.images, 'images file'), readIdx(options.labels, 'labels file')]);
  if (images.shape.length < 2 || labels.shape.length !== 1 || images.shape[0] !== labels.shape[0]) {
    throw new ShapeError(`images ${formatShape(images.shape)} and labels ${formatShape(labels.shape)} must be (N, ...) and (N)`, { file: options.images });
  }
  const count = Math.min(labels.shape[0] as number, options.limit ?? Number.POSITIVE_INFINITY);
  if (count === 0) throw new ConfigError(`no images in '${options.images}'`, { file: options.images });
  const { sampleShape } = planBatches(graph, images, 1);
  const sampleSize = shapeSize(sampleShape);
  // inputs: (count, ...sampleShape)
  const inputs = tensorData('float32', [count, ...sampleShape]);
  const values = inputs.data as Float32Array;
  const { scale, mean, std } = options.normalization;
  for (let index = 0; index < count * sampleSize; index++) values[index] = (Number(images.data[index]) * scale - mean) / std;
  const targets = tensorData('int64', [count]);
  const targetValues = targets.data as BigInt64Array;
  for (let index = 0; index < count; index++) targetValues[index] = BigInt(Number(labels.data[index]));
  return new TensorDataset(inputs, targets);
}

/** Top-1 accuracy of a single-output `model` (its logits) on `dataset`, in batches of `batchSize`. */
export function datasetAccuracy(model: GraphModule, dataset: TensorDataset, batchSize = 256): number {
  if (model.graph.outputs.length !== 1) {
    throw new ConfigError(`accuracy needs a model with one output (the logits); '${model.graph.name}' has ${model.graph.outputs.length}`);
  }
  // a one-output GraphModule returns a single Tensor, which is what evaluate expects
  return evaluate(model as Module, new DataLoader(dataset, { batchSize, shuffle: false }));
}
