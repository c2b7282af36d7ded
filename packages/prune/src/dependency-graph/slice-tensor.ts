// Keeps a subset of indices along one axis of a TensorData (the physical half of channel pruning).
import { ConfigError, type TensorData, type TypedArray, isPackedDType, shapeSize } from '@efficientdl/ir';

/** A copy of `tensor` with only `keep` (sorted indices) along `axis`. */
export function keepAlongAxis(tensor: TensorData, axis: number, keep: readonly number[]): TensorData {
  if (isPackedDType(tensor.dtype)) throw new ConfigError(`cannot slice packed ${tensor.dtype} tensors along an axis`);
  const outer = shapeSize(tensor.shape.slice(0, axis));
  const size = tensor.shape[axis] as number;
  const inner = shapeSize(tensor.shape.slice(axis + 1));
  const Storage = tensor.data.constructor as new (length: number) => TypedArray;
  const data = new Storage(outer * keep.length * inner);
  for (let block = 0; block < outer; block++) {
    keep.forEach((index, position) => {
      const from = (block * size + index) * inner;
      (data as Float32Array).set((tensor.data as Float32Array).subarray(from, from + inner), (block * keep.length + position) * inner);
    });
  }
  const shape = [...tensor.shape];
  shape[axis] = keep.length;
  return { dtype: tensor.dtype, shape, data };
}

/** Indices of [0, size) not in `removed`. */
export function complement(size: number, removed: ReadonlySet<number>): number[] {
  return Array.from({ length: size }, (_, index) => index).filter((index) => !removed.has(index));
}
