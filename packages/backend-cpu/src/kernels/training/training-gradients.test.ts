// The ai.efficientdl gradient kernels against central finite differences (float64) of the
// forward reference kernels: loss = Σ dY ⊙ forward(…), so ∂loss/∂input is the gradient the
// kernel must return. Inputs are float32-representable so both sides see identical values.
import { type Attributes, type TensorData, fromNumbers, toNumberArray } from '@efficientdl/ir';
import { expectClose, randomTensorData } from '@efficientdl/test-utils';
import { describe, expect, it } from 'vitest';
import type { KernelContext } from '../../kernel-registry.js';
import { conv } from '../convolution/conv.js';
import { averagePoolKernel } from '../pooling/average-pool.js';
import { maxPoolKernel } from '../pooling/max-pool.js';
import { averagePoolGradKernel } from './average-pool-grad.js';
import { convGradInputKernel } from './conv-grad-input.js';
import { convGradWeightKernel } from './conv-grad-weight.js';
import { maxPoolGradKernel } from './max-pool-grad.js';

const at = (op: string): KernelContext => ({ op, node: `${op}_test`, outputCount: 1 });

function asFloat64(tensor: TensorData): TensorData {
  return fromNumbers('float64', tensor.shape, toNumberArray(tensor));
}

/** Central differences of Σ dy ⊙ f(values) with respect to every element of `values`. */
function finiteDifferences(values: TensorData, dy: Float64Array, forward: (input: TensorData) => TensorData, step = 1e-3): Float64Array {
  const base = toNumberArray(values);
  const gradient = new Float64Array(base.length);
  const loss = (perturbed: Float64Array) => {
    const y = toNumberArray(forward(fromNumbers('float64', values.shape, perturbed)));
    let sum = 0;
    for (let index = 0; index < y.length; index++) sum += (y[index] as number) * (dy[index] as number);
    return sum;
  };
  for (let index = 0; index < base.length; index++) {
    const original = base[index] as number;
    base[index] = original + step;
    const up = loss(base);
    base[index] = original - step;
    const down = loss(base);
    base[index] = original;
    gradient[index] = (up - down) / (2 * step);
  }
  return gradient;
}

interface ConvProblem {
  x: number[];
  w: number[];
  attrs: Attributes;
}

const convProblems: ConvProblem[] = [
  { x: [2, 3, 6, 5], w: [4, 3, 3, 3], attrs: { pads: [1, 1, 1, 1] } },
  { x: [1, 2, 7, 8], w: [3, 2, 3, 2], attrs: { strides: [2, 2], pads: [1, 0, 0, 1] } },
  { x: [1, 2, 7, 7], w: [2, 2, 2, 3], attrs: { dilations: [2, 1], pads: [1, 1, 1, 1], strides: [1, 2] } },
  { x: [2, 4, 5, 5], w: [6, 2, 3, 3], attrs: { group: 2, pads: [1, 1, 1, 1] } },
  { x: [1, 3, 6, 6], w: [6, 1, 3, 3], attrs: { group: 3, strides: [2, 2], pads: [1, 1, 1, 1] } },
  { x: [2, 3, 4, 4], w: [5, 3, 1, 1], attrs: {} },
  { x: [2, 2, 11], w: [3, 2, 3], attrs: { strides: [2], pads: [1, 2], dilations: [2] } },
];

