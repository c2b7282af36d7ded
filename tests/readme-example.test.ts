// The README's "A taste" example, kept runnable: one training step of a small CNN.
import { Adam, BatchNorm2d, Conv2d, Flatten, Linear, MaxPool2d, ReLU, Sequential, crossEntropy } from '@efficientdl/nn';
import { Generator, randn, tensor } from '@efficientdl/tensor';
import { describe, expect, it } from 'vitest';

describe('README example', () => {
  it('runs one optimizer step that lowers the loss on the same batch', () => {
    const generator = new Generator(0);
    const model = new Sequential(
      new Conv2d({ inChannels: 1, outChannels: 16, kernelSize: 3, padding: 1, generator }),
      new BatchNorm2d({ numFeatures: 16 }),
      new ReLU(),
      new MaxPool2d({ kernelSize: 2 }),
      new Flatten(),
      new Linear({ inFeatures: 16 * 14 * 14, outFeatures: 10, generator }),
    );
    const optimizer = new Adam(model.parameters(), { lr: 1e-3 });
    const images = randn([8, 1, 28, 28], { generator }); // x: (N, C, H, W)
    const labels = tensor([0, 1, 2, 3, 4, 5, 6, 7], [8], 'int64');
    const loss = crossEntropy(model.call(images), labels);
    loss.backward();
    optimizer.step();
    const after = crossEntropy(model.call(images), labels);
    expect(after.item()).toBeLessThan(loss.item());
  });
});
