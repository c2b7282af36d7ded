// Supernet tests: weight sharing (a subnet's weights are slices / crop-transforms of the supernet's
// tensors, computed here by independent loops), extractSubnet equals the supernet with setActive
// on the same input, channel sorting leaves the largest network's function unchanged, BN
// re-calibration computes cumulative statistics.
import { ConfigError, fromNumbers } from '@efficientdl/ir';
import { Generator, Tensor, noGrad } from '@efficientdl/tensor';
import { expectClose } from '@efficientdl/test-utils';
import { describe, expect, it } from 'vitest';
import { MIXED_CONFIG, TINY_SPACE, randomPixels } from './__fixtures__/tiny-space.js';
import { l1PerIndex, sortChannelsByImportance } from './channel-sorting.js';
import { largestSubnet, smallestSubnet } from './search-space.js';
import { calibrateBatchNorm } from './subnet-accuracy.js';
import { MobileNetSupernet } from './supernet.js';

function tensorOf(module: { namedTensors(): Iterable<[string, Tensor]> }, name: string): Tensor {
  const found = new Map(module.namedTensors()).get(name);
  if (!found) throw new Error(`no tensor ${name}`);
  return found;
}

function randomizeTransforms(supernet: MobileNetSupernet, seed: number): void {
  const generator = new Generator(seed);
  for (const [name, tensor] of supernet.namedParameters()) {
    if (!name.includes('transform_') && !name.includes('bn.')) continue;
    const values = tensor.values as Float32Array;
    for (let index = 0; index < values.length; index++) values[index] = (values[index] as number) + 0.2 * (generator.random() - 0.5);
  }
}

/** Reference crop-and-transform: out[c, i] = Σ_j crop(w)[c, j] · T[j, i], by plain loops. */
function referenceKernel(weight: Tensor, channels: number, transforms: Map<number, Tensor>, target: number): number[][] {
  const full = weight.shape[2] as number;
  let kernels: number[][] = [];
  const values = weight.values as Float32Array;
  for (let channel = 0; channel < channels; channel++) kernels.push(Array.from(values.subarray(channel * full * full, (channel + 1) * full * full)));
  let size = full;
  for (const next of [5, 3]) {
    if (next < target || next >= size) continue;
    const offset = (size - next) / 2;
    const transform = transforms.get(next)?.values as Float32Array;
    kernels = kernels.map((kernel) => {
      const crop: number[] = [];
      for (let row = 0; row < next; row++) for (let column = 0; column < next; column++) crop.push(kernel[(row + offset) * size + column + offset] as number);
      return crop.map((_, i) => crop.reduce((sum, value, j) => sum + value * (transform[j * next * next + i] as number), 0));
    });
    size = next;
  }
  return kernels;
}

