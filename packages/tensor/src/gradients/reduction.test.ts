// Gradchecks (float64) of ReduceSum/Mean/Max/Min (axes, keepdims, noop_with_empty_axes),
// Softmax, LogSoftmax and CumSum (exclusive, reverse).
import { gradcheck, gradcheckTensor } from '@efficientdl/test-utils';
import { describe, expect, it } from 'vitest';
import { runUnary } from '../engine.js';
import * as F from '../functional.js';

const input = (shape: number[], seed: number) => gradcheckTensor(shape, { seed });

describe('reduction gradients', () => {
  const reductions = [
    ['ReduceSum', F.reduceSum],
    ['ReduceMean', F.reduceMean],
    ['ReduceMax', F.reduceMax],
    ['ReduceMin', F.reduceMin],
  ] as const;
  for (const [name, reduce] of reductions) {
    it(`${name} over axes, with and without keepdims, and over everything`, () => {
      gradcheck((x) => reduce(x, { axes: [1], keepDims: true }), [input([2, 3, 4], 1)]);
      gradcheck((x) => reduce(x, { axes: [0, -1], keepDims: false }), [input([2, 3, 4], 2)]);
      gradcheck((x) => reduce(x, { keepDims: false }), [input([3, 4], 3)]);
    });
  }

  it('noop_with_empty_axes passes the gradient through', () => {
    gradcheck((x) => runUnary('ReduceSum', [x], { noop_with_empty_axes: 1 }), [input([2, 3], 4)]);
  });

  it('ReduceMax shares the gradient equally among tied maxima', () => {
    const x = F.tensor([1, 3, 3, 2], [4], 'float64').requireGrad();
    F.reduceMax(x, { keepDims: false }).backward();
    expect(x.grad?.toArray()).toEqual([0, 0.5, 0.5, 0]);
  });

  it('Softmax and LogSoftmax along the last and a middle axis', () => {
    gradcheck((x) => F.softmax(x, -1), [input([2, 5], 5)]);
    gradcheck((x) => F.softmax(x, 1), [input([2, 3, 4], 6)]);
    gradcheck((x) => F.logSoftmax(x, -1), [input([2, 5], 7)]);
    gradcheck((x) => F.logSoftmax(x, 0), [input([3, 4], 8)]);
  });

  for (const exclusive of [0, 1]) {
    for (const reverse of [0, 1]) {
      it(`CumSum exclusive=${exclusive} reverse=${reverse}`, () => {
        const axis = F.int64([1]);
        gradcheck((x) => runUnary('CumSum', [x, axis], { exclusive, reverse }), [input([2, 5, 2], 9)]);
      });
    }
  }
});
