// Gradchecks of Conv and ConvTranspose (float32: the ai.efficientdl training kernels are float32)
// over pads, strides, dilations, groups, auto_pad and bias; ConvTranspose also over
// output_padding and output_shape.
import type { Attributes } from '@efficientdl/ir';
import { gradcheck, gradcheckTensor } from '@efficientdl/test-utils';
import { describe, it } from 'vitest';
import { runUnary } from '../engine.js';

const input = (shape: number[], seed: number) => gradcheckTensor(shape, { seed, dtype: 'float32' });
const tolerance = { eps: 1e-2, rtol: 1e-2, atol: 2e-3 };

describe('Conv gradient', () => {
  const cases: [string, number[], number[], Attributes][] = [
    ['2-D, pads, bias', [2, 2, 5, 5], [3, 2, 3, 3], { pads: [1, 1, 1, 1] }],
    ['2-D, stride 2 with leftover rows, asymmetric pads', [1, 2, 6, 5], [2, 2, 3, 2], { strides: [2, 2], pads: [1, 0, 0, 1] }],
    ['2-D, dilation 2', [1, 1, 6, 6], [2, 1, 2, 3], { dilations: [2, 1] }],
    ['2-D, groups 2', [1, 4, 4, 4], [4, 2, 3, 3], { group: 2, pads: [1, 1, 1, 1] }],
    ['2-D depthwise', [1, 3, 4, 4], [3, 1, 3, 3], { group: 3, pads: [1, 1, 1, 1] }],
    ['2-D, auto_pad SAME_UPPER stride 2', [1, 2, 5, 5], [2, 2, 2, 2], { auto_pad: 'SAME_UPPER', strides: [2, 2] }],
    ['2-D, auto_pad SAME_LOWER', [1, 2, 4, 4], [2, 2, 2, 2], { auto_pad: 'SAME_LOWER' }],
    ['1-D, stride 2', [2, 2, 7], [3, 2, 3], { strides: [2], pads: [1, 1] }],
  ];
  for (const [name, xShape, wShape, attrs] of cases) {
    it(name, () => {
      const inputs = [input(xShape, 1), input(wShape, 2), input([wShape[0] as number], 3)];
      gradcheck((x, w, b) => runUnary('Conv', [x, w, b], attrs), inputs, tolerance);
    });
  }
});

describe('ConvTranspose gradient', () => {
  const cases: [string, number[], number[], Attributes][] = [
    ['2-D, stride 2, pads', [1, 2, 3, 3], [2, 3, 3, 3], { strides: [2, 2], pads: [1, 1, 1, 1] }],
    ['2-D, output_padding', [2, 2, 3, 2], [2, 2, 3, 3], { strides: [2, 2], output_padding: [1, 1] }],
    ['2-D, groups 2 and dilation', [1, 4, 3, 3], [4, 1, 2, 2], { group: 2, dilations: [2, 1] }],
    ['2-D, output_shape', [1, 2, 3, 3], [2, 2, 3, 3], { strides: [2, 2], output_shape: [6, 6] }],
    ['1-D, stride 3', [1, 2, 4], [2, 2, 2], { strides: [3] }],
    ['2-D, auto_pad SAME_UPPER', [1, 2, 3, 3], [2, 2, 4, 3], { strides: [2, 2], auto_pad: 'SAME_UPPER' }],
    ['2-D, auto_pad SAME_LOWER', [1, 2, 3, 3], [2, 2, 4, 3], { strides: [2, 2], auto_pad: 'SAME_LOWER' }],
  ];
  for (const [name, xShape, wShape, attrs] of cases) {
    it(name, () => {
      const outputChannels = (wShape[1] as number) * Number(attrs.group ?? 1);
      const inputs = [input(xShape, 4), input(wShape, 5), input([outputChannels], 6)];
      gradcheck((x, w, b) => runUnary('ConvTranspose', [x, w, b], attrs), inputs, tolerance);
    });
  }
});
