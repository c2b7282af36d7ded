// Scores the root channels of channel groups with an importance criterion: per coupled
// parameter member, per-index sums along its coupled axis, gathered through the member's
// mapping onto the root channels (a channel's score sums every slice it would remove).
import { ConfigError, type Graph, type TensorData, shapeSize, toNumberArray } from '@efficientdl/ir';
import { GraphModule, crossEntropy } from '@efficientdl/nn';
import { Generator, type Tensor } from '@efficientdl/tensor';
import type { ParameterRole } from '../dependency-graph/coupling-types.js';
import type { ChannelGroup } from '../dependency-graph/channel-group.js';
import type { Importance, TaylorImportance } from './importance.js';

/** Σ f(x) over every slice index of `axis`. */
export function axisSums(values: ArrayLike<number>, shape: readonly number[], axis: number, f: (value: number) => number): Float64Array {
  const outer = shapeSize(shape.slice(0, axis));
  const size = shape[axis] as number;
  const inner = shapeSize(shape.slice(axis + 1));
  const sums = new Float64Array(size);
  for (let block = 0; block < outer; block++) {
    for (let index = 0; index < size; index++) {
      const start = (block * size + index) * inner;
      let total = 0;
      for (let offset = 0; offset < inner; offset++) total += f(values[start + offset] as number);
      sums[index] = (sums[index] as number) + total;
    }
  }
  return sums;
}

const ROLES: Record<Exclude<Importance['kind'], 'random'>, readonly ParameterRole[]> = {
  magnitude: ['weight', 'bias'],
  'bn-scale': ['norm-scale'],
  taylor: ['weight', 'bias', 'norm-scale', 'norm-shift'],
};

type ValuesOf = (name: string) => { values: ArrayLike<number>; shape: readonly number[] } | undefined;

/** Σ over members with one of `roles` of the member's per-index sums, per root channel. */
function gatherScores(group: ChannelGroup, roles: readonly ParameterRole[], valuesOf: ValuesOf, f: (value: number) => number): Float64Array {
  const scores = new Float64Array(group.size);
  let used = 0;
  for (const member of group.members) {
    if (member.kind === 'activation' || !member.roles.some((role) => roles.includes(role))) continue;
    const tensor = valuesOf(member.value);
    if (!tensor) continue;
    used++;
    const sums = axisSums(tensor.values, tensor.shape, member.axis, f);
    member.mapping.forEach((indices, root) => {
      for (const index of indices) scores[root] = (scores[root] as number) + (sums[index] as number);
    });
  }
  if (used === 0) {
    throw new ConfigError(`importance needs a ${roles.join('/')} parameter coupled to group '${group.name}', which has none (ignore the layer or use another importance)`, {
      group: group.name,
    });
  }
  return scores;
}

function constantValues(graph: Graph): ValuesOf {
  return (name) => {
    const tensor: TensorData | undefined = graph.initializers.get(name);
    return tensor ? { values: toNumberArray(tensor), shape: tensor.shape } : undefined;
  };
}

/** |w · g| per element, with g the loss gradient summed over the batches. */
function taylorValues(graph: Graph, importance: TaylorImportance): ValuesOf {
  if (importance.batches.length === 0) throw new ConfigError('taylor importance needs at least one batch');
  const module = GraphModule.fromGraph(graph);
  const loss = importance.loss ?? ((output: Tensor, targets: Tensor) => crossEntropy(output, targets));
  for (const batch of importance.batches) {
    const output = module.forward(...batch.inputs);
    loss(Array.isArray(output) ? (output[0] as Tensor) : output, batch.targets).backward();
  }
  return (name) => {
    const parameter = module.getParameter(name);
    if (!parameter) return undefined;
    const weights = toNumberArray(parameter.data);
    const gradient = parameter.grad ? toNumberArray(parameter.grad.data) : new Float64Array(weights.length);
    return { values: weights.map((weight, index) => weight * (gradient[index] as number)), shape: parameter.shape };
  };
}

/** Scores every root channel of each group (higher = more important). */
export function scoreGroups(options: { groups: readonly ChannelGroup[]; graph: Graph; importance: Importance }): Map<ChannelGroup, Float64Array> {
  const { groups, graph, importance } = options;
  const scores = new Map<ChannelGroup, Float64Array>();
  if (importance.kind === 'random') {
    const generator = new Generator(importance.seed);
    for (const group of groups) scores.set(group, Float64Array.from({ length: group.size }, () => generator.random()));
    return scores;
  }
  const valuesOf = importance.kind === 'taylor' ? taylorValues(graph, importance) : constantValues(graph);
  const p = importance.kind === 'magnitude' ? importance.p : 1;
  for (const group of groups) {
    const sums = gatherScores(group, ROLES[importance.kind], valuesOf, (value) => Math.abs(value) ** p);
    scores.set(group, p === 1 ? sums : sums.map((sum) => sum ** (1 / p)));
  }
  return scores;
}
