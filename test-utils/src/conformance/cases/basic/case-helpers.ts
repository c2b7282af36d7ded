// Small constructors for conformance-case tensors: f32([2, 2], [1, 2, 3, 4]), i64([3], [0, 1, 2])…
import { type DType, type TensorData, fromNumbers, tensorData } from '@efficientdl/ir';

export const tensor = (dtype: DType, shape: readonly number[], values: readonly number[]): TensorData => fromNumbers(dtype, shape, values);
export const f32 = (shape: readonly number[], values: readonly number[]): TensorData => fromNumbers('float32', shape, values);
export const f64 = (shape: readonly number[], values: readonly number[]): TensorData => fromNumbers('float64', shape, values);
export const i32 = (shape: readonly number[], values: readonly number[]): TensorData => fromNumbers('int32', shape, values);
export const i64 = (shape: readonly number[], values: readonly number[]): TensorData => fromNumbers('int64', shape, values);
export const u8 = (shape: readonly number[], values: readonly number[]): TensorData => fromNumbers('uint8', shape, values);
export const i8 = (shape: readonly number[], values: readonly number[]): TensorData => fromNumbers('int8', shape, values);
export const bool = (shape: readonly number[], values: readonly number[]): TensorData => fromNumbers('bool', shape, values);
/** A 1-D int64 vector (shape-like inputs). */
export const ints = (values: readonly number[]): TensorData => fromNumbers('int64', [values.length], values);
/** A scalar of `dtype`. */
export const scalar = (dtype: DType, value: number): TensorData => fromNumbers(dtype, [], [value]);
/** An int64 tensor with exact BigInt values (beyond 2^53). */
export const i64Exact = (shape: readonly number[], values: readonly bigint[]): TensorData =>
  tensorData('int64', shape, BigInt64Array.from(values));
/** 0, 1, 2, … as float32 of `shape`. */
export function iota(shape: readonly number[], dtype: DType = 'float32'): TensorData {
  const count = shape.reduce((a, b) => a * b, 1);
  return fromNumbers(dtype, shape, Array.from({ length: count }, (_, index) => index));
}
