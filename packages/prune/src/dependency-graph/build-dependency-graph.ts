// buildDependencyGraph: DepGraph (Fang et al., CVPR 2023) on the IR. Every prunable layer's
// output channels root a group of coupled channels collected through the op coupling rules;
// a layer whose channels an earlier group already reached joins that group (residual Adds).
// Groups that touch graph inputs/outputs or ops without rules are kept but marked not prunable.
import type { Graph, Node } from '@efficientdl/ir';
import { GraphModule } from '@efficientdl/nn';
import { ChannelGroup, type GroupMember, type LayerInfo, type MemberKind } from './channel-group.js';
import { CouplingTable, type GroupDraft, GroupCollector, spaceKey } from './collect-group.js';
import { type GraphFacts, type ShapedExample, graphFacts } from './graph-facts.js';
import { layerOutputAxis } from './op-rules.js';
import { type ChannelRemovals, removeChannels } from './rewrite-graph.js';

export interface DependencyGraphOptions {
  /** Example inputs (Tensors or TensorData) fixing symbolic dims; default: symbolic dims = 1. */
  exampleInputs?: readonly ShapedExample[];
}

export class DependencyGraph {
  readonly graph: Graph;
  readonly facts: GraphFacts;
  readonly groups: readonly ChannelGroup[];
  /** Every prunable-kind layer (Conv, Gemm, weight MatMul), in execution order. */
  readonly layers: readonly LayerInfo[];

  constructor(graph: Graph, options: DependencyGraphOptions = {}) {
    this.graph = graph;
    this.facts = graphFacts(graph, options.exampleInputs);
    this.layers = collectLayers(this.facts);
    this.groups = buildGroups(this.facts, this.layers, (removals) => this.apply(removals));
  }

  /** The group a layer (by layer name, node name or weight name) belongs to. */
  groupOf(layer: string): ChannelGroup | undefined {
    return this.groups.find((group) => group.layers.some((info) => matchesLayer(info, layer)));
  }

  /** A new GraphModule with the removals of several groups applied at once. */
  apply(removals: ChannelRemovals): GraphModule {
    return GraphModule.fromGraph(removeChannels(this.facts, removals));
  }

  toString(): string {
    return this.groups.map((group) => group.toString()).join('\n');
  }
}

/** Whether `name` names this layer (its layer name, node name or weight initializer name). */
export function matchesLayer(layer: LayerInfo, name: string | RegExp): boolean {
  const names = [layer.name, layer.node, ...(layer.weight ? [layer.weight] : [])];
  return typeof name === 'string' ? names.includes(name) : names.some((candidate) => name.test(candidate));
}

function collectLayers(facts: GraphFacts): LayerInfo[] {
  const layers: LayerInfo[] = [];
  for (const node of facts.order) {
    const output = node.outputs[0] ?? '';
    const shape = facts.shapes.get(output);
    if (!shape) continue;
    const axis = layerOutputAxis(node, shape.length, (name) => facts.constants.has(name));
    if (axis === undefined) continue;
    const weight = facts.graph.initializers.has(node.inputs[1] ?? '') ? (node.inputs[1] as string) : undefined;
    const name = weight?.endsWith('.weight') ? weight.slice(0, -'.weight'.length) : node.name;
    layers.push({ name, node: node.name, op: node.op, weight, output, axis, channels: shape[axis] as number });
  }
  return layers;
}

function memberKind(facts: GraphFacts, value: string): MemberKind {
  if (facts.graph.initializers.has(value)) return 'initializer';
  return facts.constants.has(value) ? 'constant' : 'activation';
}

function toMembers(facts: GraphFacts, draft: GroupDraft, nodes: ReadonlyMap<string, Node>): GroupMember[] {
  return [...draft.members.values()].map((member) => ({
    value: member.value,
    axis: member.axis,
    size: member.size,
    kind: memberKind(facts, member.value),
    roles: [...member.roles],
    nodes: [...member.nodes.keys()].map((name) => `${nodes.get(name)?.op ?? '?'} '${name}'`),
    mapping: member.mapping,
  }));
}

/** Two groups may share a value only on disjoint indices (e.g. the two halves of a Concat). */
function overlapReasons(drafts: readonly GroupDraft[]): Map<GroupDraft, string[]> {
  const owners = new Map<string, { draft: GroupDraft; indices: Set<number> }[]>();
  for (const draft of drafts) {
    for (const [key, member] of draft.members) {
      const list = owners.get(key) ?? [];
      list.push({ draft, indices: new Set(member.mapping.flat()) });
      owners.set(key, list);
    }
  }
  const reasons = new Map<GroupDraft, string[]>();
  for (const [key, list] of owners) {
    for (let first = 0; first < list.length; first++) {
      for (let second = first + 1; second < list.length; second++) {
        const [a, b] = [list[first], list[second]] as [{ draft: GroupDraft; indices: Set<number> }, { draft: GroupDraft; indices: Set<number> }];
        if (![...a.indices].some((index) => b.indices.has(index))) continue;
        for (const draft of [a.draft, b.draft]) reasons.set(draft, [...(reasons.get(draft) ?? []), `channels of '${key}' are shared with another group`]);
      }
    }
  }
  return reasons;
}

function buildGroups(facts: GraphFacts, layers: readonly LayerInfo[], apply: (removals: ChannelRemovals) => GraphModule): ChannelGroup[] {
  const collector = new GroupCollector(facts, new CouplingTable(facts));
  const drafts: GroupDraft[] = [];
  for (const layer of layers) {
    const key = spaceKey(layer.output, layer.axis);
    if (drafts.some((draft) => draft.members.has(key))) continue;
    drafts.push(collector.collect(layer.output, layer.axis));
  }
  const overlaps = overlapReasons(drafts);
  const nodes = new Map(facts.graph.nodes.map((node) => [node.name, node]));
  return drafts.map((draft, id) => {
    const groupLayers = layers.filter((layer) => draft.members.has(spaceKey(layer.output, layer.axis)));
    return new ChannelGroup({
      id,
      size: draft.root.size,
      members: toMembers(facts, draft, nodes),
      layers: groupLayers,
      blockedReasons: [...new Set([...draft.blocked, ...(overlaps.get(draft) ?? [])])],
      partition: draft.partition,
      prune: apply,
    });
  });
}

/** Builds the dependency graph of a GraphModule (its current parameters) or a Graph. */
export function buildDependencyGraph(model: GraphModule | Graph, options: DependencyGraphOptions = {}): DependencyGraph {
  const graph = model instanceof GraphModule ? model.toGraph() : model;
  return new DependencyGraph(graph, options);
}