describe('ConvGradInput / ConvGradWeight vs finite differences of Conv', () => {
  convProblems.forEach((problem, index) => {
    it(`X${JSON.stringify(problem.x)} W${JSON.stringify(problem.w)} ${JSON.stringify(problem.attrs)}`, () => {
      const x = randomTensorData(problem.x, { seed: 100 + index });
      const w = randomTensorData(problem.w, { seed: 200 + index });
      const yShape = conv([x, w], problem.attrs, at('Conv')).shape;
      const dy = randomTensorData(yShape, { seed: 300 + index });
      const dyValues = toNumberArray(dy);
      const [dx] = convGradInputKernel([dy, w], { ...problem.attrs, input_shape: problem.x }, at('ConvGradInput'));
      const [dw] = convGradWeightKernel([x, dy], { ...problem.attrs, weight_shape: problem.w }, at('ConvGradWeight'));
      const xFD = finiteDifferences(asFloat64(x), dyValues, (input) => conv([input, asFloat64(w)], problem.attrs, at('Conv'), false));
      const wFD = finiteDifferences(asFloat64(w), dyValues, (input) => conv([asFloat64(x), input], problem.attrs, at('Conv'), false));
      expectClose(dx as TensorData, { shape: problem.x, values: xFD }, { rtol: 1e-4, atol: 1e-4 });
      expectClose(dw as TensorData, { shape: problem.w, values: wFD }, { rtol: 1e-4, atol: 1e-4 });
    });
  });

  it('rejects a dY whose shape does not match the forward output', () => {
    const w = randomTensorData([2, 1, 3, 3]);
    const dy = randomTensorData([1, 2, 4, 4]);
    expect(() => convGradInputKernel([dy, w], { input_shape: [1, 1, 5, 5] }, at('ConvGradInput'))).toThrowError(/ConvGradInput \(node 'ConvGradInput_test'\).*\(1, 2, 4, 4\)/);
  });
});

const poolProblems: { x: number[]; attrs: Attributes }[] = [
  { x: [2, 3, 8, 8], attrs: { kernel_shape: [2, 2], strides: [2, 2] } },
  { x: [1, 2, 7, 6], attrs: { kernel_shape: [3, 3], strides: [2, 2], pads: [1, 1, 1, 1] } },
  { x: [1, 2, 6, 7], attrs: { kernel_shape: [3, 2], strides: [1, 1] } },
  { x: [1, 2, 7, 7], attrs: { kernel_shape: [2, 2], strides: [2, 2], ceil_mode: 1, dilations: [1, 2] } },
  { x: [2, 2, 9], attrs: { kernel_shape: [3], strides: [2], pads: [1, 1] } },
];

describe('MaxPoolGrad / AveragePoolGrad vs finite differences of the pools', () => {
  poolProblems.forEach((problem, index) => {
    it(`X${JSON.stringify(problem.x)} ${JSON.stringify(problem.attrs)}`, () => {
      // distinct values (a shuffled ramp) so every window has a unique max and FD is exact
      const count = problem.x.reduce((product, dim) => product * dim, 1);
      const order = toNumberArray(randomTensorData([count], { seed: 400 + index }));
      const ranks = Array.from(order.keys()).sort((a, b) => (order[a] as number) - (order[b] as number));
      const ramp = new Float64Array(count);
      ranks.forEach((position, rank) => (ramp[position] = rank / 8));
      const x = fromNumbers('float32', problem.x, ramp);
      const [y] = maxPoolKernel([x], problem.attrs, at('MaxPool'));
      const dy = randomTensorData((y as TensorData).shape, { seed: 500 + index });
      const dyValues = toNumberArray(dy);
      const [dxMax] = maxPoolGradKernel([x, dy], problem.attrs, at('MaxPoolGrad'));
      const maxFD = finiteDifferences(asFloat64(x), dyValues, (input) => maxPoolKernel([input], problem.attrs, at('MaxPool'))[0] as TensorData, 1e-2);
      expectClose(dxMax as TensorData, { shape: problem.x, values: maxFD }, { rtol: 1e-5, atol: 1e-5 });
      for (const countIncludePad of [0, 1]) {
        const attrs = { ...problem.attrs, count_include_pad: countIncludePad };
        const [dxAverage] = averagePoolGradKernel([dy], { ...attrs, input_shape: problem.x }, at('AveragePoolGrad'));
        const averageFD = finiteDifferences(asFloat64(x), dyValues, (input) => averagePoolKernel([input], attrs, at('AveragePool'))[0] as TensorData);
        expectClose(dxAverage as TensorData, { shape: problem.x, values: averageFD }, { rtol: 1e-5, atol: 1e-5 });
      }
    });
  });

  it('routes a tie to the first maximum, as PyTorch does', () => {
    const x = fromNumbers('float32', [1, 1, 2, 2], [5, 5, 5, 5]);
    const dy = fromNumbers('float32', [1, 1, 1, 1], [3]);
    const [dx] = maxPoolGradKernel([x, dy], { kernel_shape: [2, 2] }, at('MaxPoolGrad'));
    expect(Array.from((dx as TensorData).data as Float32Array)).toEqual([3, 0, 0, 0]);
  });
});
