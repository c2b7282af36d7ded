// The WebAssembly 2 × 2 / stride-2 max pool of 8-bit planes (int8-pool.ts / assembly/pool-int8.ts)
// against the MaxPool kernel's general window loop (maxPoolArgmax), value for value: output
// widths that take the 16-column chunks (with an overlapping last chunk), the 8-column chunks
// and the scalar loop, odd heights and widths (floor mode), uint8 and int8, and the MaxPool
// kernel routing 8-bit single-output pools through it.
import { type TensorData, getOpSchema, resolveAttributes } from '@efficientdl/ir';
import { randomTensorData } from '@efficientdl/test-utils';
import { describe, expect, it } from 'vitest';
import { createCpuBackend } from '../cpu-backend.js';
import { maxPoolArgmax } from '../kernels/pooling/max-pool.js';
import { poolSetup } from '../kernels/pooling/pool-setup.js';
import { wasmMaxPool2x2Bytes } from './int8-pool.js';

const POOL = { kernel_shape: [2, 2], strides: [2, 2], pads: [0, 0, 0, 0], dilations: [1, 1], ceil_mode: 0, storage_order: 0 };
const context = { op: 'MaxPool', node: 'pool', outputCount: 1 };

function expected(x: TensorData): number[] {
  const setup = poolSetup(x.shape, POOL, context);
  const count = setup.outputShape.reduce((product, size) => product * size, 1);
  const values = new Float64Array(count);
  maxPoolArgmax(setup, Array.from(x.data as ArrayLike<number>), values, new Int32Array(count));
  return Array.from(values);
}

const SHAPES: [string, number[]][] = [
  ['28 × 28 (16-column chunks, overlapping tail)', [4, 16, 28, 28]],
  ['14 × 14 (8-column chunks, overlapping tail)', [8, 32, 14, 14]],
  ['odd 9 × 33 (16-column chunks, exact)', [3, 20, 9, 33]],
  ['17 × 17 (one 16-column chunk)', [2, 30, 17, 17]],
  ['6 × 5 (scalar)', [40, 20, 6, 5]],
];

describe('WebAssembly 2×2 max pool on 8-bit planes', () => {
  for (const [label, shape] of SHAPES) {
    for (const dtype of ['uint8', 'int8'] as const) {
      it(`${label}, ${dtype}: equals the general loop`, () => {
        const [low, high] = dtype === 'uint8' ? [0, 256] : [-128, 128];
        const x = randomTensorData(shape, { seed: 17, dtype, low, high });
        const [planes, inHeight, inWidth] = [(shape[0] as number) * (shape[1] as number), shape[2] as number, shape[3] as number];
        const y = wasmMaxPool2x2Bytes({ x: x.data as Uint8Array, planes, inHeight, inWidth, outHeight: inHeight >> 1, outWidth: inWidth >> 1 });
        expect(y).toBeDefined();
        expect(y instanceof (dtype === 'uint8' ? Uint8Array : Int8Array)).toBe(true);
        expect(Array.from(y as Uint8Array)).toEqual(expected(x));
      });
    }
  }

  it('small tensors are left to the TypeScript loop', () => {
    const x = randomTensorData([1, 2, 8, 8], { seed: 1, dtype: 'uint8', low: 0, high: 256 });
    expect(wasmMaxPool2x2Bytes({ x: x.data as Uint8Array, planes: 2, inHeight: 8, inWidth: 8, outHeight: 4, outWidth: 4 })).toBeUndefined();
  });

  it('the MaxPool kernel (one output) returns the same values', () => {
    const x = randomTensorData([8, 16, 28, 28], { seed: 19, dtype: 'uint8', low: 0, high: 256 });
    const attrs = resolveAttributes(getOpSchema('MaxPool'), POOL as never);
    const [y] = createCpuBackend().run({ op: 'MaxPool', domain: '', name: 'pool', attrs }, [x], 1) as [TensorData];
    expect(y.shape).toEqual([8, 16, 14, 14]);
    expect(Array.from(y.data as Uint8Array)).toEqual(expected(x));
  });
});
