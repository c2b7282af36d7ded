// Random subnets, mutation and crossover over a search space (once-for-all's evolution
// operators). Dimensions left out of `elastic` stay at their largest, which is how progressive
// shrinking opens the space one dimension at a time.
import type { Generator } from '@efficientdl/tensor';
import { type SearchSpace, type SubnetConfig, cloneSubnet, maxOf } from './search-space.js';

export type ElasticDimension = 'kernel' | 'expand' | 'width' | 'depth' | 'resolution';

export const ALL_DIMENSIONS: readonly ElasticDimension[] = ['kernel', 'expand', 'width', 'depth', 'resolution'];

export interface SampleOptions {
  /** Dimensions drawn at random (default all); the others take their largest value. */
  elastic?: readonly ElasticDimension[];
}

function choice(rng: Generator, values: readonly number[]): number {
  return values[rng.randomInt(values.length)] as number;
}

/** A uniformly random member of the space (per dimension). */
export function sampleSubnet(space: SearchSpace, rng: Generator, options: SampleOptions = {}): SubnetConfig {
  const elastic = new Set(options.elastic ?? ALL_DIMENSIONS);
  const pick = (dimension: ElasticDimension, values: readonly number[]) => (elastic.has(dimension) ? choice(rng, values) : maxOf(values));
  const resolution = pick('resolution', space.resolutions);
  const width = pick('width', space.widthMultipliers);
  const depths = space.stages.map((stage) =>
    elastic.has('depth') ? space.minDepth + rng.randomInt(stage.maxDepth - space.minDepth + 1) : stage.maxDepth,
  );
  const kernels = space.stages.map((stage) => Array.from({ length: stage.maxDepth }, () => pick('kernel', space.kernelSizes)));
  const expands = space.stages.map((stage) => Array.from({ length: stage.maxDepth }, () => pick('expand', space.expandRatios)));
  return { kind: 'mobilenet-subnet', resolution, width, depths, kernels, expands };
}

/** Re-draws each gene (resolution, width, each depth, each block's kernel and expand) with `probability`. */
export function mutateSubnet(space: SearchSpace, config: SubnetConfig, rng: Generator, probability: number): SubnetConfig {
  const result = cloneSubnet(config);
  const hit = () => rng.random() < probability;
  if (hit()) result.resolution = choice(rng, space.resolutions);
  if (hit()) result.width = choice(rng, space.widthMultipliers);
  space.stages.forEach((stage, index) => {
    if (hit()) result.depths[index] = space.minDepth + rng.randomInt(stage.maxDepth - space.minDepth + 1);
    for (let block = 0; block < stage.maxDepth; block++) {
      if (hit()) (result.kernels[index] as number[])[block] = choice(rng, space.kernelSizes);
      if (hit()) (result.expands[index] as number[])[block] = choice(rng, space.expandRatios);
    }
  });
  return result;
}

/** Uniform crossover: every gene comes from either parent with probability ½. */
export function crossoverSubnets(first: SubnetConfig, second: SubnetConfig, rng: Generator): SubnetConfig {
  const either = <T>(a: T, b: T): T => (rng.random() < 0.5 ? a : b);
  return {
    kind: 'mobilenet-subnet',
    resolution: either(first.resolution, second.resolution),
    width: either(first.width, second.width),
    depths: first.depths.map((depth, index) => either(depth, second.depths[index] as number)),
    kernels: first.kernels.map((row, stage) => row.map((kernel, block) => either(kernel, second.kernels[stage]?.[block] as number))),
    expands: first.expands.map((row, stage) => row.map((expand, block) => either(expand, second.expands[stage]?.[block] as number))),
  };
}
