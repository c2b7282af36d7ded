// The MobileNet-style search space (once-for-all, Cai et al. 2020): a stem conv, stages of
// inverted-residual blocks and a head, with elastic kernel size, expand ratio, width multiplier,
// depth per stage and input resolution. Spaces and subnet configs are plain JSON data with a `kind`.
import { ConfigError } from '@efficientdl/ir';

export type Activation = 'relu' | 'hardswish';

export interface StageSpec {
  /** Output channels at width multiplier 1. */
  outChannels: number;
  /** Stride of the stage's first block. */
  stride: number;
  /** Most blocks in the stage (depth choices are minDepth..maxDepth). */
  maxDepth: number;
  activation: Activation;
}

export interface SearchSpace {
  kind: 'mobilenet-search-space';
  /** Side of the square input images (the exported graph's input is (N, inChannels, inputSize, inputSize)). */
  inputSize: number;
  inChannels: number;
  classes: number;
  /** Stem conv (3×3, stride 1) output channels at width 1. */
  stemChannels: number;
  /** Head 1×1 conv output channels (not elastic). */
  headChannels: number;
  stages: StageSpec[];
  kernelSizes: number[];
  expandRatios: number[];
  widthMultipliers: number[];
  /** Input resolutions; images are resized to r×r inside the graph when r ≠ inputSize. */
  resolutions: number[];
  minDepth: number;
  /** Pixel normalization done inside the graph: (pixel − mean) / std, pixels in [0, 1]. */
  pixelMean: number;
  pixelStd: number;
}

export interface SubnetConfig {
  kind: 'mobilenet-subnet';
  resolution: number;
  width: number;
  /** Active blocks per stage. */
  depths: number[];
  /** Kernel size per stage per block slot (maxDepth entries; slots past the depth are ignored). */
  kernels: number[][];
  /** Expand ratio per stage per block slot (maxDepth entries; slots past the depth are ignored). */
  expands: number[][];
}

/**
 * A small supernet for 28×28 single-channel images (Fashion-MNIST). ReLU in the stages (its
 * gradient is cheaper than HardSwish's on the CPU backend), HardSwish in the head.
 */
export const FASHION_MNIST_SPACE: SearchSpace = {
  kind: 'mobilenet-search-space',
  inputSize: 28,
  inChannels: 1,
  classes: 10,
  stemChannels: 16,
  headChannels: 96,
  stages: [
    { outChannels: 24, stride: 2, maxDepth: 2, activation: 'relu' },
    { outChannels: 40, stride: 2, maxDepth: 3, activation: 'relu' },
    { outChannels: 48, stride: 1, maxDepth: 2, activation: 'relu' },
  ],
  kernelSizes: [3, 5, 7],
  expandRatios: [2, 3, 4],
  widthMultipliers: [0.75, 1],
  resolutions: [20, 24, 28],
  minDepth: 1,
  pixelMean: 0.286,
  pixelStd: 0.353,
};

const sorted = (values: readonly number[]) => [...values].sort((a, b) => a - b);
export const maxOf = (values: readonly number[]) => Math.max(...values);
export const minOf = (values: readonly number[]) => Math.min(...values);

/** Channels at a width multiplier: rounded to an even count, at least 2. */
export function scaleChannels(base: number, width: number): number {
  return Math.max(2, Math.round((base * width) / 2) * 2);
}

/** Hidden (expanded) channels of a block with `inChannels` inputs. */
export function hiddenChannels(inChannels: number, expand: number): number {
  return Math.max(1, Math.round(inChannels * expand));
}

export function validateSearchSpace(space: SearchSpace): void {
  const fail = (message: string) => {
    throw new ConfigError(`search space: ${message}`, { kind: space.kind });
  };
  if (space.kind !== 'mobilenet-search-space') fail(`kind must be 'mobilenet-search-space', got '${space.kind}'`);
  if (space.stages.length === 0) fail('needs at least one stage');
  for (const [name, values] of Object.entries({
    kernelSizes: space.kernelSizes,
    expandRatios: space.expandRatios,
    widthMultipliers: space.widthMultipliers,
    resolutions: space.resolutions,
  })) {
    if (values.length === 0 || values.some((value) => !(value > 0))) fail(`${name} must be a non-empty list of positive numbers`);
  }
  if (space.kernelSizes.some((size) => size % 2 === 0 || !Number.isInteger(size))) fail(`kernel sizes must be odd integers, got [${space.kernelSizes.join(', ')}]`);
  if (maxOf(space.resolutions) > space.inputSize) fail(`resolutions [${space.resolutions.join(', ')}] exceed the input size ${space.inputSize}`);
  space.stages.forEach((stage, index) => {
    if (stage.maxDepth < space.minDepth) fail(`stage ${index} maxDepth ${stage.maxDepth} < minDepth ${space.minDepth}`);
  });
}

