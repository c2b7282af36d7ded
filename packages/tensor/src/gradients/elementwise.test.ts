// Gradchecks (finite differences, float64) of the elementwise gradient entries, incl. broadcasting.
import { gradcheck, gradcheckTensor } from '@efficientdl/test-utils';
import { describe, expect, it } from 'vitest';
import { runOp, runUnary } from '../engine.js';
import * as F from '../functional.js';
import type { Tensor } from '../tensor.js';

const input = (shape: number[], seed: number, options: Parameters<typeof gradcheckTensor>[1] = {}) =>
  gradcheckTensor(shape, { seed, ...options });

describe('binary elementwise gradients', () => {
  const broadcastPairs: [number[], number[]][] = [
    [[2, 3], [2, 3]],
    [[2, 3, 4], [3, 1]],
    [[4], [2, 3, 4]],
    [[2, 1, 4], [1, 3, 1]],
    [[2, 3], []],
  ];
  for (const [left, right] of broadcastPairs) {
    it(`Add/Sub/Mul with shapes ${JSON.stringify(left)} and ${JSON.stringify(right)}`, () => {
      const a = input(left, 1);
      const b = input(right, 2);
      gradcheck(F.add, [a, b]);
      gradcheck(F.sub, [a, b]);
      gradcheck(F.mul, [a, b]);
    });
  }

  it('Div (denominator away from 0, broadcast)', () => {
    gradcheck(F.div, [input([2, 3, 4], 3), input([3, 1], 4, { low: 0.5, high: 2 })]);
    gradcheck(F.div, [input([3], 5), input([2, 3], 6, { low: -2, high: -0.5 })]);
  });

  it('Pow (positive base; base and exponent gradients, broadcast exponent)', () => {
    gradcheck(F.pow, [input([2, 3], 7, { low: 0.5, high: 2 }), input([2, 3], 8)]);
    gradcheck(F.pow, [input([2, 3], 9, { low: 0.5, high: 2 }), input([3], 10, { low: 1, high: 3 })]);
  });

  it('Pow with a constant integer exponent and negative base', () => {
    const exponent = F.tensor([3], [], 'float64');
    gradcheck((x) => F.pow(x, exponent), [input([5], 11, { awayFrom: [0] })]);
  });

  it('Where routes gradients to X and Y, with broadcasting', () => {
    const condition = F.tensor([1, 0, 1, 0, 0, 1], [2, 3], 'bool');
    gradcheck((x, y) => F.where(condition, x, y), [input([2, 3], 12), input([3], 13)]);
    gradcheck((x, y) => F.where(condition, x, y), [input([1, 3], 14), input([2, 1], 15)]);
  });
});

describe('unary elementwise gradients', () => {
  const cases: [string, (x: Tensor) => Tensor, Parameters<typeof gradcheckTensor>[1]][] = [
    ['Neg', F.neg, {}],
    ['Abs', F.abs, { awayFrom: [0] }],
    ['Exp', F.exp, {}],
    ['Log', F.log, { low: 0.2, high: 3 }],
    ['Sqrt', F.sqrt, { low: 0.2, high: 3 }],
    ['Reciprocal', F.reciprocal, { low: 0.3, high: 2 }],
    ['Erf', F.erf, { low: -2, high: 2 }],
    ['Sigmoid', F.sigmoid, { low: -4, high: 4 }],
    ['Tanh', F.tanh, { low: -2, high: 2 }],
    ['Relu', F.relu, { awayFrom: [0] }],
    ['LeakyRelu', (x) => F.leakyRelu(x, 0.2), { awayFrom: [0] }],
    ['Gelu', (x) => F.gelu(x), { low: -3, high: 3 }],
    ['Gelu (tanh)', (x) => F.gelu(x, 'tanh'), { low: -3, high: 3 }],
    ['HardSwish', F.hardSwish, { low: -5, high: 5, awayFrom: [-3, 3] }],
    ['Identity', F.identity, {}],
  ];
  for (const [name, fn, options] of cases) {
    it(name, () => {
      const report = gradcheck(fn, [input([3, 4], 21, options)]);
      expect(report.inputs[0]?.ok).toBe(true);
    });
  }

  it('Clip with constant bounds', () => {
    gradcheck((x) => F.clip(x, -0.5, 0.4), [input([3, 4], 22, { awayFrom: [-0.5, 0.4] })]);
    gradcheck((x) => F.clip(x, undefined, 0.1), [input([3, 4], 23, { awayFrom: [0.1] })]);
  });

  it('Clip passes the clipped gradient to differentiable min/max inputs', () => {
    const x = input([3, 4], 24, { awayFrom: [-0.3, 0.2] });
    gradcheck((data, minimum, maximum) => runUnary('Clip', [data, minimum, maximum]), [x, F.tensor([-0.3], [], 'float64'), F.tensor([0.2], [], 'float64')]);
  });

  it('Dropout in inference mode is the identity', () => {
    gradcheck((x) => runUnary('Dropout', [x]), [input([2, 5], 25)]);
  });

  it('Dropout in training mode (seeded mask), with and without the mask output', () => {
    const ratio = F.tensor([0.4], [], 'float64');
    const training = F.tensor([1], [], 'bool');
    const x = input([4, 5], 27, { awayFrom: [0] });
    gradcheck((data) => runOp('Dropout', [data, ratio, training], { seed: 3 }, { outputCount: 2 })[0] as Tensor, [x]);
    gradcheck((data) => runUnary('Dropout', [data, ratio, training], { seed: 3 }), [x]);
    const kept = runUnary('Dropout', [x, ratio, training], { seed: 3 }).toArray().filter((value) => value !== 0).length;
    expect(kept).toBeGreaterThan(0);
    expect(kept).toBeLessThan(20);
  });

  it('Cast float32 → float64 casts the gradient back', () => {
    gradcheck((x) => F.cast(x, 'float64'), [input([2, 3], 26, { dtype: 'float32' })], { eps: 1e-2, rtol: 1e-4, atol: 1e-5 });
  });
});
