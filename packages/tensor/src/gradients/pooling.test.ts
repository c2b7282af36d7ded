// Gradchecks of MaxPool (distinct, well-separated values so no window has a tie), AveragePool
// (pads, count_include_pad, ceil_mode, auto_pad) and GlobalAveragePool.
import type { Attributes } from '@efficientdl/ir';
import { gradcheck, gradcheckTensor } from '@efficientdl/test-utils';
import { describe, it } from 'vitest';
import { runOp, runUnary } from '../engine.js';
import * as F from '../functional.js';
import { Generator } from '../random.js';

const tolerance = { eps: 1e-2, rtol: 1e-2, atol: 2e-3 };

/** A permutation of well-separated values: finite differences never swap a window's maximum. */
function distinct(shape: number[], seed: number) {
  const count = shape.reduce((total, dim) => total * dim, 1);
  const order = new Generator(seed).permutation(count);
  return F.tensor(order.map((rank) => rank * 0.1 - count * 0.05), shape, 'float32');
}

describe('MaxPool gradient', () => {
  const cases: [string, number[], Attributes][] = [
    ['2x2 stride 2', [1, 2, 4, 4], { kernel_shape: [2, 2], strides: [2, 2] }],
    ['3x3 stride 1 pads 1 (overlapping windows)', [1, 1, 4, 5], { kernel_shape: [3, 3], pads: [1, 1, 1, 1] }],
    ['ceil_mode and dilation', [2, 1, 5, 5], { kernel_shape: [2, 2], strides: [2, 2], ceil_mode: 1, dilations: [1, 2] }],
    ['auto_pad SAME_UPPER', [1, 1, 5, 5], { kernel_shape: [2, 2], strides: [2, 2], auto_pad: 'SAME_UPPER' }],
    ['1-D', [1, 2, 7], { kernel_shape: [3], strides: [2] }],
  ];
  for (const [name, shape, attrs] of cases) {
    it(name, () => {
      gradcheck((x) => runUnary('MaxPool', [x], attrs), [distinct(shape, 1)], tolerance);
    });
  }
});

describe('MaxPool with its Indices output', () => {
  it('differentiates the values output', () => {
    const attrs = { kernel_shape: [2, 2], strides: [1, 1] };
    gradcheck((x) => runOp('MaxPool', [x], attrs, { outputCount: 2 })[0] as typeof x, [distinct([1, 2, 3, 4], 4)], tolerance);
  });
});

describe('AveragePool gradient', () => {
  const cases: [string, number[], Attributes][] = [
    ['2x2 stride 2', [1, 2, 4, 4], { kernel_shape: [2, 2], strides: [2, 2] }],
    ['pads, count_include_pad 0', [1, 1, 4, 5], { kernel_shape: [3, 3], pads: [1, 1, 1, 1] }],
    ['pads, count_include_pad 1', [1, 1, 4, 5], { kernel_shape: [3, 3], pads: [1, 0, 1, 1], count_include_pad: 1 }],
    ['ceil_mode', [2, 1, 5, 5], { kernel_shape: [2, 2], strides: [2, 2], ceil_mode: 1 }],
    ['auto_pad SAME_LOWER', [1, 1, 5, 4], { kernel_shape: [3, 2], strides: [2, 1], auto_pad: 'SAME_LOWER' }],
  ];
  for (const [name, shape, attrs] of cases) {
    it(name, () => {
      gradcheck((x) => runUnary('AveragePool', [x], attrs), [gradcheckTensor(shape, { seed: 2, dtype: 'float32' })], tolerance);
    });
  }
});

describe('GlobalAveragePool gradient', () => {
  it('spreads the gradient evenly over the spatial axes', () => {
    gradcheck((x) => runUnary('GlobalAveragePool', [x]), [gradcheckTensor([2, 3, 3, 2], { seed: 3, dtype: 'float32' })], tolerance);
  });
});