/** Stem, per-stage and head channel counts of a config. */
export function channelPlan(space: SearchSpace, width: number): { stem: number; stages: number[] } {
  return { stem: scaleChannels(space.stemChannels, width), stages: space.stages.map((stage) => scaleChannels(stage.outChannels, width)) };
}

function uniformConfig(space: SearchSpace, pick: (values: readonly number[]) => number, depthOf: (stage: StageSpec) => number): SubnetConfig {
  return {
    kind: 'mobilenet-subnet',
    resolution: pick(space.resolutions),
    width: pick(space.widthMultipliers),
    depths: space.stages.map(depthOf),
    kernels: space.stages.map((stage) => new Array<number>(stage.maxDepth).fill(pick(space.kernelSizes))),
    expands: space.stages.map((stage) => new Array<number>(stage.maxDepth).fill(pick(space.expandRatios))),
  };
}

/** Every dimension at its largest. */
export function largestSubnet(space: SearchSpace): SubnetConfig {
  return uniformConfig(space, maxOf, (stage) => stage.maxDepth);
}

/** Every dimension at its smallest (the cheapest subnet in every cost: memory, size, latency). */
export function smallestSubnet(space: SearchSpace): SubnetConfig {
  return uniformConfig(space, minOf, () => space.minDepth);
}

/** Throws ConfigError unless `config` is a member of `space`. */
export function validateSubnet(space: SearchSpace, config: SubnetConfig): void {
  const fail = (message: string) => {
    throw new ConfigError(`subnet config: ${message}`, { config: subnetKey(config) });
  };
  if (config.kind !== 'mobilenet-subnet') fail(`kind must be 'mobilenet-subnet', got '${config.kind}'`);
  if (!space.resolutions.includes(config.resolution)) fail(`resolution ${config.resolution} not in [${sorted(space.resolutions).join(', ')}]`);
  if (!space.widthMultipliers.includes(config.width)) fail(`width ${config.width} not in [${space.widthMultipliers.join(', ')}]`);
  if (config.depths.length !== space.stages.length) fail(`${config.depths.length} depths for ${space.stages.length} stages`);
  space.stages.forEach((stage, index) => {
    const depth = config.depths[index] as number;
    if (!(depth >= space.minDepth && depth <= stage.maxDepth)) fail(`stage ${index} depth ${depth} not in ${space.minDepth}..${stage.maxDepth}`);
    const kernels = config.kernels[index] ?? [];
    const expands = config.expands[index] ?? [];
    if (kernels.length < depth || expands.length < depth) fail(`stage ${index} lists fewer kernels/expands than its depth ${depth}`);
    for (let block = 0; block < depth; block++) {
      if (!space.kernelSizes.includes(kernels[block] as number)) fail(`stage ${index} block ${block} kernel ${kernels[block]} not in [${space.kernelSizes.join(', ')}]`);
      if (!space.expandRatios.includes(expands[block] as number)) fail(`stage ${index} block ${block} expand ${expands[block]} not in [${space.expandRatios.join(', ')}]`);
    }
  });
}

/** A canonical string for a config: only active blocks count (e.g. `r28-w1-[k5e3,k3e4][k7e2]`). */
export function subnetKey(config: SubnetConfig): string {
  const stages = config.depths.map((depth, stage) => {
    const blocks: string[] = [];
    for (let block = 0; block < depth; block++) blocks.push(`k${config.kernels[stage]?.[block]}e${config.expands[stage]?.[block]}`);
    return `[${blocks.join(',')}]`;
  });
  return `r${config.resolution}-w${config.width}-${stages.join('')}`;
}

/** A deep copy (configs are plain data). */
export function cloneSubnet(config: SubnetConfig): SubnetConfig {
  return {
    kind: 'mobilenet-subnet',
    resolution: config.resolution,
    width: config.width,
    depths: [...config.depths],
    kernels: config.kernels.map((row) => [...row]),
    expands: config.expands.map((row) => [...row]),
  };
}
