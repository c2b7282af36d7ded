// crossEntropy, mseLoss and klDivergence against naive formulas (log-sum-exp, PyTorch's label
// smoothing definition, KLDivLoss reductions) and their gradients (softmax − target, finite differences).
import { ConfigError, ShapeError, fromNumbers } from '@efficientdl/ir';
import { F, Tensor } from '@efficientdl/tensor';
import { expectClose } from '@efficientdl/test-utils';
import { describe, expect, it } from 'vitest';
import { checkGradients, pseudoRandom } from '../__fixtures__/gradient-check.js';
import { crossEntropy } from './cross-entropy.js';
import { klDivergence } from './kl-divergence.js';
import { mseLoss } from './mse-loss.js';

// logits: (N, C) = (4, 3)
const logitValues = pseudoRandom(12, 61).map((value) => value * 3);
const logits = () => new Tensor(fromNumbers('float32', [4, 3], logitValues));
const targets = [2, 0, 1, 2];

function logSoftmaxRow(row: number[]): number[] {
  const max = Math.max(...row);
  const logSum = Math.log(row.reduce((sum, value) => sum + Math.exp(value - max), 0)) + max;
  return row.map((value) => value - logSum);
}

const rows = [0, 1, 2, 3].map((row) => logSoftmaxRow(logitValues.slice(row * 3, row * 3 + 3)));

describe('crossEntropy', () => {
  it('is the mean negative log-likelihood of the target classes', () => {
    const expected = -rows.reduce((sum, row, index) => sum + (row[targets[index] as number] as number), 0) / 4;
    expect(crossEntropy(logits(), new Tensor(fromNumbers('int64', [4], targets))).item()).toBeCloseTo(expected, 5);
    expect(crossEntropy(logits(), targets, { reduction: 'sum' }).item()).toBeCloseTo(expected * 4, 4);
    const none = crossEntropy(logits(), targets, { reduction: 'none' });
    expect(none.shape).toEqual([4]);
    expectClose(none.values as Float32Array, rows.map((row, index) => -(row[targets[index] as number] as number)), { rtol: 1e-5 });
  });

  it('label smoothing: (1 − ε)·nll + ε·mean over classes of −log p', () => {
    const epsilon = 0.1;
    const expected =
      rows.reduce((sum, row, index) => sum + (1 - epsilon) * -(row[targets[index] as number] as number) + (epsilon * -row.reduce((a, b) => a + b, 0)) / 3, 0) / 4;
    expect(crossEntropy(logits(), targets, { labelSmoothing: epsilon }).item()).toBeCloseTo(expected, 5);
  });

  it('accepts class-probability targets and spatial (N, C, d) logits', () => {
    const probabilities = [0.2, 0.3, 0.5, 1, 0, 0, 0.1, 0.8, 0.1, 0, 0, 1];
    const expected = -rows.reduce((sum, row, index) => sum + row.reduce((s, value, c) => s + value * (probabilities[index * 3 + c] as number), 0), 0) / 4;
    expect(crossEntropy(logits(), new Tensor(fromNumbers('float32', [4, 3], probabilities))).item()).toBeCloseTo(expected, 5);
    // (N, C, d) = (1, 3, 4): the same four rows laid out spatially
    const spatial = new Tensor(fromNumbers('float32', [1, 3, 4], [0, 1, 2].flatMap((c) => [0, 1, 2, 3].map((row) => logitValues[row * 3 + c] as number))));
    const plain = crossEntropy(logits(), targets).item();
    expect(crossEntropy(spatial, new Tensor(fromNumbers('int64', [1, 4], targets))).item()).toBeCloseTo(plain, 5);
  });

  it('gradient is (softmax − onehot) / N', () => {
    const input = logits().requireGrad();
    crossEntropy(input, targets).backward();
    const expected = rows.flatMap((row, index) => row.map((value, c) => (Math.exp(value) - (c === targets[index] ? 1 : 0)) / 4));
    expectClose(input.grad?.values as Float32Array, expected, { rtol: 1e-4, atol: 1e-6 });
  });

  it('rejects bad targets', () => {
    expect(() => crossEntropy(logits(), [0, 1, 3, 0])).toThrow(ConfigError);
    expect(() => crossEntropy(logits(), [0, 1])).toThrow(ShapeError);
    expect(() => crossEntropy(logits(), targets, { labelSmoothing: 1 })).toThrow(ConfigError);
  });
});

describe('mseLoss', () => {
  it('is the mean squared difference, with finite-difference gradients', () => {
    const a = new Tensor(fromNumbers('float32', [2, 3], pseudoRandom(6, 1)));
    const b = new Tensor(fromNumbers('float32', [2, 3], pseudoRandom(6, 2)));
    const expected = (a.toArray() as number[]).reduce((sum, value, index) => sum + (value - (b.toArray()[index] as number)) ** 2, 0) / 6;
    expect(mseLoss(a, b).item()).toBeCloseTo(expected, 6);
    expect(mseLoss(a, b, { reduction: 'sum' }).item()).toBeCloseTo(expected * 6, 5);
    checkGradients(() => mseLoss(a, b), [a, b]);
    expect(() => mseLoss(a, F.zeros([3, 2]))).toThrow(ShapeError);
  });
});

describe('klDivergence', () => {
  const p = [0.1, 0.6, 0.3, 0, 0.5, 0.5];
  const q = [0.2, 0.5, 0.3, 0.3, 0.3, 0.4];
  const input = () => new Tensor(fromNumbers('float32', [2, 3], q.map(Math.log)));
  const target = () => new Tensor(fromNumbers('float32', [2, 3], p));
  const pointwise = p.map((value, index) => (value === 0 ? 0 : value * (Math.log(value) - Math.log(q[index] as number))));
  const sum = pointwise.reduce((a, b) => a + b, 0);

  it("'batchmean' is Σ t·(log t − input) / N, with 0·log 0 = 0", () => {
    expect(klDivergence(input(), target()).item()).toBeCloseTo(sum / 2, 6);
    expect(klDivergence(input(), target(), { reduction: 'sum' }).item()).toBeCloseTo(sum, 6);
    expect(klDivergence(input(), target(), { reduction: 'mean' }).item()).toBeCloseTo(sum / 6, 6);
    expectClose(klDivergence(input(), target(), { reduction: 'none' }).values as Float32Array, pointwise, { rtol: 1e-5, atol: 1e-7 });
  });

  it('log targets give the same value; the input gradient is −t / N', () => {
    const logTarget = new Tensor(fromNumbers('float32', [2, 3], p.map((value) => Math.log(Math.max(value, 1e-30)))));
    expect(klDivergence(input(), logTarget, { logTarget: true }).item()).toBeCloseTo(sum / 2, 5);
    const x = input().requireGrad();
    klDivergence(x, target()).backward();
    expectClose(x.grad?.values as Float32Array, p.map((value) => -value / 2), { rtol: 1e-6, atol: 1e-7 });
  });
});
