// attachGradualSparsity: the cubic ramp by hand, monotone masks (weights pruned once stay
// pruned), the final ratio reached at endStep and kept afterwards, and ConfigErrors for N:M and
// bad step ranges.
import { ConfigError } from '@efficientdl/ir';
import { AdamW, crossEntropy } from '@efficientdl/nn';
import type { Tensor } from '@efficientdl/tensor';
import { describe, expect, it } from 'vitest';
import { TinyCnn, tinyBatch } from './__fixtures__/tiny-cnn.js';
import { attachGradualSparsity, gradualRatio } from './gradual-sparsity.js';

describe('attachGradualSparsity', () => {
  it('follows r · (1 − (1 − t)³)', () => {
    expect(gradualRatio({ finalRatio: 0.8, startStep: 10, endStep: 20, step: 5 })).toBe(0);
    expect(gradualRatio({ finalRatio: 0.8, startStep: 10, endStep: 20, step: 15 })).toBeCloseTo(0.8 * (1 - 0.5 ** 3), 12);
    expect(gradualRatio({ finalRatio: 0.8, startStep: 10, endStep: 20, step: 25 })).toBeCloseTo(0.8, 12);
  });

  it('ramps the sparsity up monotonically to the final ratio and keeps it', () => {
    const model = new TinyCnn(31);
    const optimizer = new AdamW(model.parameters(), { lr: 1e-2 });
    const gradual = attachGradualSparsity(model, optimizer, { config: { granularity: 'element', ratio: 0.75, scope: 'global' }, startStep: 2, endStep: 10, frequency: 3 });
    const batch = tinyBatch(8, 3);
    const head = () => (new Map(model.namedParameters()).get('head.weight') as Tensor).values as Float32Array;
    let previousZeros = new Set<number>();
    const sparsities: number[] = [];
    for (let step = 0; step < 14; step++) {
      optimizer.zeroGrad();
      crossEntropy(model.call(batch.inputs), batch.targets).backward();
      optimizer.step();
      const zeros = new Set([...head().keys()].filter((index) => head()[index] === 0));
      for (const index of previousZeros) expect(zeros.has(index)).toBe(true);
      previousZeros = zeros;
      sparsities.push(gradual.masks?.measure(model).sparsity ?? 0);
    }
    expect(sparsities.slice(0, 2)).toEqual([0, 0]);
    for (let step = 1; step < sparsities.length; step++) expect(sparsities[step]).toBeGreaterThanOrEqual(sparsities[step - 1] as number);
    expect(gradual.ratio).toBeCloseTo(0.75, 12);
    expect(sparsities[13]).toBeCloseTo(0.75, 3);
    gradual.detach();
  });

  it('rejects n:m granularities and bad step ranges', () => {
    const model = new TinyCnn(32);
    const optimizer = new AdamW(model.parameters(), { lr: 1e-2 });
    expect(() => attachGradualSparsity(model, optimizer, { config: { granularity: '2:4' }, endStep: 10 })).toThrow(ConfigError);
    expect(() => attachGradualSparsity(model, optimizer, { config: { granularity: 'element', ratio: 0.5 }, startStep: 5, endStep: 2 })).toThrow(/startStep <= endStep/);
    expect(() => attachGradualSparsity(model, optimizer, { config: { granularity: 'element', ratio: 1.5 }, endStep: 2 })).toThrow(/ratio/);
  });
});
