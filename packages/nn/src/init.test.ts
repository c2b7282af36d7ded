// Initialisation: PyTorch-default bounds (kaiming-uniform a = √5 → ±1/√fanIn) and reproducibility.
import { Generator } from '@efficientdl/tensor';
import { describe, expect, it } from 'vitest';
import { biasUniform, fanIn, kaimingUniform } from './init.js';
import { Conv2d } from './layers/conv2d.js';
import { Linear } from './layers/linear.js';

describe('init', () => {
  it('computes fan-in of linear and conv weights', () => {
    expect(fanIn([10, 20])).toBe(20);
    expect(fanIn([16, 3, 5, 5])).toBe(75);
  });

  it('kaiming-uniform with a = √5 stays within ±1/√fanIn and has variance bound²/3', () => {
    const weights = kaimingUniform([256, 64], { generator: new Generator(3) }).values as Float32Array;
    const bound = 1 / Math.sqrt(64);
    let sum = 0;
    let squares = 0;
    for (const value of weights) {
      expect(Math.abs(value)).toBeLessThanOrEqual(bound);
      sum += value;
      squares += value * value;
    }
    const mean = sum / weights.length;
    expect(Math.abs(mean)).toBeLessThan(0.01 * bound * 10);
    expect(squares / weights.length).toBeCloseTo((bound * bound) / 3, 4);
    const bias = biasUniform(1000, 64, { generator: new Generator(4) }).values as Float32Array;
    expect(Math.max(...bias.map(Math.abs))).toBeLessThanOrEqual(bound);
  });

  it('the same generator seed gives the same layers; another seed differs', () => {
    const a = new Conv2d({ inChannels: 3, outChannels: 4, kernelSize: 3, generator: new Generator(9) });
    const b = new Conv2d({ inChannels: 3, outChannels: 4, kernelSize: 3, generator: new Generator(9) });
    const c = new Conv2d({ inChannels: 3, outChannels: 4, kernelSize: 3, generator: new Generator(10) });
    expect(a.stateDict()).toEqual(b.stateDict());
    expect(a.stateDict()).not.toEqual(c.stateDict());
    const linear = new Linear({ inFeatures: 5, outFeatures: 2, bias: false });
    expect(linear.bias).toBeUndefined();
    expect(linear.weight.shape).toEqual([2, 5]);
  });
});
