// Linear against a naive x·Wᵀ + b, and its parameter gradients against the closed form.
import { fromNumbers } from '@efficientdl/ir';
import { F, Generator, Tensor } from '@efficientdl/tensor';
import { expectClose } from '@efficientdl/test-utils';
import { describe, expect, it } from 'vitest';
import { checkGradients, pseudoRandom } from '../__fixtures__/gradient-check.js';
import { Linear } from './linear.js';

function naiveLinear(x: number[], rows: number, weight: number[], bias: number[], inFeatures: number, outFeatures: number): number[] {
  const out: number[] = [];
  for (let row = 0; row < rows; row++) {
    for (let o = 0; o < outFeatures; o++) {
      let sum = bias[o] ?? 0;
      for (let i = 0; i < inFeatures; i++) sum += (x[row * inFeatures + i] as number) * (weight[o * inFeatures + i] as number);
      out.push(sum);
    }
  }
  return out;
}

describe('Linear', () => {
  const layer = new Linear({ inFeatures: 4, outFeatures: 3, generator: new Generator(2) });
  const weight = Array.from(layer.weight.values as Float32Array);
  const bias = Array.from(layer.bias?.values as Float32Array);

  it('matches x·Wᵀ + b for 2-D and 3-D inputs', () => {
    const values = pseudoRandom(24, 7);
    const x2 = new Tensor(fromNumbers('float32', [6, 4], values));
    expectClose(layer.call(x2).data, { shape: [6, 3], values: naiveLinear(values, 6, weight, bias, 4, 3) }, { rtol: 1e-5, atol: 1e-6 });
    const x3 = new Tensor(fromNumbers('float32', [2, 3, 4], values));
    const y3 = layer.call(x3);
    expect(y3.shape).toEqual([2, 3, 3]);
    expectClose(y3.values as Float32Array, naiveLinear(values, 6, weight, bias, 4, 3), { rtol: 1e-5, atol: 1e-6 });
    expect(() => layer.call(new Tensor(fromNumbers('float32', [2, 5], pseudoRandom(10))))).toThrow(/inFeatures 4/);
  });

  it('gives dW = Σₙ xₙ and db = N for loss = Σ y', () => {
    const values = pseudoRandom(8, 3);
    const x = new Tensor(fromNumbers('float32', [2, 4], values));
    layer.zeroGrad();
    F.reduceSum(layer.call(x), { keepDims: false }).backward();
    const columnSums = [0, 1, 2, 3].map((i) => (values[i] as number) + (values[4 + i] as number));
    expectClose(layer.weight.grad?.values as Float32Array, [...columnSums, ...columnSums, ...columnSums], { rtol: 1e-5, atol: 1e-6 });
    expectClose(layer.bias?.grad?.values as Float32Array, [2, 2, 2]);
  });

  it('passes a finite-difference gradient check (rank 3, input and parameters)', () => {
    const small = new Linear({ inFeatures: 3, outFeatures: 2, generator: new Generator(5) });
    const x = new Tensor(fromNumbers('float32', [2, 2, 3], pseudoRandom(12, 11)));
    const weights = new Tensor(fromNumbers('float32', [2, 2, 2], pseudoRandom(8, 12)));
    checkGradients(() => F.reduceSum(F.mul(small.call(x), weights), { keepDims: false }), [x, small.weight, small.bias as Tensor]);
  });
});
