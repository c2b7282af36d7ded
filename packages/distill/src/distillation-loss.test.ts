// Tests for distillationLoss: a hand-computed 2×3 example, the α = 1 and α = 0 limits, validation.
import { ConfigError, ShapeError } from '@efficientdl/ir';
import { crossEntropy } from '@efficientdl/nn';
import { F, Generator, randn } from '@efficientdl/tensor';
import { describe, expect, it } from 'vitest';
import { distillationLoss } from './distillation-loss.js';

describe('distillationLoss', () => {
  it('matches a hand computation on a 2×3 example (τ = 2, α = 0.5)', () => {
    // student S = [[2, 0, −2], [0, 2, 0]], teacher T = [[4, 0, 0], [0, 0, 2]], targets [0, 1].
    // Hard term: CE row 0 = −log softmax(2, 0, −2)[0] = log(1 + e⁻² + e⁻⁴) = 0.142932;
    //   row 1 = −log softmax(0, 2, 0)[1] = log(1 + 2e⁻²) = 0.239545; mean CE = 0.191238.
    // Soft term: S/τ = [[1, 0, −1], [0, 1, 0]], T/τ = [[2, 0, 0], [0, 0, 1]].
    //   row 0: p_s = (0.665241, 0.244728, 0.090031), p_t = (0.786986, 0.106507, 0.106507);
    //          KL = Σ p_t log(p_t / p_s) = 0.132220 − 0.088650 + 0.017916 = 0.061554.
    //   row 1: p_s = (0.211942, 0.576117, 0.211942), p_t = (0.211942, 0.211942, 0.576117);
    //          KL = 0 + 0.211942 · log(0.211942/0.576117) + 0.576117 · log(0.576117/0.211942)
    //             = −0.211942 + 0.576117 = 0.364175.
    //   batchmean KL = (0.061554 + 0.364175) / 2 = 0.212865.
    // Total = 0.5 · 0.191238 + 0.5 · 2² · 0.212865 = 0.095619 + 0.425730 = 0.521349.
    const student = F.tensor([2, 0, -2, 0, 2, 0], [2, 3]);
    const teacher = F.tensor([4, 0, 0, 0, 0, 2], [2, 3]);
    const loss = distillationLoss(student, teacher, [0, 1], { temperature: 2, alpha: 0.5 });
    expect(loss.shape).toEqual([]);
    expect(loss.item()).toBeCloseTo(0.5213486, 5);
  });

  it('equals crossEntropy exactly for α = 1', () => {
    const generator = new Generator(3);
    const student = randn([5, 4], { generator });
    const teacher = randn([5, 4], { generator });
    const targets = F.tensor([0, 3, 1, 2, 3], [5], 'int64');
    const loss = distillationLoss(student, teacher, targets, { alpha: 1 });
    expect(loss.item()).toBe(crossEntropy(student, targets).item());
  });

  it('is 0 for α = 0 when the teacher and student logits agree, positive otherwise', () => {
    const generator = new Generator(4);
    const logits = randn([3, 5], { generator });
    expect(Math.abs(distillationLoss(logits, logits, [0, 1, 2], { alpha: 0 }).item())).toBeLessThan(1e-6);
    const other = randn([3, 5], { generator });
    expect(distillationLoss(logits, other, [0, 1, 2], { alpha: 0 }).item()).toBeGreaterThan(1e-3);
  });

  it('sends gradients to the student logits only', () => {
    const student = F.tensor([1, 0, -1, 0.5, 0.5, 0], [2, 3]).requireGrad();
    const teacher = F.tensor([0, 1, 0, 2, 0, 0], [2, 3]).requireGrad();
    distillationLoss(student, teacher, [2, 0]).backward();
    expect(student.grad).toBeDefined();
    expect(teacher.grad).toBeUndefined();
  });

  it('rejects bad options and mismatched logits', () => {
    const logits = F.tensor([1, 2, 3, 4], [2, 2]);
    expect(() => distillationLoss(logits, logits, [0, 1], { temperature: 0 })).toThrow(ConfigError);
    expect(() => distillationLoss(logits, logits, [0, 1], { alpha: 1.5 })).toThrow(ConfigError);
    expect(() => distillationLoss(logits, F.tensor([1, 2, 3, 4], [1, 4]), [0, 1])).toThrow(ShapeError);
  });
});
