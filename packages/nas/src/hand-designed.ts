// The hand-designed baseline inside the same search space: the MobileNetV2 recipe (3×3 depthwise
// kernels, one expand ratio for every block, full depth, full width, full resolution), shrunk by
// a designer's rule until it fits the budget — first the expand ratio, then the depth, then the
// width, and the input resolution last.
import { ConfigError } from '@efficientdl/ir';
import { type SearchSpace, type SubnetConfig, minOf } from './search-space.js';

const descending = (values: readonly number[]) => [...values].sort((a, b) => b - a);

function uniform(space: SearchSpace, choice: { resolution: number; width: number; depthCut: number; expand: number }): SubnetConfig {
  const kernel = minOf(space.kernelSizes);
  return {
    kind: 'mobilenet-subnet',
    resolution: choice.resolution,
    width: choice.width,
    depths: space.stages.map((stage) => Math.max(space.minDepth, stage.maxDepth - choice.depthCut)),
    kernels: space.stages.map((stage) => new Array<number>(stage.maxDepth).fill(kernel)),
    expands: space.stages.map((stage) => new Array<number>(stage.maxDepth).fill(choice.expand)),
  };
}

/** The first config of the recipe's shrinking order that `fits`; ConfigError when none does. */
export function handDesignedSubnet(space: SearchSpace, fits: (config: SubnetConfig) => boolean): SubnetConfig {
  const deepest = Math.max(...space.stages.map((stage) => stage.maxDepth - space.minDepth));
  for (const resolution of descending(space.resolutions)) {
    for (const width of descending(space.widthMultipliers)) {
      for (let depthCut = 0; depthCut <= deepest; depthCut++) {
        for (const expand of descending(space.expandRatios)) {
          const config = uniform(space, { resolution, width, depthCut, expand });
          if (fits(config)) return config;
        }
      }
    }
  }
  throw new ConfigError('hand-designed baseline: no uniform MobileNetV2-style config of the space fits the constraints');
}
