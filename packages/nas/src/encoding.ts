// Architecture encoding for the accuracy predictor (once-for-all's): for every block slot a
// one-hot kernel size and a one-hot expand ratio (all zeros when the slot is beyond its stage's
// depth, so depth is encoded implicitly), then one-hot resolution and one-hot width multiplier.
import type { SearchSpace, SubnetConfig } from './search-space.js';

function oneHot(choices: readonly number[], value: number | undefined): number[] {
  return choices.map((choice) => (value !== undefined && choice === value ? 1 : 0));
}

/** Length of encodeSubnet's vectors for `space`. */
export function encodingLength(space: SearchSpace): number {
  const slots = space.stages.reduce((total, stage) => total + stage.maxDepth, 0);
  return slots * (space.kernelSizes.length + space.expandRatios.length) + space.resolutions.length + space.widthMultipliers.length;
}

/** The fixed-length 0/1 vector of a config; inactive slots are zero, so equal subnets encode equally. */
export function encodeSubnet(space: SearchSpace, config: SubnetConfig): number[] {
  const features: number[] = [];
  space.stages.forEach((stage, stageIndex) => {
    for (let block = 0; block < stage.maxDepth; block++) {
      const active = block < (config.depths[stageIndex] as number);
      features.push(...oneHot(space.kernelSizes, active ? config.kernels[stageIndex]?.[block] : undefined));
      features.push(...oneHot(space.expandRatios, active ? config.expands[stageIndex]?.[block] : undefined));
    }
  });
  features.push(...oneHot(space.resolutions, config.resolution));
  features.push(...oneHot(space.widthMultipliers, config.width));
  return features;
}
