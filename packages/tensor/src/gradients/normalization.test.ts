// Gradchecks (float64 where the kernels allow) of BatchNormalization (inference: grads for X,
// scale, B, mean, var; training_mode), LayerNormalization, GroupNormalization, InstanceNormalization.
import { gradcheck, gradcheckTensor } from '@efficientdl/test-utils';
import { describe, it } from 'vitest';
import { runOp, runUnary } from '../engine.js';

const input = (shape: number[], seed: number, options: Parameters<typeof gradcheckTensor>[1] = {}) =>
  gradcheckTensor(shape, { seed, ...options });

describe('BatchNormalization gradient', () => {
  it('inference mode: X, scale, B, mean and var', () => {
    const inputs = [input([2, 3, 2, 2], 1), input([3], 2), input([3], 3), input([3], 4), input([3], 5, { low: 0.5, high: 1.5 })];
    gradcheck((x, scale, bias, mean, variance) => runUnary('BatchNormalization', [x, scale, bias, mean, variance], { epsilon: 1e-3 }), inputs);
  });

  it('training mode: batch statistics', () => {
    const inputs = [input([3, 2, 2, 2], 6), input([2], 7), input([2], 8), input([2], 9), input([2], 10, { low: 0.5, high: 1.5 })];
    gradcheck(
      (x, scale, bias, mean, variance) => runOp('BatchNormalization', [x, scale, bias, mean, variance], { training_mode: 1 }, { outputCount: 3 })[0] as typeof x,
      inputs,
      { inputsToCheck: [0, 1, 2] },
    );
  });
});

describe('LayerNormalization gradient', () => {
  it('last axis', () => {
    gradcheck((x, scale, bias) => runUnary('LayerNormalization', [x, scale, bias]), [input([2, 3, 4], 11), input([4], 12), input([4], 13)]);
  });

  it('axis 1 with full-rank scale and no bias', () => {
    gradcheck((x, scale) => runUnary('LayerNormalization', [x, scale], { axis: 1, epsilon: 1e-3 }), [input([2, 3, 2], 14), input([3, 2], 15)]);
  });
});

describe('LayerNormalization optional outputs', () => {
  it('Mean and InvStdDev outputs also carry gradient to X', () => {
    gradcheck(
      (x, scale) => runOp('LayerNormalization', [x, scale], { axis: -1 }, { outputCount: 3 }),
      [input([3, 4], 22), input([4], 23)],
      // Mean and InvStdDev are float32 (stash_type 1): a larger step keeps their rounding small.
      { eps: 1e-3, rtol: 1e-3, atol: 1e-4 },
    );
  });
});

describe('GroupNormalization gradient', () => {
  it('two groups, per-channel scale and bias', () => {
    gradcheck(
      (x, scale, bias) => runUnary('GroupNormalization', [x, scale, bias], { num_groups: 2 }),
      [input([2, 4, 2, 2], 16), input([4], 17), input([4], 18)],
    );
  });
});

describe('InstanceNormalization gradient', () => {
  it('per-(N, C) statistics', () => {
    gradcheck((x, scale, bias) => runUnary('InstanceNormalization', [x, scale, bias]), [input([2, 3, 2, 3], 19), input([3], 20), input([3], 21)]);
  });
});
