// From a standalone subnet to its deployable IR graph, and the graph's costs from the IR cost
// model: trace in eval mode (input `pixels` (N, C, H, W) in [0, 1], output `logits`, symbolic
// batch), fold BatchNorm into the convolutions, drop dead code. Int8 figures assume 1 byte per
// weight element and per activation element (a float32 graph's bytes / 4), at batch 1.
import { type Graph, analyzeCost, eliminateDeadCode, foldBatchNorm } from '@efficientdl/ir';
import type { Module } from '@efficientdl/nn';
import { F, trace } from '@efficientdl/tensor';
import { MobileNetSubnet } from './mobilenet-subnet.js';
import { type SearchSpace, type SubnetConfig, subnetKey } from './search-space.js';

/** The traced, BatchNorm-folded inference graph of a subnet module (left in eval mode). */
export function subnetGraph(module: Module, options: { space: SearchSpace; name?: string }): Graph {
  const { space } = options;
  module.eval();
  const example = F.zeros([1, space.inChannels, space.inputSize, space.inputSize]);
  const traced = trace(module, [example], { name: options.name ?? 'nas_subnet', inputNames: ['pixels'], outputNames: ['logits'], dynamicBatch: true });
  return eliminateDeadCode(foldBatchNorm(traced));
}

export interface SubnetCost {
  /** Weight elements (= int8 weight bytes). */
  params: number;
  /** Weight bytes at int8 (1 byte per element). */
  weightBytes: number;
  /** Peak live activation bytes at int8 and batch 1 (the cost model's peak counted in elements). */
  peakActivationBytes: number;
  /** Multiply-accumulates at batch 1. */
  macs: number;
}

/** Int8 figures of a float32 graph from analyzeCost at batch 1. */
export function graphCost(graph: Graph): SubnetCost {
  const report = analyzeCost(graph, { dims: { N: 1 } });
  return { params: report.params, weightBytes: report.params, peakActivationBytes: report.peakActivationElements, macs: report.macs };
}

/** What the search needs to know about a config besides accuracy. */
export interface SubnetFigures extends SubnetCost {
  /** Predicted latency (ms) when the model has a latency predictor. */
  latencyMs?: number;
}

export interface SubnetCostModelOptions {
  /** Latency predictor applied to each config's graph. */
  latency?: (graph: Graph) => number;
}

/** Costs of subnet configs (architecture only: weights do not matter), cached per config. */
export class SubnetCostModel {
  readonly space: SearchSpace;
  private readonly latency: ((graph: Graph) => number) | undefined;
  private readonly cache = new Map<string, SubnetFigures>();

  constructor(space: SearchSpace, options: SubnetCostModelOptions = {}) {
    this.space = space;
    this.latency = options.latency;
  }

  /** The inference graph of a config (random weights: for costs and latency only). */
  graph(config: SubnetConfig): Graph {
    return subnetGraph(new MobileNetSubnet({ space: this.space, config }), { space: this.space });
  }

  figures(config: SubnetConfig): SubnetFigures {
    const key = subnetKey(config);
    let figures = this.cache.get(key);
    if (!figures) {
      const graph = this.graph(config);
      figures = { ...graphCost(graph), ...(this.latency ? { latencyMs: this.latency(graph) } : {}) };
      this.cache.set(key, figures);
    }
    return figures;
  }

  /** Number of configs analysed so far. */
  get size(): number {
    return this.cache.size;
  }
}
