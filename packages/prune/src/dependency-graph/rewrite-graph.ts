// Physically removes channels from a Graph: slices every coupled initializer (and Constant
// node), fixes the attributes and shape constants the removal invalidates (depthwise Conv
// `group`, Reshape target shapes, Split sizes) and re-infers every intermediate value's shape.
// The result is validated by shape inference, so an inconsistent removal throws a ShapeError.
import {
  type Graph,
  type Node,
  type TensorData,
  fromNumbers,
  inferShapes,
  toNumberArray,
} from '@efficientdl/ir';
import type { GraphFacts } from './graph-facts.js';
import { complement, keepAlongAxis } from './slice-tensor.js';

/** value name → axis → removed indices. */
export type ChannelRemovals = ReadonlyMap<string, ReadonlyMap<number, ReadonlySet<number>>>;

function removedCount(removals: ChannelRemovals, value: string, axis: number): number {
  return removals.get(value)?.get(axis)?.size ?? 0;
}

function sliceAll(tensor: TensorData, byAxis: ReadonlyMap<number, ReadonlySet<number>>): TensorData {
  let result = tensor;
  for (const [axis, removed] of byAxis) result = keepAlongAxis(result, axis, complement(result.shape[axis] as number, removed));
  return result;
}

interface RewriteState {
  facts: GraphFacts;
  removals: ChannelRemovals;
  initializers: Map<string, TensorData>;
  usedNames: Set<string>;
}

/** Stores a replacement constant for input `index` of `node`, under a fresh name if it is shared. */
function replaceConstant(state: RewriteState, node: Node, index: number, value: TensorData): Node {
  const name = node.inputs[index] as string;
  const shared = (state.facts.consumers.get(name) ?? []).length > 1 || !state.facts.graph.initializers.has(name);
  let target = name;
  if (shared) {
    target = `${node.name}_pruned_${index}`;
    for (let suffix = 1; state.usedNames.has(target); suffix++) target = `${node.name}_pruned_${index}_${suffix}`;
    state.usedNames.add(target);
  }
  state.initializers.set(target, value);
  const inputs = [...node.inputs];
  inputs[index] = target;
  return { ...node, inputs };
}

function rewriteConv(state: RewriteState, node: Node): Node {
  const group = Number(node.attrs.group ?? 1);
  const channels = state.facts.shapes.get(node.inputs[0] as string)?.[1];
  if (group === 1 || group !== channels) return node;
  return { ...node, attrs: { ...node.attrs, group: channels - removedCount(state.removals, node.inputs[0] as string, 1) } };
}

function rewriteReshape(state: RewriteState, node: Node): Node {
  const output = node.outputs[0] as string;
  const shape = state.facts.constants.get(node.inputs[1] ?? '');
  if (!shape || !state.removals.has(output)) return node;
  const entries = Array.from(toNumberArray(shape)).map((entry, axis) => (entry > 0 ? entry - removedCount(state.removals, output, axis) : entry));
  return replaceConstant(state, node, 1, fromNumbers('int64', shape.shape, entries));
}

function rewriteSplit(state: RewriteState, node: Node): Node {
  const source = node.inputs[0] as string;
  const byAxis = state.removals.get(source);
  if (!byAxis) return node;
  const shape = state.facts.shapes.get(source) ?? [];
  const axis = ((Number(node.attrs.axis ?? 0) % shape.length) + shape.length) % shape.length;
  if (!byAxis.has(axis)) return node;
  const sizes = node.outputs.map((name) => (state.facts.shapes.get(name)?.[axis] ?? 0) - removedCount(state.removals, name, axis));
  const rewritten = replaceConstant(state, { ...node, inputs: [source, node.inputs[1] ?? ''] }, 1, fromNumbers('int64', [sizes.length], sizes));
  const { num_outputs: _dropped, ...attrs } = rewritten.attrs as Record<string, unknown>;
  return { ...rewritten, attrs: attrs as Node['attrs'] };
}

function rewriteConstantNode(state: RewriteState, node: Node): Node {
  const byAxis = state.removals.get(node.outputs[0] ?? '');
  const value = state.facts.constants.get(node.outputs[0] ?? '');
  if (!byAxis || !value) return node;
  return { ...node, attrs: { value: sliceAll(value, byAxis) } };
}

function rewriteNode(state: RewriteState, node: Node): Node {
  if (node.domain !== '') return node;
  switch (node.op) {
    case 'Conv':
      return rewriteConv(state, node);
    case 'Reshape':
      return rewriteReshape(state, node);
    case 'Split':
      return rewriteSplit(state, node);
    case 'Constant':
      return rewriteConstantNode(state, node);
    default:
      return node;
  }
}

/** A new Graph with `removals` applied: valueInfo re-inferred for every intermediate value; graph inputs and outputs keep their declared types. */
export function removeChannels(facts: GraphFacts, removals: ChannelRemovals): Graph {
  const graph = facts.graph;
  const initializers = new Map<string, TensorData>();
  for (const [name, tensor] of graph.initializers) {
    const byAxis = removals.get(name);
    initializers.set(name, byAxis ? sliceAll(tensor, byAxis) : tensor);
  }
  const usedNames = new Set<string>([...graph.initializers.keys(), ...graph.nodes.flatMap((node) => node.outputs), ...graph.inputs.map((value) => value.name)]);
  const state: RewriteState = { facts, removals, initializers, usedNames };
  const nodes = graph.nodes.map((node) => rewriteNode(state, node));
  const inferred = inferShapes({ ...graph, nodes, initializers, valueInfo: new Map() });
  return { ...inferred, outputs: graph.outputs };
}
