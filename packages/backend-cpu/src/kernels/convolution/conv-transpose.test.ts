// ConvTranspose: the GEMM/col2im fast path against the reference scatter loops on random
// 1-D/2-D problems (groups, strides, dilations, pads, output_padding, output_shape, auto_pad).
import type { Attributes } from '@efficientdl/ir';
import { expectClose, randomTensorData } from '@efficientdl/test-utils';
import { describe, expect, it } from 'vitest';
import { convTranspose } from './conv-transpose.js';

const context = { op: 'ConvTranspose', node: 'conv_transpose_test', outputCount: 1 };

describe('ConvTranspose fast path vs reference', () => {
  const problems: { x: number[]; w: number[]; attrs: Attributes; outShape: number[] }[] = [
    { x: [2, 3, 4, 5], w: [3, 2, 3, 3], attrs: {}, outShape: [2, 2, 6, 7] },
    { x: [1, 4, 3, 3], w: [4, 3, 3, 2], attrs: { group: 2, strides: [2, 3], pads: [1, 0, 0, 1], output_padding: [1, 2] }, outShape: [1, 6, 7, 9] },
    { x: [1, 2, 5, 4], w: [2, 1, 2, 2], attrs: { dilations: [2, 1], strides: [2, 2] }, outShape: [1, 1, 11, 8] },
    { x: [1, 2, 3, 3], w: [2, 2, 3, 3], attrs: { strides: [2, 2], auto_pad: 'SAME_UPPER' }, outShape: [1, 2, 6, 6] },
    { x: [1, 2, 3, 3], w: [2, 2, 3, 3], attrs: { strides: [2, 2], output_shape: [5, 6] }, outShape: [1, 2, 5, 6] },
    { x: [2, 3, 6], w: [3, 2, 4], attrs: { strides: [3], pads: [1, 2] }, outShape: [2, 2, 16] },
  ];
  problems.forEach((problem, index) => {
    it(`X${JSON.stringify(problem.x)} W${JSON.stringify(problem.w)} ${JSON.stringify(problem.attrs)}`, () => {
      const x = randomTensorData(problem.x, { seed: index + 1 });
      const w = randomTensorData(problem.w, { seed: index + 20 });
      const bias = randomTensorData([problem.outShape[1] as number], { seed: index + 40 });
      const fast = convTranspose([x, w, bias], problem.attrs, context, true);
      const reference = convTranspose([x, w, bias], problem.attrs, context, false);
      expect(fast.shape).toEqual(problem.outShape);
      expectClose(fast, reference, { rtol: 1e-4, atol: 1e-5 });
    });
  });
});
