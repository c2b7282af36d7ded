// Deterministic inputs for the workloads: a small LCG fills float32 values in [-0.5, 0.5) and
// int8 values in [-128, 127], so every engine sees the same numbers run after run.
import { type TensorData, fromNumbers } from '@efficientdl/ir';

function count(shape: readonly number[]): number {
  return shape.reduce((product, dim) => product * dim, 1);
}

function lcg(seed: number): () => number {
  let state = seed >>> 0;
  return () => {
    state = (Math.imul(state, 1103515245) + 12345) >>> 0;
    return state / 4294967296;
  };
}

export function randomFloat32(shape: readonly number[], seed = 12345): TensorData {
  const next = lcg(seed);
  const values = new Float32Array(count(shape));
  for (let index = 0; index < values.length; index++) values[index] = next() - 0.5;
  return fromNumbers('float32', shape, values);
}

export function randomInt8(shape: readonly number[], seed = 12345): TensorData {
  const next = lcg(seed);
  const values = new Int8Array(count(shape));
  for (let index = 0; index < values.length; index++) values[index] = Math.floor(next() * 256) - 128;
  return fromNumbers('int8', shape, values);
}

/** Positive values near 1 (BatchNorm variances and scales). */
export function randomPositive(shape: readonly number[], seed = 12345): TensorData {
  const next = lcg(seed);
  const values = new Float32Array(count(shape));
  for (let index = 0; index < values.length; index++) values[index] = 0.5 + next();
  return fromNumbers('float32', shape, values);
}
