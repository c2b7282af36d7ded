// Conv: the im2col/GEMM fast path (and the depthwise direct path) against the readable
// reference loops on random 1-D/2-D problems, plus a direct float64 formula written here for
// one 3-D case and the typed errors for bad shapes and dtypes.
import { type Attributes, type TensorData, fromNumbers, toNumberArray } from '@efficientdl/ir';
import { expectClose, randomTensorData } from '@efficientdl/test-utils';
import { describe, expect, it } from 'vitest';
import { conv } from './conv.js';

const context = { op: 'Conv', node: 'conv_test', outputCount: 1 };

interface Problem {
  x: number[];
  w: number[];
  attrs: Attributes;
  bias?: boolean;
}

function runBoth(problem: Problem, seed: number): void {
  const x = randomTensorData(problem.x, { seed });
  const w = randomTensorData(problem.w, { seed: seed + 1 });
  const bias = problem.bias ? randomTensorData([problem.w[0] as number], { seed: seed + 2 }) : undefined;
  const fast = conv([x, w, bias], problem.attrs, context, true);
  const reference = conv([x, w, bias], problem.attrs, context, false);
  expectClose(fast, reference, { rtol: 1e-4, atol: 1e-5 });
}

describe('Conv fast path vs reference', () => {
  const problems: Problem[] = [
    { x: [2, 3, 9, 7], w: [4, 3, 3, 3], attrs: {}, bias: true },
    { x: [1, 1, 28, 28], w: [16, 1, 3, 3], attrs: { pads: [1, 1, 1, 1] }, bias: true },
    { x: [2, 4, 10, 11], w: [6, 2, 3, 2], attrs: { group: 2, strides: [2, 3], pads: [1, 0, 2, 1] } },
    { x: [1, 6, 9, 9], w: [6, 1, 3, 3], attrs: { group: 6, pads: [1, 1, 1, 1], strides: [2, 2] }, bias: true },
    { x: [2, 3, 8, 8], w: [6, 1, 3, 3], attrs: { group: 3, dilations: [2, 2], pads: [2, 2, 2, 2] } },
    { x: [1, 5, 6, 7], w: [3, 5, 1, 1], attrs: {}, bias: true },
    { x: [1, 2, 13, 9], w: [5, 2, 4, 3], attrs: { dilations: [2, 1], strides: [1, 2], auto_pad: 'SAME_UPPER' } },
    { x: [1, 2, 8, 9], w: [3, 2, 2, 2], attrs: { strides: [2, 2], auto_pad: 'SAME_LOWER' } },
    { x: [3, 2, 17], w: [4, 2, 5], attrs: { strides: [2], pads: [2, 1], dilations: [2] }, bias: true },
    { x: [1, 4, 5, 5], w: [2, 4, 5, 5], attrs: { auto_pad: 'VALID' } },
    { x: [1, 1, 1, 40], w: [1, 1, 1, 7], attrs: {} },
  ];
  problems.forEach((problem, index) => {
    it(`agrees for X${JSON.stringify(problem.x)} W${JSON.stringify(problem.w)} ${JSON.stringify(problem.attrs)}`, () => runBoth(problem, 10 * index + 1));
  });
});

describe('Conv reference', () => {
  it('matches a direct float64 formula for a 3-D strided, padded convolution', () => {
    // x: (1, 2, 4, 4, 3), w: (3, 2, 2, 3, 2), strides (2, 1, 1), pads begin (1, 0, 1) end (0, 1, 0)
    const x = randomTensorData([1, 2, 4, 4, 3], { seed: 5, dtype: 'float64' });
    const w = randomTensorData([3, 2, 2, 3, 2], { seed: 6, dtype: 'float64' });
    const attrs = { strides: [2, 1, 1], pads: [1, 0, 1, 0, 1, 0] };
    const y = conv([x, w], attrs, context);
    expect(y.shape).toEqual([1, 3, 2, 3, 3]);
    const xv = toNumberArray(x);
    const wv = toNumberArray(w);
    const at = (c: number, d: number, h: number, v: number) => (d < 0 || d >= 4 || h < 0 || h >= 4 || v < 0 || v >= 3 ? 0 : (xv[((c * 4 + d) * 4 + h) * 3 + v] as number));
    const expected: number[] = [];
    for (let m = 0; m < 3; m++)
      for (let d = 0; d < 2; d++)
        for (let h = 0; h < 3; h++)
          for (let v = 0; v < 3; v++) {
            let sum = 0;
            for (let c = 0; c < 2; c++)
              for (let i = 0; i < 2; i++)
                for (let j = 0; j < 3; j++)
                  for (let l = 0; l < 2; l++) sum += at(c, d * 2 - 1 + i, h + j, v - 1 + l) * (wv[(((m * 2 + c) * 2 + i) * 3 + j) * 2 + l] as number);
            expected.push(sum);
          }
    expectClose(y, { shape: [1, 3, 2, 3, 3], values: expected }, { rtol: 1e-12, atol: 1e-12 });
  });

  it('throws typed errors naming op and node for bad channels and dtypes', () => {
    const x = randomTensorData([1, 4, 5, 5]);
    const w = randomTensorData([2, 3, 3, 3]);
    expect(() => conv([x, w], {}, context)).toThrowError(/Conv \(node 'conv_test'\).*\(1, 4, 5, 5\)/);
    const ints: TensorData = fromNumbers('int32', [1, 1, 3, 3], new Array(9).fill(1));
    try {
      conv([ints, ints], {}, context);
      expect.unreachable();
    } catch (error) {
      expect((error as { code: string }).code).toBe('E_DTYPE');
    }
  });
});
