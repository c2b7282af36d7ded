// Predictors: the accuracy MLP fits a known function of the architecture (held-out error and rank
// agreement), the latency table sums per-op measurements (checked against a synthetic backend
// whose cost is known exactly) and measures each op configuration once.
import { type Graph, bindDims, inferShapes, shapeSize } from '@efficientdl/ir';
import { Generator } from '@efficientdl/tensor';
import { describe, expect, it } from 'vitest';
import { TINY_SPACE } from './__fixtures__/tiny-space.js';
import { fitAccuracyPredictor, kendallTau } from './accuracy-predictor.js';
import { measureEngineLatency } from './engine-latency.js';
import { LatencyTable, meanAbsolutePercentageError } from './latency-table.js';
import { type SubnetConfig, largestSubnet, smallestSubnet } from './search-space.js';
import { SubnetCostModel } from './subnet-graph.js';
import { sampleSubnet } from './subnet-sampling.js';

/** A smooth synthetic "accuracy": grows with kernels, expands, depth, resolution and width. */
function syntheticAccuracy(config: SubnetConfig): number {
  let score = 0.5 + 0.02 * config.resolution * 0.1 + 0.05 * config.width;
  config.depths.forEach((depth, stage) => {
    for (let block = 0; block < depth; block++) score += 0.004 * (config.kernels[stage]?.[block] as number) + 0.01 * (config.expands[stage]?.[block] as number);
  });
  return score;
}

describe('accuracy predictor', () => {
  it('fits a known architecture → accuracy function and ranks held-out subnets', () => {
    const rng = new Generator(1);
    const samples = Array.from({ length: 120 }, () => {
      const config = sampleSubnet(TINY_SPACE, rng);
      return { config, accuracy: syntheticAccuracy(config) };
    });
    const predictor = fitAccuracyPredictor({ space: TINY_SPACE, samples: samples.slice(0, 90), steps: 400, seed: 2 });
    const quality = predictor.quality(samples.slice(90));
    const spread = Math.max(...samples.map((s) => s.accuracy)) - Math.min(...samples.map((s) => s.accuracy));
    expect(quality.rmse).toBeLessThan(spread * 0.1);
    expect(quality.kendallTau).toBeGreaterThan(0.7);
    expect(predictor.predictMany(samples.slice(0, 3).map((s) => s.config))).toHaveLength(3);
  });

  it('computes Kendall tau on hand-checked orders', () => {
    expect(kendallTau([1, 2, 3], [10, 20, 30])).toBe(1);
    expect(kendallTau([1, 2, 3], [30, 20, 10])).toBe(-1);
    expect(kendallTau([1, 2, 3], [10, 30, 20])).toBeCloseTo(1 / 3);
  });
});

/** A fake backend timing: 0.5 ms per run + per node 0.001 ms per output element + 0.1 ms. */
function syntheticMeasure(graph: Graph): number {
  let total = 0.5;
  for (const node of graph.nodes) {
    const output = [...graph.outputs, ...graph.valueInfo.values()].find((value) => value.name === node.outputs[0]);
    total += 0.1 + 0.001 * shapeSize((output?.shape ?? []).map((dim) => (typeof dim === 'number' ? dim : 1)));
  }
  return total;
}

describe('latency table', () => {
  it('fits the scale of the op sum to whole-graph measurements', () => {
    // a backend whose whole graphs take 0.5 + 1.5 × (sum of one-node times − overheads)
    const costs = new SubnetCostModel(TINY_SPACE);
    const graphs = [largestSubnet(TINY_SPACE), smallestSubnet(TINY_SPACE)].map((config) => costs.graph(config));
    const timing = (graph: Graph) => syntheticMeasure(inferShapes(bindDims(graph, { N: 1 })));
    const table = new LatencyTable({ measure: (graph) => (graph.nodes.length > 1 ? 0.5 + 1.5 * (timing(graph) - 0.5) : timing(graph)) });
    expect(table.fitScale(graphs)).toBeCloseTo(1.5, 6);
  });

  it('predicts the overhead plus the sum of per-op entries, measuring each op configuration once', () => {
    const costs = new SubnetCostModel(TINY_SPACE);
    let calls = 0;
    const table = new LatencyTable({
      measure: (graph) => {
        calls++;
        return syntheticMeasure(graph);
      },
    });
    const graph = costs.graph(largestSubnet(TINY_SPACE));
    const predicted = table.predict(graph);
    // oracle: 0.5 ms once + Σ over nodes (0.1 ms + 0.001 ms × output elements at batch 1)
    expect(predicted).toBeCloseTo(syntheticMeasure(inferShapes(bindDims(graph, { N: 1 }))), 6);
    const callsAfterFirst = calls;
    expect(table.predict(graph)).toBeCloseTo(predicted, 10);
    expect(calls).toBe(callsAfterFirst); // cached
    expect(table.size).toBeLessThan(graph.nodes.length); // repeated op configurations share entries
    table.scale = 2;
    expect(table.predict(graph)).toBeCloseTo(0.5 + 2 * (predicted - 0.5), 6);
    const smaller = table.predict(costs.graph(smallestSubnet(TINY_SPACE)));
    expect(smaller).toBeLessThan(predicted);
  });

  it('computes the mean absolute percentage error', () => {
    expect(meanAbsolutePercentageError([{ predicted: 110, measured: 100 }, { predicted: 80, measured: 100 }])).toBeCloseTo(0.15, 12);
    expect(meanAbsolutePercentageError([])).toBe(0);
  });

  it('builds its table from real engine timings that add up to the right order of magnitude', () => {
    // exact accuracy needs a quiet machine (the CLI reports the MAPE on 20 Fashion-MNIST subnets);
    // here test files run in parallel, so only gross errors (missing or double-counted ops) are caught
    const costs = new SubnetCostModel(TINY_SPACE);
    const measure = (graph: Graph) => measureEngineLatency(graph, { runs: 30 });
    const table = new LatencyTable({ measure });
    const rng = new Generator(3);
    for (let index = 0; index < 3; index++) {
      const graph = costs.graph(sampleSubnet(TINY_SPACE, rng));
      const ratio = table.predict(graph) / measure(graph);
      expect(ratio).toBeGreaterThan(1 / 3);
      expect(ratio).toBeLessThan(3);
    }
  });
});
