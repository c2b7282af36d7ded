// The branch-free float32 fast paths against their scalar definitions: the 2×2/stride-2 MaxPool
// and MaxPoolGrad against the general window loop (maxPoolArgmax, run on the same values, with
// many ties and NaNs), Relu's bit-mask loop and ReluGrad against x > 0 ? … : 0 element by element
// (Object.is, so -0/+0 and NaN count).
import { type TensorData, fromNumbers } from '@efficientdl/ir';
import { randomTensorData } from '@efficientdl/test-utils';
import { describe, expect, it } from 'vitest';
import type { KernelContext } from '../../kernel-registry.js';
import { UNARY_MATH_KERNELS } from '../elementwise/unary-math.js';
import { isMaxPool2x2 } from '../pooling/max-pool-2x2.js';
import { maxPoolArgmax, maxPoolKernel } from '../pooling/max-pool.js';
import { poolSetup } from '../pooling/pool-setup.js';
import { maxPoolGradKernel } from './max-pool-grad.js';
import { reluGradKernel } from './relu-grad.js';

const at = (op: string, outputCount = 1): KernelContext => ({ op, node: `${op}_test`, outputCount });
const POOL = { kernel_shape: [2, 2], strides: [2, 2], pads: [0, 0, 0, 0], dilations: [1, 1], ceil_mode: 0, storage_order: 0 };
const SPECIAL = [0, -0, Number.NaN, Number.POSITIVE_INFINITY, Number.NEGATIVE_INFINITY, 1e-45, -1e-45, 2.5, -2.5];

/** Small integers (many ties) with a few NaNs: (2, 3, 6, 7) — the odd width exercises floor mode. */
function tiedInput(): TensorData {
  const random = randomTensorData([2, 3, 6, 7], { seed: 5, low: -3, high: 3, dtype: 'int32' });
  const values = Array.from(random.data as Int32Array, (value, index) => (index % 17 === 3 ? Number.NaN : value));
  return fromNumbers('float32', [2, 3, 6, 7], values);
}

function expectSameElements(actual: ArrayLike<number>, expected: ArrayLike<number>): void {
  expect(actual.length).toBe(expected.length);
  for (let index = 0; index < expected.length; index++) {
    if (!Object.is(actual[index], expected[index])) expect([index, actual[index]]).toEqual([index, expected[index]]);
  }
}

describe('2×2 stride-2 MaxPool fast path', () => {
  const x = tiedInput();
  const setup = poolSetup(x.shape, POOL, at('MaxPool'));
  const reference = { values: new Float32Array(2 * 3 * 3 * 3), argmax: new Int32Array(2 * 3 * 3 * 3) };
  maxPoolArgmax(setup, x.data as Float32Array, reference.values, reference.argmax);

  it('is taken for this geometry', () => {
    expect(isMaxPool2x2(setup)).toBe(true);
    expect(isMaxPool2x2(poolSetup(x.shape, { ...POOL, pads: [1, 1, 1, 1] }, at('MaxPool')))).toBe(false);
  });

  it('MaxPool values and indices equal the general loop', () => {
    const [y, indices] = maxPoolKernel([x], POOL, at('MaxPool', 2)) as [TensorData, TensorData];
    expectSameElements(y.data as Float32Array, reference.values);
    const plane = 6 * 7;
    const expectedIndices = Array.from(reference.argmax, (position, index) => Math.floor(index / 9) * plane + position);
    expect(Array.from(indices.data as BigInt64Array, Number)).toEqual(expectedIndices);
  });

  it('MaxPoolGrad routes dY to the general loop’s first maximum', () => {
    const dy = randomTensorData([2, 3, 3, 3], { seed: 6 });
    const [dx] = maxPoolGradKernel([x, dy], POOL, at('MaxPoolGrad')) as [TensorData];
    const expected = new Float32Array(x.data.length);
    reference.argmax.forEach((position, index) => {
      const target = Math.floor(index / 9) * 42 + position;
      expected[target] = (expected[target] as number) + ((dy.data as Float32Array)[index] as number);
    });
    expectSameElements(dx.data as Float32Array, expected);
  });
});

describe('Relu and ReluGrad bit-mask loops', () => {
  const values = [...SPECIAL, ...Array.from(randomTensorData([40], { seed: 7 }).data as Float32Array)];
  const x = fromNumbers('float32', [values.length], values);
  const float32 = (numbers: number[]) => Float32Array.from(numbers);

  it('Relu equals x > 0 ? x : 0', () => {
    const relu = UNARY_MATH_KERNELS.find((definition) => definition.op === 'Relu');
    const [y] = relu?.kernel([x], {}, at('Relu')) as [TensorData];
    expectSameElements(y.data as Float32Array, float32(values.map((value) => (value > 0 ? value : 0))));
  });

  it('ReluGrad equals X > 0 ? dY : 0, special dY values included', () => {
    const dyValues = values.map((_, index) => SPECIAL[(index + 4) % SPECIAL.length] as number);
    const dy = fromNumbers('float32', [values.length], dyValues);
    const [dx] = reluGradKernel([dy, x], {}, at('ReluGrad')) as [TensorData];
    expectSameElements(dx.data as Float32Array, float32(values.map((value, index) => (value > 0 ? (dyValues[index] as number) : 0))));
  });

  it('ReluGrad reads dY views with a byte offset correctly', () => {
    const storage = new Float32Array([9, 1, -2, 3]);
    const dy: TensorData = { dtype: 'float32', shape: [3], data: storage.subarray(1) };
    const [dx] = reluGradKernel([dy, fromNumbers('float32', [3], [1, 1, -1])], {}, at('ReluGrad')) as [TensorData];
    expect(Array.from(dx.data as Float32Array)).toEqual([1, -2, 0]);
  });
});
