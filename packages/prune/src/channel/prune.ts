// prune(model, config): the verb of DESIGN §5. Channel granularity builds the dependency graph,
// validates the config against it, scores groups, plans removals and applies them all in one
// physical rewrite, returning a new GraphModule and a report; the input model is never modified.
import { GraphModule, type Module } from '@efficientdl/nn';
import { type Tensor, trace } from '@efficientdl/tensor';
import { ConfigError } from '@efficientdl/ir';
import { buildDependencyGraph } from '../dependency-graph/build-dependency-graph.js';
import type { ShapedExample } from '../dependency-graph/graph-facts.js';
import { describeImportance, magnitude } from '../importance/importance.js';
import { scoreGroups } from '../importance/score-groups.js';
import { planPruning } from './plan-pruning.js';
import { type PruneConfig, checkConfigShape } from './prune-config.js';
import { type LayerReport, type PruneReport, graphCost } from './prune-report.js';

export interface PruneResult {
  model: GraphModule;
  report: PruneReport;
}

/** A GraphModule as is; an nn Module traced in eval mode on the example inputs (dynamic batch). */
export function toGraphModule(model: GraphModule | Module<Tensor | Tensor[]>, exampleInputs?: readonly ShapedExample[]): GraphModule {
  if (model instanceof GraphModule) return model;
  const tensors = exampleInputs as readonly Tensor[] | undefined;
  if (!tensors || tensors.length === 0) throw new ConfigError('prune: an nn Module needs exampleInputs (Tensors) to be traced');
  const wasTraining = model.training;
  model.eval();
  try {
    return GraphModule.fromGraph(trace(model, tensors, { dynamicBatch: true }));
  } finally {
    model.train(wasTraining);
  }
}

export function pruneChannels(input: GraphModule | Module<Tensor | Tensor[]>, config: PruneConfig): PruneResult {
  checkConfigShape(config);
  const model = toGraphModule(input, config.exampleInputs);
  const dependencies = buildDependencyGraph(model, { exampleInputs: config.exampleInputs });
  const importance = config.importance ?? magnitude({ p: 2 });
  const plans = planPruning(dependencies, config, (groups) => scoreGroups({ groups, graph: dependencies.graph, importance }));
  const removals = new Map<string, Map<number, Set<number>>>();
  for (const plan of plans) {
    for (const [value, byAxis] of plan.group.removalsFor(plan.remove)) {
      const target = removals.get(value) ?? new Map<number, Set<number>>();
      for (const [axis, indices] of byAxis) target.set(axis, new Set([...(target.get(axis) ?? []), ...indices]));
      removals.set(value, target);
    }
  }
  const pruned = dependencies.apply(removals);
  const groupOf = new Map(dependencies.groups.flatMap((group) => group.layers.map((layer) => [layer.node, group.id] as const)));
  const layers: LayerReport[] = dependencies.layers.map((layer) => ({
    name: layer.name,
    op: layer.op,
    group: groupOf.get(layer.node) ?? -1,
    channelsBefore: layer.channels,
    channelsAfter: layer.channels - (removals.get(layer.output)?.get(layer.axis)?.size ?? 0),
  }));
  const before = graphCost(dependencies.graph, config.exampleInputs);
  const after = graphCost(pruned.graph, config.exampleInputs);
  const report: PruneReport = {
    granularity: 'channel',
    importance: describeImportance(importance),
    scope: config.scope ?? 'uniform',
    ratio: config.ratio,
    layers,
    params: { before: before.params, after: after.params },
    macs: { before: before.macs, after: after.macs },
  };
  return { model: pruned, report };
}
