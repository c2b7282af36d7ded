// SparsityMasks during fine-tuning: gradients flow to the kept weights through the masked model
// (equal to finite differences), attach() keeps pruned weights at zero across AdamW steps while
// the kept ones train and the loss falls, reapply / maskGradients / measure, detach, and typed
// errors for a model without the masked parameters.
import { ConfigError } from '@efficientdl/ir';
import { AdamW, Linear, crossEntropy } from '@efficientdl/nn';
import { type Tensor, noGrad } from '@efficientdl/tensor';
import { describe, expect, it } from 'vitest';
import { TinyCnn, tinyBatch } from './__fixtures__/tiny-cnn.js';
import { pruneSparse } from './prune-sparse.js';
import { formatSparsityReport } from './sparsity-report.js';

function weightOf(model: TinyCnn, name: string): Tensor {
  return new Map(model.namedParameters()).get(name) as Tensor;
}

function lossOf(model: TinyCnn, batch: ReturnType<typeof tinyBatch>): Tensor {
  return crossEntropy(model.call(batch.inputs), batch.targets);
}

describe('SparsityMasks', () => {
  it('gradients of kept weights match finite differences on the pruned model', () => {
    const model = new TinyCnn(11).eval();
    pruneSparse(model, { granularity: 'element', ratio: 0.6 });
    const batch = tinyBatch(4, 5);
    model.zeroGrad();
    lossOf(model, batch).backward();
    const head = weightOf(model, 'head.weight');
    const values = head.values as Float32Array;
    const gradient = (head.grad as Tensor).values as Float32Array;
    const kept = [...values.keys()].filter((index) => values[index] !== 0).slice(0, 6);
    for (const index of kept) {
      const original = values[index] as number;
      const step = 1e-2;
      values[index] = original + step;
      const plus = noGrad(() => lossOf(model, batch).item());
      values[index] = original - step;
      const minus = noGrad(() => lossOf(model, batch).item());
      values[index] = original;
      expect(gradient[index]).toBeCloseTo((plus - minus) / (2 * step), 3);
    }
    expect(kept.some((index) => gradient[index] !== 0)).toBe(true);
  });

  it('attach(): pruned weights stay zero over AdamW steps, kept ones train, the loss falls', () => {
    const model = new TinyCnn(12);
    const result = pruneSparse(model, { granularity: '2:4' });
    const optimizer = new AdamW(model.parameters(), { lr: 1e-2, weightDecay: 1e-2 });
    const detach = result.attach(optimizer, model);
    const batch = tinyBatch(16, 6);
    const keptBefore = (weightOf(model, 'head.weight').values as Float32Array).slice();
    const first = lossOf(model, batch).item();
    for (let step = 0; step < 15; step++) {
      optimizer.zeroGrad();
      lossOf(model, batch).backward();
      optimizer.step();
    }
    expect(lossOf(model, batch).item()).toBeLessThan(first);
    const mask = result.masks.get('head.weight')?.data as Uint8Array;
    const head = weightOf(model, 'head.weight').values as Float32Array;
    head.forEach((value, index) => {
      if (!mask[index]) expect(value).toBe(0);
    });
    expect(head.some((value, index) => mask[index] === 1 && value !== keptBefore[index])).toBe(true);
    expect(result.measure(model).layers.map((layer) => layer.sparsity)).toEqual(result.report.layers.map((layer) => layer.sparsity));
    detach();
    optimizer.zeroGrad();
    lossOf(model, batch).backward();
    optimizer.step(); // without the masks, weight decay and Adam move pruned weights again
    expect(result.measure(model).zeros).toBeLessThan(result.report.zeros);
  });

  it('reapply() re-zeroes pruned weights, maskGradients() their gradients', () => {
    const model = new TinyCnn(13);
    const result = pruneSparse(model, { granularity: 'element', ratio: 0.5 });
    const head = weightOf(model, 'head.weight');
    (head.values as Float32Array).fill(1);
    expect(result.measure(model).layers[2]?.zeros).toBe(0);
    result.reapply(model);
    expect(result.measure(model).layers[2]?.zeros).toBe(320);
    model.zeroGrad();
    lossOf(model, tinyBatch(4, 7)).backward();
    result.maskGradients(model);
    const mask = result.masks.get('head.weight')?.data as Uint8Array;
    ((head.grad as Tensor).values as Float32Array).forEach((value, index) => {
      if (!mask[index]) expect(value).toBe(0);
    });
    expect(formatSparsityReport(result.measure(model))).toMatch(/head\.weight\s+\(5, 128\)\s+640\s+320\s+50\.0%/);
  });

  it('names a parameter the model does not have', () => {
    const result = pruneSparse(new TinyCnn(14), { granularity: 'element', ratio: 0.5 });
    expect(() => result.reapply(new Linear({ inFeatures: 2, outFeatures: 2 }))).toThrow(ConfigError);
    expect(() => result.reapply(new Linear({ inFeatures: 2, outFeatures: 2 }))).toThrow(/no parameter 'features\.0\.weight'/);
  });
});
