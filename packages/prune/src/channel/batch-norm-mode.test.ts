// Training-mode BatchNormalization normalizes with batch statistics (per-channel output mean β
// and biased standard deviation |γ| over the batch, whatever the stored running statistics);
// switching back to eval restores the running-statistics forward exactly.
import { eliminateDeadCode, shapeSize, toNumberArray } from '@efficientdl/ir';
import { GraphModule } from '@efficientdl/nn';
import { type Tensor, noGrad } from '@efficientdl/tensor';
import { describe, expect, it } from 'vitest';
import { randomInput, runModel } from '../__fixtures__/graph-builder.js';
import { setSlices, smallCnnModule } from '../__fixtures__/small-cnn.js';
import { withBatchNormMode } from './batch-norm-mode.js';

describe('withBatchNormMode', () => {
  it('uses batch statistics in train mode and running statistics again in eval mode', () => {
    const model = smallCnnModule();
    const all = [0, 1, 2, 3, 4, 5, 6, 7];
    setSlices(model, 'features.1.running_mean', 0, all, 5); // stale statistics
    setSlices(model, 'features.1.weight', 0, all, 2);
    setSlices(model, 'features.1.bias', 0, all, 0.3);
    const training = withBatchNormMode(model, 'train');
    const node = training.graph.nodes.find((entry) => entry.op === 'BatchNormalization');
    expect(node?.attrs.training_mode).toBe(1);
    expect(node?.outputs).toHaveLength(3);
    const input = randomInput([6, 1, 12, 12], 3);
    const probe = GraphModule.fromGraph(eliminateDeadCode({ ...training.toGraph(), outputs: [{ name: node?.outputs[0] as string, dtype: 'float32', shape: [] }] }));
    const output = noGrad(() => probe.run([input])[0] as Tensor);
    const values = toNumberArray(output.data);
    const inner = shapeSize(output.shape.slice(2));
    for (const channel of all) {
      const entries = Array.from(values).filter((_, flat) => Math.floor(flat / inner) % 8 === channel);
      const mean = entries.reduce((total, value) => total + value, 0) / entries.length;
      const std = Math.sqrt(entries.reduce((total, value) => total + (value - mean) ** 2, 0) / entries.length);
      expect(mean).toBeCloseTo(0.3, 4);
      expect(std).toBeCloseTo(2, 2);
    }
    const back = withBatchNormMode(training, 'eval');
    expect(back.graph.nodes.find((entry) => entry.op === 'BatchNormalization')?.outputs).toHaveLength(1);
    expect(Array.from(runModel(back, input))).toEqual(Array.from(runModel(model, input)));
    expect(Array.from(runModel(training, input))).not.toEqual(Array.from(runModel(model, input)));
  });
});
