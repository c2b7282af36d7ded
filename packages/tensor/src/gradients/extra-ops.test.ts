// Gradchecks (float64, finite differences) of Sum, Mean, Max and Min with broadcasting, plus the
// tie rule of Max (dY shared equally among inputs equal to the result).
import { gradcheck, gradcheckTensor } from '@efficientdl/test-utils';
import { describe, expect, it } from 'vitest';
import { runOp } from '../engine.js';
import * as F from '../functional.js';
import type { Tensor } from '../tensor.js';

const input = (shape: number[], seed: number) => gradcheckTensor(shape, { seed });
const variadic = (op: string) => (...inputs: Tensor[]) => runOp(op, inputs)[0] as Tensor;

describe('variadic op gradients', () => {
  for (const op of ['Sum', 'Mean', 'Max', 'Min']) {
    it(`${op} of three inputs with broadcasting`, () => {
      gradcheck(variadic(op), [input([2, 3], 1), input([3], 2), input([2, 1], 3)]);
    });
    it(`${op} of one input`, () => {
      gradcheck(variadic(op), [input([4], 4)]);
    });
  }

  it('Max shares the gradient among tied inputs', () => {
    const a = F.tensor([1, 5], [2], 'float64').requireGrad();
    const b = F.tensor([1, 2], [2], 'float64').requireGrad();
    F.reduceSum(variadic('Max')(a, b), { keepDims: false }).backward();
    expect(a.grad?.toArray()).toEqual([0.5, 1]);
    expect(b.grad?.toArray()).toEqual([0.5, 0]);
  });
});
