// Traces the Fashion-MNIST CNN (eval mode) and checks the IR cost model against a hand count
// of its parameters, MACs and peak activation memory.
import { analyzeCost, formatCostTable } from '@efficientdl/ir';
import { trace, zeros } from '@efficientdl/tensor';
import { describe, expect, it } from 'vitest';
import { FashionCnn } from './model.js';

describe('FashionCnn cost table', () => {
  const model = new FashionCnn({ seed: 0 });
  model.eval();
  const graph = trace(model, [zeros([1, 1, 28, 28])], { inputNames: ['pixels'], outputNames: ['logits'] });
  const report = analyzeCost(graph);

  it('keeps the dotted parameter names as initializer names', () => {
    for (const name of ['features.0.weight', 'features.0.bias', 'features.1.running_mean', 'features.4.weight', 'classifier.1.weight']) {
      expect([...graph.initializers.keys()]).toContain(name);
    }
  });

  it('matches a hand count of parameters', () => {
    const conv1 = 16 * 1 * 3 * 3 + 16; // 160
    const batchNorm1 = 4 * 16; // weight, bias, running mean, running var: 64
    const conv2 = 32 * 16 * 3 * 3 + 32; // 4640
    const batchNorm2 = 4 * 32; // 128
    const linear = 10 * 32 * 7 * 7 + 10; // 15690
    const normalizationScalars = 2; // the pixel mean and std constants
    expect(report.params).toBe(conv1 + batchNorm1 + conv2 + batchNorm2 + linear + normalizationScalars);
    expect(report.params).toBe(20684);
  });

  it('matches a hand count of MACs at batch 1', () => {
    const conv1 = 28 * 28 * 16 * (1 * 3 * 3); // 112,896
    const conv2 = 14 * 14 * 32 * (16 * 3 * 3); // 903,168
    const linear = 32 * 7 * 7 * 10; // 15,680
    expect(report.macs).toBe(conv1 + conv2 + linear);
    const convNodes = report.nodes.filter((node) => node.op === 'Conv').map((node) => node.macs);
    expect(convNodes).toEqual([conv1, conv2]);
  });

  it('finds the peak activation memory where conv1 output and BatchNorm output coexist', () => {
    const conv1Output = 16 * 28 * 28 * 4; // float32 bytes
    expect(report.peakActivationBytes).toBe(2 * conv1Output);
    expect(formatCostTable(report)).toContain('Conv');
  });
});
