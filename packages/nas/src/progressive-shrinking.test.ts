// Progressive shrinking on a tiny learnable task: phases run in order with the right step counts,
// each phase only varies the dimensions it opens, the supernet learns (largest and smallest
// subnets beat chance after training), and fineTune trains an extracted subnet further.
import { fromNumbers } from '@efficientdl/ir';
import { DataLoader, TensorDataset } from '@efficientdl/nn';
import { Generator, Tensor } from '@efficientdl/tensor';
import { describe, expect, it } from 'vitest';
import { TINY_SPACE } from './__fixtures__/tiny-space.js';
import { fineTune } from './fine-tune.js';
import { progressiveShrinkingPhases, trainProgressiveShrinking } from './progressive-shrinking.js';
import { type SubnetConfig, largestSubnet, maxOf, smallestSubnet } from './search-space.js';
import { batchAccuracy, measureSubnetAccuracy } from './subnet-accuracy.js';
import { MobileNetSupernet } from './supernet.js';

/** Class = which horizontal third of a noisy 12×12 image holds a bright bar. */
function barDataset(count: number, seed: number): TensorDataset {
  const rng = new Generator(seed);
  const side = TINY_SPACE.inputSize;
  const pixels: number[] = [];
  const labels: number[] = [];
  for (let index = 0; index < count; index++) {
    const label = rng.randomInt(3);
    labels.push(label);
    for (let row = 0; row < side; row++) {
      for (let column = 0; column < side; column++) pixels.push(Math.floor(row / 4) === label ? 0.6 + 0.4 * rng.random() : 0.4 * rng.random());
    }
  }
  return new TensorDataset(new Tensor(fromNumbers('float32', [count, 1, side, side], pixels)), new Tensor(fromNumbers('int64', [count], labels)));
}

/** Dimensions in which `config` differs from the largest subnet. */
function changedDimensions(config: SubnetConfig): Set<string> {
  const largest = largestSubnet(TINY_SPACE);
  const changed = new Set<string>();
  if (config.resolution !== largest.resolution) changed.add('resolution');
  if (config.width !== largest.width) changed.add('width');
  config.depths.forEach((depth, stage) => {
    if (depth !== largest.depths[stage]) changed.add('depth');
    for (let block = 0; block < depth; block++) {
      if (config.kernels[stage]?.[block] !== maxOf(TINY_SPACE.kernelSizes)) changed.add('kernel');
      if (config.expands[stage]?.[block] !== maxOf(TINY_SPACE.expandRatios)) changed.add('expand');
    }
  });
  return changed;
}

describe('trainProgressiveShrinking', () => {
  it('opens the elastic dimensions phase by phase and trains every subnet size', () => {
    const supernet = new MobileNetSupernet({ space: TINY_SPACE, seed: 1 });
    const train = barDataset(256, 2);
    const phases = progressiveShrinkingPhases({ epochScale: 2 }).map((phase) => ({ ...phase, lr: 1e-2 }));
    const seen = new Map<string, Set<string>>();
    const records = trainProgressiveShrinking({
      supernet,
      train,
      phases,
      batchSize: 32,
      onStep: (report) => {
        const dimensions = seen.get(report.phase) ?? new Set<string>();
        for (const dimension of changedDimensions(supernet.activeSubnet)) dimensions.add(dimension);
        seen.set(report.phase, dimensions);
      },
    });
    expect(records.map((record) => [record.phase, record.steps])).toEqual(phases.map((phase) => [phase.name, 16]));
    phases.forEach((phase) => {
      const dimensions = seen.get(phase.name) ?? new Set();
      for (const dimension of dimensions) expect(phase.elastic).toContain(dimension);
    });
    expect([...(seen.get('elastic expand + width') ?? [])].sort()).toEqual(['depth', 'expand', 'kernel', 'resolution', 'width']);
    const test = new DataLoader(barDataset(96, 3), { batchSize: 48 });
    const calibration = new DataLoader(train.slice(0, 64), { batchSize: 32 });
    for (const config of [largestSubnet(TINY_SPACE), smallestSubnet(TINY_SPACE)]) {
      expect(measureSubnetAccuracy(supernet, config, { calibration, validation: test })).toBeGreaterThan(0.6); // chance: 1/3
    }
  });

  it('fine-tunes an extracted subnet as an ordinary module', () => {
    const supernet = new MobileNetSupernet({ space: TINY_SPACE, seed: 4 });
    const subnet = supernet.extractSubnet(largestSubnet(TINY_SPACE));
    const test = new DataLoader(barDataset(96, 5), { batchSize: 48 });
    const before = batchAccuracy((inputs) => subnet.eval().call(inputs), test);
    const result = fineTune({ model: subnet, train: barDataset(256, 6), epochs: 6, batchSize: 32, lr: 3e-3 });
    expect(result.steps).toBe(48);
    expect(batchAccuracy((inputs) => subnet.call(inputs), test)).toBeGreaterThan(Math.max(0.7, before));
  });
});
