// The fused ai.efficientdl training ops against finite differences (gradcheck, float32 as the
// kernels are float32) and against the composite tensor-op math they replace: BatchNormTraining
// (Y, batch mean, biased variance) with its BatchNormTrainingGrad, and Relu's ReluGrad.
import { EFFICIENTDL_DOMAIN } from '@efficientdl/ir';
import { expectClose, gradcheck, gradcheckTensor } from '@efficientdl/test-utils';
import { describe, expect, it } from 'vitest';
import { runOp } from '../engine.js';
import * as F from '../functional.js';
import type { Tensor } from '../tensor.js';

const f32 = (shape: number[], seed: number, options: Parameters<typeof gradcheckTensor>[1] = {}) =>
  gradcheckTensor(shape, { seed, dtype: 'float32', ...options });

const batchNormTraining = (x: Tensor, scale: Tensor, bias: Tensor, epsilon = 1e-5) =>
  runOp('BatchNormTraining', [x, scale, bias], { epsilon }, { domain: EFFICIENTDL_DOMAIN, outputCount: 3 }) as [Tensor, Tensor, Tensor];

/** The composite math of nn's BatchNorm2d before fusion: tensor ops over axes (0, 2, 3). */
function compositeBatchNorm(x: Tensor, scale: Tensor, bias: Tensor, epsilon: number): Tensor {
  const axes = [0, 2, 3];
  const channels = [1, x.shape[1] as number, 1, 1];
  const mean = F.reduceMean(x, { axes, keepDims: true });
  const centered = F.sub(x, mean);
  const variance = F.reduceMean(F.mul(centered, centered), { axes, keepDims: true });
  const gain = F.mul(F.reciprocal(F.sqrt(F.add(variance, epsilon))), F.reshape(scale, channels));
  return F.add(F.mul(centered, gain), F.reshape(bias, channels));
}

/** Gradients of Σ Y·weights with respect to `inputs` (fresh leaves). */
function gradientsOf(fn: (...inputs: Tensor[]) => Tensor, inputs: Tensor[], weights: Tensor): Tensor[] {
  const leaves = inputs.map((input) => F.identity(input).detach().requireGrad(true));
  F.reduceSum(F.mul(fn(...leaves), weights)).backward();
  return leaves.map((leaf) => leaf.grad as Tensor);
}

describe('BatchNormTraining gradient', () => {
  it('matches finite differences for X, scale and B', () => {
    const inputs = [f32([3, 2, 2, 3], 1), f32([2], 2, { low: 0.5, high: 1.5 }), f32([2], 3)];
    gradcheck((x, scale, bias) => batchNormTraining(x, scale, bias, 1e-3)[0], inputs);
  });

  it('also carries the batch_mean and batch_var outputs to X', () => {
    const inputs = [f32([2, 3, 2, 2], 4), f32([3], 5, { low: 0.5, high: 1.5 }), f32([3], 6)];
    gradcheck((x, scale, bias) => batchNormTraining(x, scale, bias, 1e-3), inputs);
  });

  it('equals the composite tensor-op batch norm, forward and backward', () => {
    const [x, scale, bias, weights] = [f32([4, 3, 5, 5], 7, { low: -2, high: 3 }), f32([3], 8), f32([3], 9), f32([4, 3, 5, 5], 10)] as Tensor[];
    const fused = (a: Tensor, b: Tensor, c: Tensor) => batchNormTraining(a, b, c)[0];
    const composite = (a: Tensor, b: Tensor, c: Tensor) => compositeBatchNorm(a, b, c, 1e-5);
    const inputs = [x, scale, bias] as Tensor[];
    expectClose(fused(x as Tensor, scale as Tensor, bias as Tensor).data, composite(x as Tensor, scale as Tensor, bias as Tensor).data, { rtol: 1e-5, atol: 1e-5 });
    const expected = gradientsOf(composite, inputs, weights as Tensor);
    gradientsOf(fused, inputs, weights as Tensor).forEach((gradient, index) =>
      expectClose(gradient.data, (expected[index] as Tensor).data, { rtol: 1e-4, atol: 1e-4 }),
    );
  });

  it('returns the batch mean and the biased variance', () => {
    const x = F.tensor([1, 3, 2, 2, 5, 7, 2, 2], [2, 2, 1, 2]);
    const [, mean, variance] = batchNormTraining(x, F.ones([2]), F.zeros([2]));
    expect(Array.from(mean.values as Float32Array)).toEqual([4, 2]);
    expect(Array.from(variance.values as Float32Array)).toEqual([5, 0]);
  });
});

describe('Relu gradient through ReluGrad (float32)', () => {
  it('matches finite differences away from 0', () => {
    gradcheck((x) => F.relu(x), [f32([3, 4], 11, { awayFrom: [0] })]);
  });

  it('equals Where(Greater(X, 0), dY, 0) exactly, zeros and negatives included', () => {
    const x = F.tensor([-2, -0, 0, 1e-30, 3, -1e-30], [6]);
    const weights = F.tensor([1, 2, 3, 4, 5, 6], [6]);
    const [fused] = gradientsOf((input) => F.relu(input), [x], weights) as [Tensor];
    const composite = F.where(F.greater(x, 0), weights, F.zeros([6]));
    expect(Array.from(fused.values as Float32Array)).toEqual(Array.from(composite.values as Float32Array));
  });
});
