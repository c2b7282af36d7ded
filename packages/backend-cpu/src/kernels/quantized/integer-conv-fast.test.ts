// QLinearConv / ConvInteger fast path (8-bit im2col + int8 GEMM + requantization) against the
// readable reference loops, bit for bit: padding, strides, dilations, groups, 1-D, uint8 and
// int8 activations, per-channel weight scales, saturation on both ends, several image chunks.
import { type TensorData, fromNumbers, getOpSchema, resolveAttributes } from '@efficientdl/ir';
import { randomTensorData } from '@efficientdl/test-utils';
import { describe, expect, it } from 'vitest';
import { createCpuBackend } from '../../cpu-backend.js';
import { convIntegerReferenceKernel, qlinearConvReferenceKernel } from './integer-conv.js';

const backend = createCpuBackend();
const listOf = (tensor: TensorData): number[] => Array.from(tensor.data as ArrayLike<number>);

interface Case {
  name: string;
  x: number[]; // (N, C, spatial…)
  w: number[]; // (M, C/group, kernel…)
  attrs: Record<string, unknown>;
  xType: 'uint8' | 'int8';
}

const CASES: Case[] = [
  { name: '3×3 same padding', x: [3, 4, 9, 9], w: [6, 4, 3, 3], attrs: { pads: [1, 1, 1, 1] }, xType: 'uint8' },
  { name: 'stride 2, asymmetric pads, dilation', x: [2, 3, 11, 10], w: [5, 3, 3, 2], attrs: { strides: [2, 2], pads: [1, 0, 2, 1], dilations: [2, 1] }, xType: 'uint8' },
  { name: 'groups and int8 activations', x: [2, 6, 7, 7], w: [4, 3, 3, 3], attrs: { group: 2, pads: [1, 1, 1, 1] }, xType: 'int8' },
  { name: 'depthwise', x: [2, 4, 6, 6], w: [4, 1, 3, 3], attrs: { group: 4, pads: [1, 1, 1, 1] }, xType: 'uint8' },
  { name: '1-D', x: [3, 2, 17], w: [4, 2, 5], attrs: { pads: [2, 2] }, xType: 'uint8' },
  { name: '1×1 over a batch', x: [40, 16, 1, 1], w: [10, 16, 1, 1], attrs: {}, xType: 'uint8' },
];

function operands(testCase: Case, seed: number) {
  const [low, high] = testCase.xType === 'uint8' ? [0, 256] : [-128, 128];
  const x = randomTensorData(testCase.x, { seed, dtype: testCase.xType, low, high });
  const w = randomTensorData(testCase.w, { seed: seed + 1, dtype: 'int8', low: -127, high: 128 });
  const channels = testCase.w[0] as number;
  const bias = randomTensorData([channels], { seed: seed + 2, dtype: 'int32', low: -20000, high: 20000 });
  const xZero = fromNumbers(testCase.xType, [], [testCase.xType === 'uint8' ? 131 : -3]);
  return { x, w, bias, xZero, channels };
}

describe('QLinearConv fast path', () => {
  for (const testCase of CASES) {
    it(`${testCase.name} equals the reference loop`, () => {
      const { x, w, bias, xZero, channels } = operands(testCase, 5);
      // scales chosen so that outputs saturate at both ends for some elements
      const wScale = fromNumbers('float32', [channels], Array.from({ length: channels }, (_, index) => 0.01 * (index + 1)));
      const inputs = [x, fromNumbers('float32', [], [0.05]), xZero, w, wScale, fromNumbers('int8', [channels], new Array(channels).fill(0)), fromNumbers('float32', [], [0.1]), fromNumbers('uint8', [], [100]), bias];
      const attrs = resolveAttributes(getOpSchema('QLinearConv'), testCase.attrs as never);
      const context = { op: 'QLinearConv', node: 'conv', outputCount: 1 };
      const fast = backend.run({ op: 'QLinearConv', domain: '', name: 'conv', attrs }, inputs, 1)[0] as TensorData;
      const reference = qlinearConvReferenceKernel(inputs, attrs, context)[0] as TensorData;
      expect(fast.shape).toEqual(reference.shape);
      expect(listOf(fast)).toEqual(listOf(reference));
      // the scales make some outputs saturate, so clamping is exercised too
      expect(listOf(fast).some((value) => value === 0 || value === 255)).toBe(true);
    });
  }
  it('int8 output with a non-zero weight zero point', () => {
    const testCase = CASES[0] as Case;
    const { x, w, bias, xZero, channels } = operands(testCase, 9);
    const inputs = [x, fromNumbers('float32', [], [0.05]), xZero, w, fromNumbers('float32', [], [0.004]), fromNumbers('int8', [], [3]), fromNumbers('float32', [], [0.2]), fromNumbers('int8', [], [-7]), bias];
    const attrs = resolveAttributes(getOpSchema('QLinearConv'), testCase.attrs as never);
    const fast = backend.run({ op: 'QLinearConv', domain: '', name: 'conv', attrs }, inputs, 1)[0] as TensorData;
    const reference = qlinearConvReferenceKernel(inputs, attrs, { op: 'QLinearConv', node: 'conv', outputCount: 1 })[0] as TensorData;
    expect(fast.dtype).toBe('int8');
    expect(listOf(fast)).toEqual(listOf(reference));
    expect(channels).toBe(6);
  });
});

describe('ConvInteger fast path', () => {
  for (const testCase of CASES.slice(0, 3)) {
    it(`${testCase.name} equals the reference loop`, () => {
      const { x, w, xZero } = operands(testCase, 21);
      const inputs = [x, w, xZero, fromNumbers('int8', [], [2])];
      const attrs = resolveAttributes(getOpSchema('ConvInteger'), testCase.attrs as never);
      const fast = backend.run({ op: 'ConvInteger', domain: '', name: 'conv', attrs }, inputs, 1)[0] as TensorData;
      const reference = convIntegerReferenceKernel(inputs, attrs, { op: 'ConvInteger', node: 'conv', outputCount: 1 })[0] as TensorData;
      expect(listOf(fast)).toEqual(listOf(reference));
    });
  }
});
