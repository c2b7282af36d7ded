// Gradchecks (float64) of the shape-manipulation gradients: Reshape, Flatten, Transpose, Squeeze,
// Unsqueeze, Expand, Concat, Split (incl. unused outputs).
import { gradcheck, gradcheckTensor } from '@efficientdl/test-utils';
import { describe, expect, it } from 'vitest';
import * as F from '../functional.js';

const input = (shape: number[], seed: number) => gradcheckTensor(shape, { seed });

describe('shape-op gradients', () => {
  it('Reshape and Flatten', () => {
    gradcheck((x) => F.reshape(x, [4, 3]), [input([2, 3, 2], 1)]);
    gradcheck((x) => F.flatten(x, 2), [input([2, 3, 2], 2)]);
    gradcheck((x) => F.flatten(x, 0), [input([2, 3], 3)]);
  });

  it('Transpose with a permutation and with the default reversal', () => {
    gradcheck((x) => F.transpose(x, [1, 2, 0]), [input([2, 3, 4], 4)]);
    gradcheck((x) => F.transpose(x), [input([2, 3, 4], 5)]);
  });

  it('Squeeze and Unsqueeze', () => {
    gradcheck((x) => F.squeeze(x, [1]), [input([2, 1, 3], 6)]);
    gradcheck((x) => F.squeeze(x), [input([1, 3, 1], 7)]);
    gradcheck((x) => F.unsqueeze(x, [0, 3]), [input([2, 3], 8)]);
  });

  it('Expand sums the gradient over expanded axes', () => {
    gradcheck((x) => F.expand(x, [2, 3, 4]), [input([3, 1], 9)]);
    gradcheck((x) => F.expand(x, [2, 3]), [input([1], 10)]);
  });

  it('Concat splits the gradient among its inputs', () => {
    gradcheck((a, b, c) => F.concat([a, b, c], 1), [input([2, 1, 3], 11), input([2, 2, 3], 12), input([2, 3, 3], 13)]);
    gradcheck((a, b) => F.concat([a, b], -1), [input([2, 2], 14), input([2, 3], 15)]);
  });

  it('Split concatenates the output gradients (zeros for unused outputs)', () => {
    gradcheck((x) => F.split(x, [1, 3, 2], 1), [input([2, 6], 16)]);
    gradcheck((x) => F.split(x, [2, 2], 0)[1] as ReturnType<typeof F.add>, [input([4, 3], 17)]);
    const x = input([4, 3], 18).requireGrad();
    const [, second] = F.split(x, [1, 3], 0);
    F.reduceSum(second as ReturnType<typeof F.add>, { keepDims: false }).backward();
    expect(x.grad?.toArray()).toEqual([0, 0, 0, 1, 1, 1, 1, 1, 1, 1, 1, 1]);
  });
});
