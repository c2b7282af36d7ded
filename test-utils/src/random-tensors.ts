// Seeded random TensorData for tests (reproducible across runs).
import { type DType, type TensorData, fromNumbers } from '@efficientdl/ir';
import { Generator } from '@efficientdl/tensor';

export interface RandomTensorOptions {
  seed?: number;
  low?: number;
  high?: number;
  dtype?: DType;
}

/** Uniform values in [low, high) (integers for integer dtypes), from a seeded generator. */
export function randomTensorData(shape: readonly number[], options: RandomTensorOptions = {}): TensorData {
  const generator = new Generator(options.seed ?? 1);
  const dtype = options.dtype ?? 'float32';
  const low = options.low ?? -1;
  const high = options.high ?? 1;
  const count = shape.reduce((product, dim) => product * dim, 1);
  const values = new Float64Array(count);
  const integer = dtype !== 'float32' && dtype !== 'float64' && dtype !== 'float16' && dtype !== 'bfloat16';
  for (let index = 0; index < count; index++) {
    const value = low + (high - low) * generator.random();
    values[index] = integer ? Math.floor(value) : value;
  }
  return fromNumbers(dtype, shape, values);
}
