// K-means weight sharing as a graph rewrite: each clustered weight initializer W becomes
//   W = Gather(W.codebook, W.indices)                          (dense layer)
//   W = Gather(W.codebook, W.indices) · Cast(W.keep → float)   (pruned layer: zeros stay 0)
// with W.codebook a float32 initializer (a trainable parameter of a GraphModule), W.indices int32
// and W.keep bool (buffers). Consumers still read the value 'W', so the rest of the graph is
// untouched. Gather's gradient scatter-adds, so dLoss/dcodebook[k] = Σ_{i: index i = k} dLoss/dW[i]:
// Deep Compression's centroid fine-tuning falls out of autograd. bakeKmeans undoes the rewrite.
import { GraphError, type Graph, type NodeInit, type TensorData, createGraph, onnxDataType } from '@efficientdl/ir';
import { type KmeansLayer, decodeKmeansLayer } from './kmeans-layer.js';

/** Initializer names the rewrite of weight `name` uses. */
export function kmeansNames(name: string): { codebook: string; indices: string; keep: string; shared: string; keepFloat: string } {
  return {
    codebook: `${name}.codebook`,
    indices: `${name}.indices`,
    keep: `${name}.keep`,
    shared: `${name}.shared`,
    keepFloat: `${name}.keep_float`,
  };
}

function rewriteNodes(layer: KmeansLayer): NodeInit[] {
  const names = kmeansNames(layer.name);
  if (!layer.keep) return [{ name: `${layer.name}/kmeans_gather`, op: 'Gather', inputs: [names.codebook, names.indices], outputs: [layer.name], attrs: { axis: 0 } }];
  return [
    { name: `${layer.name}/kmeans_gather`, op: 'Gather', inputs: [names.codebook, names.indices], outputs: [names.shared], attrs: { axis: 0 } },
    { name: `${layer.name}/kmeans_keep`, op: 'Cast', inputs: [names.keep], outputs: [names.keepFloat], attrs: { to: onnxDataType('float32') } },
    { name: `${layer.name}/kmeans_mask`, op: 'Mul', inputs: [names.shared, names.keepFloat], outputs: [layer.name] },
  ];
}

function layerInitializers(layer: KmeansLayer): [string, TensorData][] {
  const names = kmeansNames(layer.name);
  const entries: [string, TensorData][] = [
    [names.codebook, { dtype: 'float32', shape: [layer.codebook.length], data: layer.codebook.slice() }],
    [names.indices, { dtype: 'int32', shape: [...layer.shape], data: Int32Array.from(layer.indices) }],
  ];
  if (layer.keep) entries.push([names.keep, { dtype: 'bool', shape: [...layer.shape], data: layer.keep.slice() }]);
  return entries;
}

/** The graph with each layer's weight replaced by its shared-weight subgraph (see the header). */
export function kmeansGraph(graph: Graph, layers: readonly KmeansLayer[]): Graph {
  const initializers = new Map(graph.initializers);
  const taken = new Set([...initializers.keys(), ...graph.nodes.flatMap((node) => node.outputs)]);
  const added: NodeInit[] = [];
  for (const layer of layers) {
    if (!initializers.delete(layer.name)) throw new GraphError(`k-means: '${layer.name}' is not an initializer of graph '${graph.name}'`, { value: layer.name });
    for (const [name, data] of layerInitializers(layer)) {
      if (taken.has(name)) throw new GraphError(`k-means: graph '${graph.name}' already has a value '${name}'`, { value: name });
      initializers.set(name, data);
    }
    added.push(...rewriteNodes(layer));
  }
  const clustered = new Set(layers.map((layer) => layer.name));
  return createGraph({
    name: graph.name,
    nodes: [...added, ...graph.nodes],
    inputs: graph.inputs.filter((value) => !clustered.has(value.name)),
    outputs: graph.outputs,
    initializers,
    valueInfo: graph.valueInfo,
    opsets: graph.opsets,
  });
}

/** Undoes kmeansGraph: each weight becomes a plain float32 initializer again (codebook[index], zeros kept). */
export function bakeKmeans(graph: Graph, layers: readonly KmeansLayer[]): Graph {
  const initializers = new Map(graph.initializers);
  const rewriteNodeNames = new Set<string>();
  for (const layer of layers) {
    const names = kmeansNames(layer.name);
    for (const name of [names.codebook, names.indices, names.keep]) initializers.delete(name);
    initializers.set(layer.name, decodeKmeansLayer(layer));
    for (const node of rewriteNodes(layer)) rewriteNodeNames.add(node.name as string);
  }
  return createGraph({
    name: graph.name,
    nodes: graph.nodes.filter((node) => !rewriteNodeNames.has(node.name)),
    inputs: graph.inputs,
    outputs: graph.outputs,
    initializers,
    valueInfo: graph.valueInfo,
    opsets: graph.opsets,
  });
}

/** The layers with their codebooks replaced by the current values in `codebooks` (after fine-tuning). */
export function withCodebooks(layers: readonly KmeansLayer[], codebook: (name: string) => Float32Array | undefined): KmeansLayer[] {
  return layers.map((layer) => {
    const current = codebook(kmeansNames(layer.name).codebook);
    if (!current) throw new GraphError(`k-means: no codebook '${kmeansNames(layer.name).codebook}' for weight '${layer.name}'`);
    return { ...layer, codebook: current.slice() };
  });
}
