// A tiny search space (12×12 inputs, a handful of channels) so that tests build, run and trace
// supernets and subnets in milliseconds, plus helpers for random inputs and configs.
import { fromNumbers } from '@efficientdl/ir';
import { Generator, Tensor } from '@efficientdl/tensor';
import type { SearchSpace, SubnetConfig } from '../search-space.js';

export const TINY_SPACE: SearchSpace = {
  kind: 'mobilenet-search-space',
  inputSize: 12,
  inChannels: 1,
  classes: 3,
  stemChannels: 4,
  headChannels: 8,
  stages: [
    { outChannels: 6, stride: 2, maxDepth: 2, activation: 'relu' },
    { outChannels: 8, stride: 1, maxDepth: 2, activation: 'hardswish' },
  ],
  kernelSizes: [3, 5, 7],
  expandRatios: [1, 2],
  widthMultipliers: [0.5, 1],
  resolutions: [8, 12],
  minDepth: 1,
  pixelMean: 0.5,
  pixelStd: 0.25,
};

/** Pixels in [0, 1]: (count, 1, 12, 12). */
export function randomPixels(count: number, seed = 1): Tensor {
  const generator = new Generator(seed);
  const size = count * TINY_SPACE.inputSize * TINY_SPACE.inputSize;
  return new Tensor(fromNumbers('float32', [count, 1, TINY_SPACE.inputSize, TINY_SPACE.inputSize], Array.from({ length: size }, () => generator.random())));
}

/** A hand-written mid-size config of TINY_SPACE. */
export const MIXED_CONFIG: SubnetConfig = {
  kind: 'mobilenet-subnet',
  resolution: 8,
  width: 0.5,
  depths: [2, 1],
  kernels: [
    [5, 3],
    [7, 7],
  ],
  expands: [
    [2, 1],
    [1, 2],
  ],
};
