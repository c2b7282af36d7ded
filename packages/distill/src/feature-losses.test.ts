// Tests for attentionTransferLoss (hand computation, identity = 0) and featureDistillationLoss.
import { ShapeError } from '@efficientdl/ir';
import { F, Generator, randn } from '@efficientdl/tensor';
import { describe, expect, it } from 'vitest';
import { attentionMap, attentionTransferLoss } from './attention-transfer.js';
import { createFeatureAdapter, featureDistillationLoss } from './feature-distillation.js';

describe('attentionTransferLoss', () => {
  it('is 0 for identical features', () => {
    const feature = randn([2, 3, 4, 4], { generator: new Generator(1) });
    expect(attentionTransferLoss(feature, feature).item()).toBeLessThan(1e-10);
  });

  it('matches a hand computation (p = 2)', () => {
    // student (1, 2, 1, 2): channel 0 = [1, −2], channel 1 = [3, 0]
    //   mean_c |A|² = [(1 + 9)/2, (4 + 0)/2] = [5, 2]; / √29 → [0.928477, 0.371391]
    // teacher (1, 1, 1, 2): [1, 1] → [1, 1] / √2 → [0.707107, 0.707107]
    // loss = ((0.928477 − 0.707107)² + (0.371391 − 0.707107)²) / 2 = (0.049005 + 0.112705) / 2 = 0.080855
    const student = F.tensor([1, -2, 3, 0], [1, 2, 1, 2]);
    const teacher = F.tensor([1, 1], [1, 1, 1, 2]);
    const expected = ((5 / Math.sqrt(29) - Math.SQRT1_2) ** 2 + (2 / Math.sqrt(29) - Math.SQRT1_2) ** 2) / 2;
    expect(expected).toBeCloseTo(0.080855, 5);
    expect(attentionTransferLoss(student, teacher).item()).toBeCloseTo(expected, 6);
  });

  it('uses mean |A|^p for other p and normalizes each sample', () => {
    // p = 1: [(1 + 3)/2, (2 + 0)/2] = [2, 1] → [2, 1] / √5
    const map = attentionMap(F.tensor([1, -2, 3, 0], [1, 2, 1, 2]), { p: 1 });
    expect(map.toArray()[0]).toBeCloseTo(2 / Math.sqrt(5), 6);
    expect(map.toArray()[1]).toBeCloseTo(1 / Math.sqrt(5), 6);
  });

  it('rejects different spatial sizes', () => {
    expect(() => attentionTransferLoss(F.zeros([1, 2, 2, 2]), F.zeros([1, 2, 3, 3]))).toThrow(ShapeError);
  });
});

describe('featureDistillationLoss', () => {
  it('is the MSE of the features without an adapter', () => {
    const student = F.tensor([1, 2, 3, 4], [1, 1, 2, 2]);
    const teacher = F.tensor([1, 0, 3, 0], [1, 1, 2, 2]);
    // ((2 − 0)² + (4 − 0)²) / 4 = 5
    expect(featureDistillationLoss(student, teacher).item()).toBeCloseTo(5, 6);
  });

  it('maps channels with a 1×1 adapter that gets gradients, the teacher none', () => {
    const generator = new Generator(2);
    const adapter = createFeatureAdapter({ studentChannels: 2, teacherChannels: 5, generator });
    const student = randn([2, 2, 3, 3], { generator }).requireGrad();
    const teacher = randn([2, 5, 3, 3], { generator }).requireGrad();
    featureDistillationLoss(student, teacher, adapter).backward();
    expect(adapter.weight.shape).toEqual([5, 2, 1, 1]);
    expect(adapter.weight.grad).toBeDefined();
    expect(student.grad).toBeDefined();
    expect(teacher.grad).toBeUndefined();
    expect(() => featureDistillationLoss(student, teacher)).toThrow(ShapeError);
  });
});
