// Sensitivity scan (Han et al. 2015; Li et al. 2017): prune one layer group at a time at a
// series of ratios, evaluate the model each time, and record metric, MACs and parameters —
// the data behind a per-layer ratio choice (pickRatios) and the table/plot of the scan.
import type { GraphModule, Module } from '@efficientdl/nn';
import type { Tensor } from '@efficientdl/tensor';
import { removedCount } from '../channel/plan-pruning.js';
import { toGraphModule } from '../channel/prune.js';
import { checkRatio } from '../channel/prune-config.js';
import { graphCost } from '../channel/prune-report.js';
import { buildDependencyGraph } from '../dependency-graph/build-dependency-graph.js';
import { matchesLayer } from '../dependency-graph/build-dependency-graph.js';
import type { ShapedExample } from '../dependency-graph/graph-facts.js';
import type { Importance } from '../importance/importance.js';
import { prune } from '../prune-model.js';

export interface SensitivityOptions {
  /** Higher is better (e.g. accuracy). */
  evaluate: (model: GraphModule) => number | Promise<number>;
  importance?: Importance;
  /** Default 0.1, 0.2, …, 0.9. */
  ratios?: readonly number[];
  exampleInputs?: readonly ShapedExample[];
  /** As PruneConfig.roundTo: ratios remove only down to a multiple of this many channels. */
  roundTo?: number;
  /** Layers not to scan. */
  ignore?: readonly (string | RegExp)[];
  /** Called after each evaluation (for progress output). */
  onPoint?: (layer: string, point: SensitivityPoint) => void;
}

export interface SensitivityPoint {
  ratio: number;
  metric: number;
  macs: number;
  params: number;
}

export interface LayerSensitivity {
  /** The group's first layer (the name used in perLayerRatios). */
  layer: string;
  /** Every layer pruned together with it. */
  coupled: string[];
  channels: number;
  points: SensitivityPoint[];
}

export interface SensitivityScan {
  baseline: SensitivityPoint;
  layers: LayerSensitivity[];
}

export const DEFAULT_SCAN_RATIOS = [0.1, 0.2, 0.3, 0.4, 0.5, 0.6, 0.7, 0.8, 0.9] as const;

export async function sensitivityScan(input: GraphModule | Module<Tensor | Tensor[]>, options: SensitivityOptions): Promise<SensitivityScan> {
  const model = toGraphModule(input, options.exampleInputs);
  const ratios = (options.ratios ?? DEFAULT_SCAN_RATIOS).map((ratio) => checkRatio(ratio, 'sensitivityScan: ratio'));
  const dependencies = buildDependencyGraph(model, { exampleInputs: options.exampleInputs });
  const cost = graphCost(dependencies.graph, options.exampleInputs);
  const baseline: SensitivityPoint = { ratio: 0, metric: await options.evaluate(model), ...cost };
  const ignored = (name: string) => (options.ignore ?? []).some((pattern) => dependencies.groupOf(name)?.layers.some((layer) => matchesLayer(layer, pattern)));
  const layers: LayerSensitivity[] = [];
  for (const group of dependencies.groups) {
    if (!group.prunable || ignored(group.name)) continue;
    const points: SensitivityPoint[] = [];
    for (const ratio of ratios) {
      const count = removedCount(group.size, ratio, options.roundTo);
      if (count >= group.size || count === 0) continue;
      const config = { ratio: 0, perLayerRatios: { [group.name]: ratio }, importance: options.importance, roundTo: options.roundTo, exampleInputs: options.exampleInputs };
      const pruned = prune(model, config);
      const point = { ratio, metric: await options.evaluate(pruned.model), macs: pruned.report.macs.after, params: pruned.report.params.after };
      points.push(point);
      options.onPoint?.(group.name, point);
    }
    layers.push({ layer: group.name, coupled: group.layers.map((layer) => layer.name), channels: group.size, points });
  }
  return { baseline, layers };
}
