// Image classification input for `efficientdl eval`: fits IDX images (N, H, W) uint8 to a model's
// declared input (B, ...sample) — e.g. (N, 1, 28, 28) or (1, 1, 28, 28) — and builds float32
// batches with value = (pixel · scale − mean) / std. A symbolic batch dim takes the requested
// batch size; a fixed one is used as is (the last batch is zero-padded).
import { ConfigError, type Graph, ShapeError, type TensorData, type Value, formatShape, readNumber, shapeSize, tensorData } from '@efficientdl/ir';

export interface Normalization {
  scale: number;
  mean: number;
  std: number;
}

export interface BatchPlan {
  input: Value;
  /** Images per model call. */
  batchSize: number;
  /** Per-image dims after the batch dim, e.g. [1, 28, 28]. */
  sampleShape: number[];
}

/** Resolves the model input's sample dims against the image dims (symbolic dims align from the right). */
function resolveSampleShape(input: Value, imageDims: readonly number[]): number[] {
  const rest = input.shape.slice(1);
  const sampleShape = rest.map((dim, axis) => {
    if (typeof dim === 'number') return dim;
    return imageDims[imageDims.length - (rest.length - axis)] ?? 1;
  });
  if (shapeSize(sampleShape) !== shapeSize(imageDims)) {
    throw new ShapeError(
      `model input '${input.name}' ${formatShape(input.shape)} does not fit images of shape ${formatShape(imageDims)} (${shapeSize(sampleShape)} vs ${shapeSize(imageDims)} values per image)`,
      { value: input.name },
    );
  }
  return sampleShape;
}

/** Checks the model has one float32 image input and plans batches for it. */
export function planBatches(graph: Graph, images: TensorData, requestedBatchSize: number): BatchPlan {
  const input = graph.inputs[0];
  if (graph.inputs.length !== 1 || !input) {
    throw new ConfigError(`eval needs a model with one input; this one has ${graph.inputs.length} (${graph.inputs.map((value) => value.name).join(', ')})`);
  }
  if (input.dtype !== 'float32') throw new ConfigError(`eval feeds float32 images, but model input '${input.name}' is ${input.dtype}`, { value: input.name });
  if (input.shape.length < 2) throw new ShapeError(`model input '${input.name}' ${formatShape(input.shape)} has no batch dim`, { value: input.name });
  const batchDim = input.shape[0] as number | string;
  const batchSize = typeof batchDim === 'number' ? batchDim : requestedBatchSize;
  if (batchSize < 1) throw new ShapeError(`model input '${input.name}' has batch dim ${batchDim}`, { value: input.name });
  return { input, batchSize, sampleShape: resolveSampleShape(input, images.shape.slice(1)) };
}

/** Builds the batch of images [start, start + plan.batchSize), zero-padding past `end`. */
export function buildBatch(options: { images: TensorData; plan: BatchPlan; start: number; end: number; normalization: Normalization }): TensorData {
  const { images, plan, start, end, normalization } = options;
  const sampleSize = shapeSize(plan.sampleShape);
  // batch: (batchSize, ...sampleShape)
  const batch = tensorData('float32', [plan.batchSize, ...plan.sampleShape]);
  const values = batch.data as Float32Array;
  const pixels = images.data;
  const count = Math.min(plan.batchSize, end - start);
  const { scale, mean, std } = normalization;
  for (let offset = 0; offset < count * sampleSize; offset++) {
    values[offset] = (Number(pixels[start * sampleSize + offset]) * scale - mean) / std;
  }
  return batch;
}

/** Index of the largest score in each of the first `count` rows of `scores` (batch, ...classes). */
export function argmaxRows(scores: TensorData, count: number): number[] {
  const batch = scores.shape[0] ?? 1;
  const rowSize = shapeSize(scores.shape) / Math.max(1, batch);
  const predictions: number[] = [];
  for (let row = 0; row < count; row++) {
    let best = 0;
    let bestScore = readNumber(scores, row * rowSize);
    for (let index = 1; index < rowSize; index++) {
      const score = readNumber(scores, row * rowSize + index);
      if (score > bestScore) {
        best = index;
        bestScore = score;
      }
    }
    predictions.push(best);
  }
  return predictions;
}
