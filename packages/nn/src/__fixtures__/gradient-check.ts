// Test helpers: central finite differences of a scalar function of some tensors, compared with the
// gradients autograd accumulates in `.grad`; and naive reference helpers.
import { type Tensor, noGrad } from '@efficientdl/tensor';
import { expect } from 'vitest';

/** Checks autograd's d(loss)/d(tensor) for every element of every tensor by central differences. */
export function checkGradients(
  loss: () => Tensor,
  tensors: readonly Tensor[],
  options: { step?: number; rtol?: number; atol?: number } = {},
): void {
  const step = options.step ?? 1e-2;
  const rtol = options.rtol ?? 2e-2;
  const atol = options.atol ?? 2e-3;
  for (const tensor of tensors) {
    tensor.requireGrad(true);
    tensor.grad = undefined;
  }
  loss().backward();
  for (const [which, tensor] of tensors.entries()) {
    const analytic = tensor.grad ? Array.from(tensor.grad.values as Float32Array) : new Array(tensor.size).fill(0);
    const values = tensor.values as Float32Array;
    for (let index = 0; index < values.length; index++) {
      const original = values[index] as number;
      const evaluate = (value: number) => {
        values[index] = value;
        return noGrad(() => loss().item());
      };
      const numeric = (evaluate(original + step) - evaluate(original - step)) / (2 * step);
      values[index] = original;
      const expected = analytic[index] as number;
      if (Math.abs(numeric - expected) > atol + rtol * Math.abs(numeric)) {
        expect.fail(`tensor ${which} element ${index}: autograd ${expected}, finite differences ${numeric}`);
      }
    }
  }
}

/** Deterministic pseudo-random values in [-1, 1) (a small LCG, independent of the library RNG). */
export function pseudoRandom(count: number, seed = 1): number[] {
  let state = seed >>> 0;
  return Array.from({ length: count }, () => {
    state = (Math.imul(state, 1664525) + 1013904223) >>> 0;
    return (state / 2 ** 32) * 2 - 1;
  });
}
