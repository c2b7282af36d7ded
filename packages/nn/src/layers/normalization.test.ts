// LayerNorm and GroupNorm against naive mean/variance formulas.
import { ConfigError, fromNumbers } from '@efficientdl/ir';
import { Tensor } from '@efficientdl/tensor';
import { expectClose } from '@efficientdl/test-utils';
import { describe, expect, it } from 'vitest';
import { pseudoRandom } from '../__fixtures__/gradient-check.js';
import { GroupNorm } from './group-norm.js';
import { LayerNorm } from './layer-norm.js';

/** Normalizes consecutive blocks of `blockSize` values, then applies scale/shift(position). */
function normalizeBlocks(values: number[], blockSize: number, eps: number, affine: (index: number, value: number) => number): number[] {
  const out: number[] = [];
  for (let start = 0; start < values.length; start += blockSize) {
    const block = values.slice(start, start + blockSize);
    const mean = block.reduce((sum, value) => sum + value, 0) / blockSize;
    const variance = block.reduce((sum, value) => sum + (value - mean) ** 2, 0) / blockSize;
    block.forEach((value, offset) => out.push(affine(start + offset, (value - mean) / Math.sqrt(variance + eps))));
  }
  return out;
}

describe('LayerNorm', () => {
  it('normalizes over the trailing normalizedShape and applies weight and bias', () => {
    const values = pseudoRandom(24, 31).map((value) => value * 3 + 1);
    const layer = new LayerNorm({ normalizedShape: [3, 4] });
    const weight = pseudoRandom(12, 32);
    const bias = pseudoRandom(12, 33);
    (layer.getParameter('weight')?.values as Float32Array).set(weight);
    (layer.getParameter('bias')?.values as Float32Array).set(bias);
    const y = layer.call(new Tensor(fromNumbers('float32', [2, 3, 4], values)));
    const expected = normalizeBlocks(values, 12, 1e-5, (index, value) => value * (weight[index % 12] as number) + (bias[index % 12] as number));
    expectClose(y.values as Float32Array, expected, { rtol: 1e-4, atol: 1e-5 });
    expect(() => layer.call(new Tensor(fromNumbers('float32', [2, 4, 3], values)))).toThrow(/normalizedShape/);
  });

  it('without affine parameters is a plain normalization over the last axis', () => {
    const values = pseudoRandom(10, 34);
    const layer = new LayerNorm({ normalizedShape: 5, elementwiseAffine: false });
    expect([...layer.parameters()]).toHaveLength(0);
    const y = layer.call(new Tensor(fromNumbers('float32', [2, 5], values)));
    expectClose(y.values as Float32Array, normalizeBlocks(values, 5, 1e-5, (_, value) => value), { rtol: 1e-4, atol: 1e-5 });
  });
});

describe('GroupNorm', () => {
  it('normalizes each group of channels with per-channel weight and bias', () => {
    // x: (N, C, H, W) = (2, 4, 2, 3), 2 groups of 2 channels → blocks of 12
    const values = pseudoRandom(48, 35).map((value, index) => value + (index % 24 < 12 ? 2 : -1));
    const layer = new GroupNorm({ numGroups: 2, numChannels: 4 });
    (layer.getParameter('weight')?.values as Float32Array).set([1, 2, 3, 4]);
    (layer.getParameter('bias')?.values as Float32Array).set([0, 0.5, -0.5, 1]);
    const y = layer.call(new Tensor(fromNumbers('float32', [2, 4, 2, 3], values)));
    const expected = normalizeBlocks(values, 12, 1e-5, (index, value) => {
      const channel = Math.floor(index / 6) % 4;
      return value * [1, 2, 3, 4][channel]! + [0, 0.5, -0.5, 1][channel]!;
    });
    expectClose(y.values as Float32Array, expected, { rtol: 1e-4, atol: 1e-5 });
    expect(() => new GroupNorm({ numGroups: 3, numChannels: 4 })).toThrow(ConfigError);
  });
});
