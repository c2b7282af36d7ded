// Shared by GatherND and ScatterND: turns one index tuple (the last axis of `indices`) into an
// element offset inside a block of data dims, wrapping negative indices and bounds-checking.
// reference: https://onnx.ai/onnx/operators/onnx__GatherND.html
import { type StaticShape, type TensorData, formatShape, shapeSize } from '@efficientdl/ir';
import type { KernelContext } from '../../kernel-registry.js';
import { readIntegers, shapeError } from '../elementwise/kernel-support.js';

export interface IndexTuples {
  /** How many data axes one tuple addresses (indices' last dim). */
  readonly depth: number;
  /** Flat tuple values, `depth` per tuple. */
  readonly values: readonly number[];
  readonly count: number;
}

export function readIndexTuples(indices: TensorData, context: KernelContext): IndexTuples {
  if (indices.dtype !== 'int64' && indices.dtype !== 'int32') throw shapeError(context, `indices must be int64, got ${indices.dtype}`);
  if (indices.shape.length < 1) throw shapeError(context, 'indices must have rank >= 1');
  const depth = indices.shape[indices.shape.length - 1] as number;
  return { depth, values: readIntegers(indices), count: depth === 0 ? 0 : shapeSize(indices.shape) / depth };
}

/** Element offset of tuple `tuple` within data dims `dims` (the slice below them has `sliceSize` elements). */
export function tupleOffset(tuples: IndexTuples, tuple: number, dims: StaticShape, sliceSize: number, context: KernelContext): number {
  let offset = 0;
  for (let axis = 0; axis < tuples.depth; axis++) {
    const dim = dims[axis] as number;
    let index = tuples.values[tuple * tuples.depth + axis] as number;
    if (index < 0) index += dim;
    if (index < 0 || index >= dim) {
      throw shapeError(context, `index ${tuples.values[tuple * tuples.depth + axis]} is out of range for dim ${dim} of ${formatShape(dims)}`);
    }
    offset = offset * dim + index;
  }
  return offset * sliceSize;
}
