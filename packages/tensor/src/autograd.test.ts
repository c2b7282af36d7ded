// The autograd core: accumulation over several uses, multi-op graphs against hand derivatives,
// requiresGrad propagation, noGrad, non-scalar roots, missing gradient rules, .grad accumulation.
import { type OpSchema, ShapeError, UnsupportedOpError, registerOp } from '@efficientdl/ir';
import type { CpuBackend } from '@efficientdl/backend-cpu';
import { describe, expect, it } from 'vitest';
import { backward } from './autograd.js';
import { getBackend, runUnary } from './engine.js';
import * as F from './functional.js';
import { isGradEnabled, noGrad, setGradEnabled } from './grad-mode.js';
import type { GradientFunction } from './gradients/gradient-types.js';
import { GRADIENTS } from './gradients/index.js';

const closeTo = (actual: number[] | undefined, expected: number[]) => {
  expect(actual).toHaveLength(expected.length);
  actual?.forEach((value, index) => expect(value).toBeCloseTo(expected[index] as number, 5));
};

describe('backward', () => {
  it('accumulates the gradient of a tensor used twice (y = x·x + x → 2x + 1)', () => {
    const x = F.tensor([1, -2, 3], [3]).requireGrad();
    F.reduceSum(F.add(F.mul(x, x), x), { keepDims: false }).backward();
    closeTo(x.grad?.toArray(), [3, -3, 7]);
  });

  it('reaches every leaf through a multi-op graph (hand-derived gradients)', () => {
    // loss = Σ_i exp(a_i · b) + a_i / b,  b a scalar broadcast over a
    const a = F.tensor([0.5, -1, 2], [3]).requireGrad();
    const b = F.tensor([0.3], []).requireGrad();
    const loss = F.reduceSum(F.add(F.exp(F.mul(a, b)), F.div(a, b)), { keepDims: false });
    loss.backward();
    const values = [0.5, -1, 2];
    closeTo(a.grad?.toArray(), values.map((value) => 0.3 * Math.exp(value * 0.3) + 1 / 0.3));
    const expectedB = values.reduce((total, value) => total + value * Math.exp(value * 0.3) - value / 0.09, 0);
    closeTo(b.grad?.toArray(), [expectedB]);
    expect(b.grad?.shape).toEqual([]);
  });

  it('accumulates into .grad over two backward passes and leaves intermediates without .grad', () => {
    const x = F.tensor([1, 2], [2]).requireGrad();
    const hidden = F.mul(x, 3);
    F.reduceSum(hidden, { keepDims: false }).backward();
    F.reduceSum(F.mul(x, 3), { keepDims: false }).backward();
    closeTo(x.grad?.toArray(), [6, 6]);
    expect(hidden.grad).toBeUndefined();
  });

  it('throws on a non-scalar root without a gradient, and uses an explicit one', () => {
    const x = F.tensor([1, 2, 3], [3]).requireGrad();
    const y = F.mul(x, x);
    expect(() => y.backward()).toThrow(UnsupportedOpError);
    expect(() => y.backward()).toThrow(/non-scalar/);
    backward(y, F.tensor([1, 0, -1], [3]));
    closeTo(x.grad?.toArray(), [2, 0, -6]);
  });

  it('does not touch leaves that do not require grad', () => {
    const x = F.tensor([1, 2], [2]).requireGrad();
    const constant = F.tensor([5, 6], [2]);
    F.reduceSum(F.mul(x, constant), { keepDims: false }).backward();
    expect(constant.grad).toBeUndefined();
    closeTo(x.grad?.toArray(), [5, 6]);
  });

  it('rejects an explicit root gradient of the wrong shape', () => {
    const y = F.mul(F.tensor([1, 2], [2]).requireGrad(), 2);
    expect(() => backward(y, F.tensor([1, 2, 3], [3]))).toThrow(ShapeError);
  });

  it('names the op whose gradient rule returns a wrongly shaped gradient', () => {
    const table = GRADIENTS as Record<string, GradientFunction>;
    const original = table.Neg as GradientFunction;
    table.Neg = () => [F.zeros([5])];
    try {
      const x = F.tensor([1, 2], [2]).requireGrad();
      expect(() => F.reduceSum(F.neg(x), { keepDims: false }).backward()).toThrow(/gradient rule of 'Neg' returned float32\(5\) for input 0/);
    } finally {
      table.Neg = original;
    }
  });

  it('names the op when no gradient rule is registered', () => {
    const schema: OpSchema = {
      name: 'TestDouble',
      domain: 'test.autograd',
      inputs: [{ name: 'X' }],
      outputs: [{ name: 'Y' }],
      attrs: {},
      differentiable: true,
      infer: (context) => [context.inputs[0] as { dtype: 'float32'; shape: number[] }],
    };
    registerOp(schema);
    (getBackend() as CpuBackend).registerKernel({
      op: 'TestDouble',
      domain: 'test.autograd',
      kernel: ([x]) => [{ ...(x as NonNullable<typeof x>), data: (x?.data as Float32Array).map((value) => 2 * value) }],
    });
    const x = F.tensor([1, 2], [2]).requireGrad();
    const y = runUnary('TestDouble', [x], {}, { domain: 'test.autograd' });
    expect(() => F.reduceSum(y, { keepDims: false }).backward()).toThrow(/no gradient registered for op 'TestDouble'/);
  });
});

describe('requiresGrad propagation', () => {
  it('marks outputs of ops on grad-requiring inputs, not on constants', () => {
    const x = F.tensor([1, 2], [2]).requireGrad();
    const constant = F.tensor([3, 4], [2]);
    const y = F.add(x, constant);
    expect(y.requiresGrad).toBe(true);
    expect(y.isLeaf).toBe(false);
    expect(y.gradNode?.op).toBe('Add');
    const z = F.add(constant, constant);
    expect(z.requiresGrad).toBe(false);
    expect(z.isLeaf).toBe(true);
  });

  it('non-float outputs and non-differentiable ops stay off the tape', () => {
    const x = F.tensor([1, 5, 2], [3]).requireGrad();
    expect(F.argMax(x, 0).requiresGrad).toBe(false);
    expect(F.greater(x, 1).gradNode).toBeUndefined();
  });

  it('detach cuts the tape but shares storage', () => {
    const x = F.tensor([1, 2], [2]).requireGrad();
    const y = F.mul(x, 2);
    const cut = y.detach();
    expect(cut.isLeaf).toBe(true);
    expect(cut.requiresGrad).toBe(false);
    expect(cut.values).toBe(y.values);
  });
});

describe('noGrad', () => {
  it('records nothing inside and restores the previous mode, even on throw', () => {
    const x = F.tensor([1, 2], [2]).requireGrad();
    const y = noGrad(() => F.mul(x, x));
    expect(y.requiresGrad).toBe(false);
    expect(y.gradNode).toBeUndefined();
    expect(isGradEnabled()).toBe(true);
    expect(() =>
      noGrad(() => {
        throw new Error('inside');
      }),
    ).toThrow('inside');
    expect(isGradEnabled()).toBe(true);
  });

  it('setGradEnabled switches recording and returns the previous state', () => {
    const x = F.tensor([1], [1]).requireGrad();
    expect(setGradEnabled(false)).toBe(true);
    expect(F.neg(x).requiresGrad).toBe(false);
    expect(setGradEnabled(true)).toBe(false);
    expect(F.neg(x).requiresGrad).toBe(true);
  });
});