describe('MobileNetSupernet weight sharing', () => {
  it('extracts 1×1 conv weights as the top-left slice of the supernet weight', () => {
    const supernet = new MobileNetSupernet({ space: TINY_SPACE, seed: 3 });
    const subnet = supernet.extractSubnet(MIXED_CONFIG);
    // width 0.5: stage 0 has 4 output channels (of 6); block 1 expand 1 → 4 hidden from 4 inputs
    const big = tensorOf(supernet, 'stages.0.1.expand.conv.weight'); // (12, 6, 1, 1)
    const small = tensorOf(subnet, 'stages.0.1.expand.conv.weight');
    expect(small.shape).toEqual([4, 4, 1, 1]);
    const expected: number[] = [];
    for (let row = 0; row < 4; row++) for (let column = 0; column < 4; column++) expected.push((big.values as Float32Array)[row * 6 + column] as number);
    expect(Array.from(small.values as Float32Array)).toEqual(expected);
  });

  it('extracts smaller depthwise kernels as centre crops through the learned transforms', () => {
    const supernet = new MobileNetSupernet({ space: TINY_SPACE, seed: 4 });
    randomizeTransforms(supernet, 9);
    const subnet = supernet.extractSubnet(MIXED_CONFIG);
    const transforms = new Map([
      [5, tensorOf(supernet, 'stages.0.0.depthwise.conv.transform_5')],
      [3, tensorOf(supernet, 'stages.0.0.depthwise.conv.transform_3')],
    ]);
    // stage 0 block 0: input = stem (width 0.5 → 2 channels), expand 2 → 4 hidden, kernel 5
    const kernels = referenceKernel(tensorOf(supernet, 'stages.0.0.depthwise.conv.weight'), 4, transforms, 5);
    expectClose(tensorOf(subnet, 'stages.0.0.depthwise.conv.weight').toArray(), kernels.flat(), { rtol: 1e-5, atol: 1e-6 });
    const transforms3 = new Map([
      [5, tensorOf(supernet, 'stages.0.1.depthwise.conv.transform_5')],
      [3, tensorOf(supernet, 'stages.0.1.depthwise.conv.transform_3')],
    ]);
    const kernels3 = referenceKernel(tensorOf(supernet, 'stages.0.1.depthwise.conv.weight'), 4, transforms3, 3);
    expectClose(tensorOf(subnet, 'stages.0.1.depthwise.conv.weight').toArray(), kernels3.flat(), { rtol: 1e-5, atol: 1e-6 });
  });

  it('shares storage: changing a supernet weight changes what every subnet extracts', () => {
    const supernet = new MobileNetSupernet({ space: TINY_SPACE, seed: 5 });
    const before = tensorOf(supernet.extractSubnet(smallestSubnet(TINY_SPACE)), 'stem.conv.weight').toArray();
    (tensorOf(supernet, 'stem.conv.weight').values as Float32Array)[0] = 42;
    const after = tensorOf(supernet.extractSubnet(smallestSubnet(TINY_SPACE)), 'stem.conv.weight').toArray();
    expect(after[0]).toBe(42);
    expect(after.slice(1)).toEqual(before.slice(1));
  });

  it('gives the same logits as the supernet with setActive, for several configs', () => {
    const supernet = new MobileNetSupernet({ space: TINY_SPACE, seed: 6 });
    randomizeTransforms(supernet, 10);
    const pixels = randomPixels(3);
    const rng = new Generator(11);
    for (const config of [MIXED_CONFIG, largestSubnet(TINY_SPACE), smallestSubnet(TINY_SPACE), supernet.sampleSubnet(rng), supernet.sampleSubnet(rng)]) {
      supernet.setActive(config);
      calibrateBatchNorm(supernet, [[randomPixels(8, 2)]]);
      supernet.eval();
      const expected = noGrad(() => supernet.call(pixels));
      const subnet = supernet.extractSubnet(config).eval();
      const actual = noGrad(() => subnet.call(pixels));
      expect(actual.shape).toEqual([3, TINY_SPACE.classes]);
      expectClose(actual.data, expected.data, { rtol: 1e-4, atol: 1e-5 });
    }
  });

  it('rejects configs outside the space', () => {
    const supernet = new MobileNetSupernet({ space: TINY_SPACE });
    expect(() => supernet.setActive({ ...MIXED_CONFIG, resolution: 10 })).toThrow(ConfigError);
    expect(() => supernet.setActive({ ...MIXED_CONFIG, depths: [3, 1] })).toThrow(/depth 3/);
  });
});

describe('channel sorting and BatchNorm calibration', () => {
  it('sorts channels by importance without changing the largest network', () => {
    const supernet = new MobileNetSupernet({ space: TINY_SPACE, seed: 7 });
    calibrateBatchNorm(supernet, [[randomPixels(8, 3)]]);
    supernet.eval();
    const pixels = randomPixels(2, 4);
    const before = noGrad(() => supernet.call(pixels));
    sortChannelsByImportance(supernet);
    const after = noGrad(() => supernet.call(pixels));
    expectClose(after.data, before.data, { rtol: 1e-4, atol: 1e-5 });
    const hidden = Array.from(l1PerIndex(tensorOf(supernet, 'stages.1.0.project.conv.weight'), 1));
    expect(hidden).toEqual([...hidden].sort((a, b) => b - a));
  });

  it('re-calibrates running statistics as the cumulative average of batch statistics', () => {
    const supernet = new MobileNetSupernet({ space: TINY_SPACE, seed: 8 });
    const batches = [randomPixels(4, 5), randomPixels(4, 6)];
    supernet.setActive(largestSubnet(TINY_SPACE));
    calibrateBatchNorm(supernet, batches.map((pixels) => [pixels]));
    const stemBatchMeans = batches.map((pixels) => {
      const y = noGrad(() => supernet.stem.conv.call(normalize(pixels)));
      const values = y.values as Float32Array;
      const [count, channels, height, width] = y.shape as [number, number, number, number];
      const plane = height * width;
      return Array.from({ length: channels }, (_, channel) => {
        let sum = 0;
        for (let image = 0; image < count; image++) for (let index = 0; index < plane; index++) sum += values[(image * channels + channel) * plane + index] as number;
        return sum / (count * plane);
      });
    });
    const expected = (stemBatchMeans[0] as number[]).map((value, channel) => (value + ((stemBatchMeans[1] as number[])[channel] as number)) / 2);
    expectClose((supernet.stem.bn.getBuffer('running_mean') as Tensor).toArray(), expected, { rtol: 1e-4, atol: 1e-5 });
  });
});

/** (pixel − mean) / std by a plain loop (the supernet does it with graph ops). */
function normalize(pixels: Tensor): Tensor {
  const values = Array.from(pixels.values as Float32Array, (value) => (value - TINY_SPACE.pixelMean) / TINY_SPACE.pixelStd);
  return new Tensor(fromNumbers('float32', [...pixels.shape], values));
}
