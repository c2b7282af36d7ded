// Adaptive BN after pruning: once recalibrated on some batches, every BatchNormalization's
// output over those batches has per-channel mean = its shift β and standard deviation ≈ |γ|
// (the definition of batch normalization), computed here independently of the implementation.
import { type TensorData, eliminateDeadCode, shapeSize, toNumberArray } from '@efficientdl/ir';
import { GraphModule } from '@efficientdl/nn';
import { type Tensor, noGrad } from '@efficientdl/tensor';
import { describe, expect, it } from 'vitest';
import { randomInput } from '../__fixtures__/graph-builder.js';
import { smallCnnModule } from '../__fixtures__/small-cnn.js';
import { prune } from '../prune-model.js';
import { recalibrateBatchNorm } from './recalibrate-batch-norm.js';

function outputStatistics(model: GraphModule, value: string, batches: Tensor[][]): { mean: number[]; std: number[] } {
  const probe = GraphModule.fromGraph(eliminateDeadCode({ ...model.toGraph(), outputs: [{ name: value, dtype: 'float32', shape: [] }] }));
  const outputs: TensorData[] = noGrad(() => batches.map((inputs) => (probe.run(inputs)[0] as Tensor).data));
  const channels = outputs[0]?.shape[1] as number;
  const perChannel: number[][] = Array.from({ length: channels }, () => []);
  for (const output of outputs) {
    const values = toNumberArray(output);
    const inner = shapeSize(output.shape.slice(2));
    values.forEach((entry, flat) => perChannel[Math.floor(flat / inner) % channels]?.push(entry));
  }
  const mean = perChannel.map((list) => list.reduce((total, entry) => total + entry, 0) / list.length);
  const std = perChannel.map((list, channel) => Math.sqrt(list.reduce((total, entry) => total + (entry - (mean[channel] as number)) ** 2, 0) / (list.length - 1)));
  return { mean, std };
}

describe('recalibrateBatchNorm', () => {
  it('makes each BN output have mean β and std |γ| on the calibration batches', () => {
    const { model } = prune(smallCnnModule(), { ratio: 0.5 });
    const batches = [[randomInput([8, 1, 12, 12], 1)], [randomInput([8, 1, 12, 12], 2)]];
    expect(recalibrateBatchNorm(model, { batches })).toBe(2);
    const bnNodes = model.graph.nodes.filter((node) => node.op === 'BatchNormalization');
    for (const node of bnNodes) {
      const { mean, std } = outputStatistics(model, node.outputs[0] as string, batches);
      const gamma = toNumberArray((model.getParameter(node.inputs[1] as string) as Tensor).data);
      const beta = toNumberArray((model.getParameter(node.inputs[2] as string) as Tensor).data);
      mean.forEach((value, channel) => expect(value).toBeCloseTo(beta[channel] as number, 3));
      std.forEach((value, channel) => expect(value).toBeCloseTo(Math.abs(gamma[channel] as number), 2));
    }
  });
});
