// pickRatios (AMC-lite, after He et al. 2018 but greedy instead of RL): starting from no pruning,
// repeatedly advance the layer whose next scanned ratio loses the least metric per MAC (or
// parameter) saved, until the target fraction of the baseline is reached. Costs are estimated as
// the product of the scan's per-layer cost fractions (a layer's input and output channels
// multiply into MACs), or — with `model` — measured exactly on the combined pruned model.
import { ConfigError } from '@efficientdl/ir';
import type { GraphModule } from '@efficientdl/nn';
import type { ShapedExample } from '../dependency-graph/graph-facts.js';
import { prune } from '../prune-model.js';
import type { SensitivityPoint, SensitivityScan } from './sensitivity-scan.js';

export interface PickRatiosOptions {
  scan: SensitivityScan;
  /** Keep at most this fraction of the baseline MACs (0 < t ≤ 1). */
  macsTarget?: number;
  /** Keep at most this fraction of the baseline parameters (0 < t ≤ 1). */
  paramsTarget?: number;
  /** With the model, each step's cost is measured on the actually pruned model (coupled layers interact). */
  model?: GraphModule;
  exampleInputs?: readonly ShapedExample[];
  /** The roundTo the scan used (for exact costs with `model`). */
  roundTo?: number;
}

export interface PickedRatios {
  perLayerRatios: Record<string, number>;
  /** Baseline metric minus the scan's drops, added up. */
  estimatedMetric: number;
  macs: number;
  params: number;
}

type CostKey = 'macs' | 'params';

function target(options: PickRatiosOptions): { key: CostKey; fraction: number } {
  const given = [options.macsTarget, options.paramsTarget].filter((value) => value !== undefined);
  if (given.length !== 1) throw new ConfigError('pickRatios: give exactly one of macsTarget and paramsTarget');
  const fraction = given[0] as number;
  if (!(fraction > 0 && fraction <= 1)) throw new ConfigError(`pickRatios: the target must be a fraction of the baseline in (0, 1], got ${fraction}`);
  return { key: options.macsTarget !== undefined ? 'macs' : 'params', fraction };
}

export function pickRatios(options: PickRatiosOptions): PickedRatios {
  const { scan } = options;
  const { key, fraction } = target(options);
  const goal = scan.baseline[key] * fraction;
  const positions = scan.layers.map(() => -1);
  const pointAt = (layer: number, position: number): SensitivityPoint =>
    position < 0 ? scan.baseline : (scan.layers[layer]?.points[position] as SensitivityPoint);
  const ratios = () => Object.fromEntries(scan.layers.flatMap((layer, index) => ((positions[index] as number) >= 0 ? [[layer.layer, pointAt(index, positions[index] as number).ratio]] : [])));
  const additive = (which: 'metric') =>
    scan.baseline[which] - scan.layers.reduce((total, _, index) => total + (scan.baseline[which] - pointAt(index, positions[index] as number)[which]), 0);
  const multiplicative = (which: CostKey) =>
    scan.layers.reduce((total, _, index) => total * (pointAt(index, positions[index] as number)[which] / scan.baseline[which]), scan.baseline[which]);
  const measure = () => {
    if (!options.model) return { macs: multiplicative('macs'), params: multiplicative('params') };
    const report = prune(options.model, { ratio: 0, perLayerRatios: ratios(), exampleInputs: options.exampleInputs, roundTo: options.roundTo }).report;
    return { macs: report.macs.after, params: report.params.after };
  };
  let cost = measure();
  while (cost[key] > goal) {
    let best: { layer: number; score: number } | undefined;
    scan.layers.forEach((layer, index) => {
      const position = positions[index] as number;
      if (position + 1 >= layer.points.length) return;
      const [current, next] = [pointAt(index, position), pointAt(index, position + 1)];
      const saved = current[key] - next[key];
      const score = Math.max(0, current.metric - next.metric) / Math.max(saved, 1e-9);
      if (!best || score < best.score) best = { layer: index, score };
    });
    if (!best) throw new ConfigError(`pickRatios: the scanned ratios cannot bring ${key} to ${(fraction * 100).toFixed(1)}% of the baseline`);
    positions[best.layer] = (positions[best.layer] as number) + 1;
    cost = measure();
  }
  return { perLayerRatios: ratios(), estimatedMetric: additive('metric'), ...cost };
}
