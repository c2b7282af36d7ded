// GatherND(data, indices, batch_dims): each index tuple (indices' last axis, length k) picks the
// slice data[b..., i1, …, ik, :…] of its batch entry b. Output (indices.shape[:-1], data.shape[batch_dims + k:]).
// reference: https://onnx.ai/onnx/operators/onnx__GatherND.html
import { type Attributes, type TensorData, shapeSize } from '@efficientdl/ir';
import type { KernelContext, KernelDefinition } from '../../kernel-registry.js';
import { allocateElements, elementStorage, fromElements, requireInput, shapeError } from '../elementwise/kernel-support.js';
import { readIndexTuples, tupleOffset } from './nd-index.js';

function gatherNdKernel(inputs: readonly (TensorData | undefined)[], attrs: Attributes, context: KernelContext): TensorData[] {
  // data: (B..., D...), indices: (B..., I..., k)
  const data = requireInput(inputs, 0, context);
  const indices = requireInput(inputs, 1, context);
  const batchDims = (attrs.batch_dims as number | undefined) ?? 0;
  const tuples = readIndexTuples(indices, context);
  const batchShape = data.shape.slice(0, batchDims);
  const indexedDims = data.shape.slice(batchDims, batchDims + tuples.depth);
  if (batchDims + tuples.depth > data.shape.length || batchShape.some((dim, axis) => dim !== indices.shape[axis])) {
    throw shapeError(context, `indices ${JSON.stringify(indices.shape)} do not fit data ${JSON.stringify(data.shape)} with batch_dims ${batchDims}`);
  }
  const sliceShape = data.shape.slice(batchDims + tuples.depth);
  const sliceSize = shapeSize(sliceShape);
  const batchBlock = shapeSize(data.shape.slice(batchDims));
  const tuplesPerBatch = tuples.count / Math.max(1, shapeSize(batchShape));
  const source = elementStorage(data);
  const outputShape = [...indices.shape.slice(0, -1), ...sliceShape];
  const out = allocateElements(data.dtype, shapeSize(outputShape));
  for (let tuple = 0; tuple < tuples.count; tuple++) {
    const batch = Math.floor(tuple / tuplesPerBatch);
    const start = batch * batchBlock + tupleOffset(tuples, tuple, indexedDims, sliceSize, context);
    out.set(source.subarray(start, start + sliceSize) as never, tuple * sliceSize);
  }
  return [fromElements(data.dtype, outputShape, out)];
}

export const GATHER_ND_KERNELS: readonly KernelDefinition[] = [{ op: 'GatherND', kernel: gatherNdKernel }];
