// The quantizable weights of a graph: float initializers read as the weight operand of Conv,
// ConvTranspose, Gemm (B) or MatMul (B), with the axis of their output channels. K-means, QAT,
// weight-only and mixed precision all pick their layers with this.
import { ConfigError, type Graph, type Node, type TensorData, isFloatDType } from '@efficientdl/ir';

export interface LayerWeight {
  /** Initializer name (the nn parameter name, e.g. 'features.0.weight'). */
  name: string;
  /** The node that reads it. */
  node: Node;
  /** Position of the weight among the node's inputs. */
  inputIndex: number;
  /** Axis of output channels: 0 for Conv and Gemm with transB=1, 1 for ConvTranspose and (K, N) weights. */
  channelAxis: number;
  data: TensorData;
}

function weightAxis(node: Node, data: TensorData): number | undefined {
  if (node.op === 'Conv') return 0;
  if (node.op === 'ConvTranspose') return 1;
  if (node.op === 'Gemm') return node.attrs.transB === 1 ? 0 : 1;
  if (node.op === 'MatMul' && data.shape.length === 2) return 1;
  return undefined;
}

/** Every (node, weight) pair of the graph's Conv / ConvTranspose / Gemm / MatMul nodes, in node order. */
export function findLayerWeights(graph: Graph): LayerWeight[] {
  const found: LayerWeight[] = [];
  for (const node of graph.nodes) {
    if (node.domain !== '') continue;
    const name = node.inputs[1];
    const data = name ? graph.initializers.get(name) : undefined;
    if (!name || !data || !isFloatDType(data.dtype)) continue;
    const channelAxis = weightAxis(node, data);
    if (channelAxis !== undefined) found.push({ name, node, inputIndex: 1, channelAxis, data });
  }
  return found;
}

/**
 * The layer weights named in `names` (all of them when undefined); a name that is not a layer
 * weight, or a weight read by more than one node, is a ConfigError.
 */
export function selectLayerWeights(graph: Graph, names: readonly string[] | undefined, what: string): LayerWeight[] {
  const all = findLayerWeights(graph);
  const byName = new Map<string, LayerWeight[]>();
  for (const weight of all) byName.set(weight.name, [...(byName.get(weight.name) ?? []), weight]);
  const wanted = names ?? [...byName.keys()];
  return wanted.map((name) => {
    const entries = byName.get(name);
    if (!entries) {
      throw new ConfigError(`${what}: '${name}' is not the weight of a Conv/Gemm/MatMul node (weights: ${[...byName.keys()].join(', ')})`, { name });
    }
    if (entries.length > 1) {
      throw new ConfigError(`${what}: weight '${name}' is shared by ${entries.length} nodes (${entries.map((entry) => entry.node.name).join(', ')})`, { name });
    }
    return entries[0] as LayerWeight;
  });
}
