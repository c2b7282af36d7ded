// Search tests on the tiny space with the real cost model and a synthetic accuracy: every
// evaluated candidate meets the constraints, evolution and random search spend the same number
// of evaluations and evolution finds at least as good a subnet, an impossible constraint is a
// ConfigError naming the smallest achievable values, the hand-designed baseline fits the budget.
import { ConfigError } from '@efficientdl/ir';
import { describe, expect, it } from 'vitest';
import { TINY_SPACE } from './__fixtures__/tiny-space.js';
import { type Constraints, satisfies } from './constraints.js';
import { handDesignedSubnet } from './hand-designed.js';
import { type SubnetConfig, largestSubnet, smallestSubnet } from './search-space.js';
import { type SearchProblem, evolutionEvaluations, evolutionarySearch, randomSearch } from './search.js';
import { SubnetCostModel } from './subnet-graph.js';

/** Grows with every dimension, so the constraints decide how big the best subnet can be. */
function syntheticAccuracy(config: SubnetConfig): number {
  let score = config.resolution / 100 + config.width / 10;
  config.depths.forEach((depth, stage) => {
    for (let block = 0; block < depth; block++) score += (config.kernels[stage]?.[block] as number) / 100 + (config.expands[stage]?.[block] as number) / 20;
  });
  return score;
}

function problemWith(constraints: Constraints): { problem: SearchProblem; costs: SubnetCostModel } {
  const costs = new SubnetCostModel(TINY_SPACE);
  const problem: SearchProblem = {
    space: TINY_SPACE,
    constraints,
    figures: (config) => costs.figures(config),
    accuracy: (configs) => configs.map(syntheticAccuracy),
  };
  return { problem, costs };
}

describe('search under constraints', () => {
  const costs = new SubnetCostModel(TINY_SPACE);
  const largest = costs.figures(largestSubnet(TINY_SPACE));
  const smallest = costs.figures(smallestSubnet(TINY_SPACE));
  // a budget between the smallest and the largest subnet
  const constraints: Constraints = {
    maxPeakActivationBytes: (smallest.peakActivationBytes + largest.peakActivationBytes) / 2,
    maxWeightBytes: (smallest.weightBytes + largest.weightBytes) / 2,
  };

  it('evaluates only feasible candidates, with equal evaluation counts for evolution and random search', () => {
    const { problem } = problemWith(constraints);
    const options = { population: 16, generations: 10, seed: 1 };
    const evolution = evolutionarySearch(problem, options);
    const random = randomSearch(problem, { evaluations: evolutionEvaluations(options), seed: 1 });
    expect(evolution.evaluations).toBe(16 + 10 * 12);
    expect(random.evaluations).toBe(evolution.evaluations);
    for (const candidate of [...evolution.evaluated, ...random.evaluated]) expect(satisfies(candidate.figures, constraints)).toBe(true);
    expect(evolution.best.accuracy).toBeGreaterThan(random.best.accuracy);
    expect(evolution.bestByRound).toHaveLength(11);
    expect([...evolution.bestByRound].sort((a, b) => a - b)).toEqual(evolution.bestByRound); // elitist: never worse
    expect(satisfies(largest, constraints)).toBe(false); // the budget does bind
  });

  it('rejects a constraint no subnet meets, stating the smallest achievable values', () => {
    const { problem } = problemWith({ maxPeakActivationBytes: smallest.peakActivationBytes / 2 });
    expect(() => evolutionarySearch(problem)).toThrow(ConfigError);
    expect(() => randomSearch(problem, { evaluations: 4 })).toThrow(/smallest achievable: int8 peak activation/);
    const kilobytes = (smallest.peakActivationBytes / 1024).toFixed(1);
    expect(() => evolutionarySearch(problem)).toThrow(new RegExp(`smallest achievable: int8 peak activation ${kilobytes} KB`));
  });

  it('needs a latency predictor for a latency constraint', () => {
    const { problem } = problemWith({ maxLatencyMs: 1 });
    expect(() => evolutionarySearch(problem)).toThrow(/latency predictor/);
  });

  it('shrinks the hand-designed MobileNetV2 recipe until it fits', () => {
    const config = handDesignedSubnet(TINY_SPACE, (candidate) => satisfies(costs.figures(candidate), constraints));
    expect(satisfies(costs.figures(config), constraints)).toBe(true);
    expect(config.kernels.flat().every((kernel) => kernel === 3)).toBe(true);
    expect(new Set(config.expands.flat()).size).toBe(1);
    expect(() => handDesignedSubnet(TINY_SPACE, () => false)).toThrow(ConfigError);
  });
});
