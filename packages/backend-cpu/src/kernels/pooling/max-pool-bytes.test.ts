// The 2×2 / stride-2 MaxPool fast paths on uint8 / int8 (the quantized graphs' pools) against the
// general window loop (maxPoolArgmax on the same values): values only (one output) and values +
// Indices (two outputs), with many ties, odd heights / widths (floor mode), batch 1 and planes
// whose width is below and above 16.
import { type TensorData, fromNumbers } from '@efficientdl/ir';
import { randomTensorData } from '@efficientdl/test-utils';
import { describe, expect, it } from 'vitest';
import type { KernelContext } from '../../kernel-registry.js';
import { isMaxPool2x2 } from './max-pool-2x2.js';
import { maxPoolArgmax, maxPoolKernel } from './max-pool.js';
import { poolSetup } from './pool-setup.js';

const at = (outputCount: number): KernelContext => ({ op: 'MaxPool', node: 'pool', outputCount });
const POOL = { kernel_shape: [2, 2], strides: [2, 2], pads: [0, 0, 0, 0], dilations: [1, 1], ceil_mode: 0, storage_order: 0 };

const CASES: { dtype: 'uint8' | 'int8'; shape: number[]; low: number; high: number }[] = [
  { dtype: 'uint8', shape: [3, 4, 28, 28], low: 0, high: 256 },
  { dtype: 'uint8', shape: [1, 2, 7, 9], low: 0, high: 4 }, // small range: ties everywhere
  { dtype: 'int8', shape: [2, 3, 14, 15], low: -128, high: 128 },
  { dtype: 'int8', shape: [1, 1, 5, 33], low: -2, high: 2 },
];

function reference(x: TensorData): { values: Float64Array; argmax: Int32Array } {
  const setup = poolSetup(x.shape, POOL, at(1));
  const count = setup.outputShape.reduce((product, size) => product * size, 1);
  const result = { values: new Float64Array(count), argmax: new Int32Array(count) };
  maxPoolArgmax(setup, Array.from(x.data as ArrayLike<number>), result.values, result.argmax);
  return result;
}

describe('2×2 stride-2 MaxPool on 8-bit tensors', () => {
  for (const testCase of CASES) {
    const x = randomTensorData(testCase.shape, { seed: 13, dtype: testCase.dtype, low: testCase.low, high: testCase.high });
    const label = `${testCase.dtype} (${testCase.shape.join(', ')})`;

    it(`${label}: values equal the general loop`, () => {
      expect(isMaxPool2x2(poolSetup(x.shape, POOL, at(1)))).toBe(true);
      const [y] = maxPoolKernel([x], POOL, at(1)) as [TensorData];
      expect(y.dtype).toBe(testCase.dtype);
      expect(Array.from(y.data as ArrayLike<number>)).toEqual(Array.from(reference(x).values));
    });

    it(`${label}: values and Indices equal the general loop`, () => {
      const [y, indices] = maxPoolKernel([x], POOL, at(2)) as [TensorData, TensorData];
      const expected = reference(x);
      expect(Array.from(y.data as ArrayLike<number>)).toEqual(Array.from(expected.values));
      const [height, width] = testCase.shape.slice(2) as [number, number];
      const outPlane = Math.floor(height / 2) * Math.floor(width / 2);
      const expectedIndices = Array.from(expected.argmax, (position, index) => Math.floor(index / outPlane) * height * width + position);
      expect(Array.from(indices.data as BigInt64Array, Number)).toEqual(expectedIndices);
    });
  }

  it('hand-computed: ties keep the first maximum, int8 negatives', () => {
    const x = fromNumbers('int8', [1, 1, 2, 4], [-5, -7, 3, 3, -6, -5, 3, -128]);
    const [y, indices] = maxPoolKernel([x], POOL, at(2)) as [TensorData, TensorData];
    expect(Array.from(y.data as Int8Array)).toEqual([-5, 3]);
    expect(Array.from(indices.data as BigInt64Array, Number)).toEqual([0, 2]);
  });
});
