// ScatterND(data, indices, updates, reduction): output = copy of data; for each index tuple i,
// output[indices[i]] (a slice of data.shape[k:]) is replaced by (none) or combined with (add /
// mul / max / min) updates[i]. Tuples are applied in order, so with 'none' a repeated index keeps
// the last update.
// reference: https://onnx.ai/onnx/operators/onnx__ScatterND.html
import { type Attributes, type TensorData, formatShape, shapeSize } from '@efficientdl/ir';
import type { KernelContext, KernelDefinition } from '../../kernel-registry.js';
import { computeValues, fromComputeValues, requireInput, shapeError } from '../elementwise/kernel-support.js';
import { readIndexTuples, tupleOffset } from './nd-index.js';

type Scalar = number | bigint;
type Combine = (current: Scalar, update: Scalar) => Scalar;

const COMBINE: Readonly<Record<string, Combine>> = {
  none: (_current, update) => update,
  add: (current, update) => (current as number) + (update as number),
  mul: (current, update) => (current as number) * (update as number),
  max: (current, update) => (update > current ? update : current),
  min: (current, update) => (update < current ? update : current),
};

function scatterNdKernel(inputs: readonly (TensorData | undefined)[], attrs: Attributes, context: KernelContext): TensorData[] {
  // data: (D...), indices: (I..., k), updates: (I..., D[k:]...)
  const data = requireInput(inputs, 0, context);
  const indices = requireInput(inputs, 1, context);
  const updates = requireInput(inputs, 2, context);
  const reduction = (attrs.reduction as string | undefined) ?? 'none';
  const combine = COMBINE[reduction];
  if (!combine) throw shapeError(context, `unknown reduction '${reduction}'`);
  const tuples = readIndexTuples(indices, context);
  const sliceSize = shapeSize(data.shape.slice(tuples.depth));
  if (tuples.depth > data.shape.length || shapeSize(updates.shape) !== tuples.count * sliceSize) {
    throw shapeError(context, `updates ${formatShape(updates.shape)} do not match indices ${formatShape(indices.shape)} and data ${formatShape(data.shape)}`);
  }
  const out = computeValues(data).slice();
  const updateValues = computeValues(updates);
  const indexedDims = data.shape.slice(0, tuples.depth);
  for (let tuple = 0; tuple < tuples.count; tuple++) {
    const start = tupleOffset(tuples, tuple, indexedDims, sliceSize, context);
    for (let element = 0; element < sliceSize; element++) {
      out[start + element] = combine(out[start + element] as Scalar, updateValues[tuple * sliceSize + element] as Scalar) as never;
    }
  }
  return [fromComputeValues(data.dtype, data.shape, out)];
}

export const SCATTER_ND_KERNELS: readonly KernelDefinition[] = [{ op: 'ScatterND', kernel: scatterNdKernel }];
