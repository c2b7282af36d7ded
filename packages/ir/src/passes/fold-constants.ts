// Constant folding: evaluates every node whose inputs are all known (initializers, Constant
// outputs, earlier folded values) through the given Backend, and turns its outputs into
// initializers. Initializers only the folded nodes read are dropped.
import type { Backend } from '../backend.js';
import type { DType } from '../dtype.js';
import type { Graph, Node } from '../graph.js';
import { topologicalOrder } from '../graph.js';
import { constantNodeValue } from '../graph-inference.js';
import { resolveAttributes } from '../op-schema.js';
import { getOpSchema } from '../registry.js';
import type { TensorData } from '../tensor-data.js';

export interface FoldConstantsOptions {
  /** Evaluates the foldable nodes (e.g. the CPU backend). */
  backend: Backend<unknown>;
  /** Ops never folded (random or side-effecting ops). Defaults to Dropout. */
  skipOps?: readonly string[];
}

function evaluate(node: Node, inputs: (TensorData | undefined)[], options: FoldConstantsOptions): TensorData[] | undefined {
  const { backend } = options;
  if (node.op === 'Constant' && node.domain === '') {
    const value = constantNodeValue(node.attrs);
    return value ? [value] : undefined;
  }
  const dtypes = inputs.filter((value): value is TensorData => value !== undefined).map((value) => value.dtype as DType);
  if (!backend.supports(node.op, dtypes, node.domain)) return undefined;
  const schema = getOpSchema(node.op, node.domain, node.name);
  const attrs = resolveAttributes(schema, node.attrs, node.name);
  const storage = inputs.map((value) => (value ? backend.upload(value) : undefined));
  const results = backend.run({ op: node.op, domain: node.domain, name: node.name, attrs }, storage, node.outputs.length);
  return results.map((result) => backend.download(result));
}

/** Folds constant subgraphs into initializers. */
export function foldConstants(graph: Graph, options: FoldConstantsOptions): Graph {
  const skip = new Set(options.skipOps ?? ['Dropout']);
  const known = new Map(graph.initializers);
  const folded = new Set<Node>();
  for (const node of topologicalOrder(graph)) {
    if (skip.has(node.op)) continue;
    const names = node.inputs;
    if (names.some((name) => name !== '' && !known.has(name))) continue;
    const outputs = evaluate(
      node,
      names.map((name) => (name === '' ? undefined : known.get(name))),
      options,
    );
    if (!outputs) continue;
    node.outputs.forEach((name, index) => {
      const value = outputs[index];
      if (name !== '' && value) known.set(name, value);
    });
    folded.add(node);
  }
  if (folded.size === 0) return graph;
  const nodes = graph.nodes.filter((node) => !folded.has(node));
  const used = new Set([...nodes.flatMap((node) => node.inputs), ...graph.outputs.map((value) => value.name)]);
  const initializers = new Map([...known].filter(([name]) => used.has(name) || (graph.initializers.has(name) && !readByFolded(name, folded))));
  const valueInfo = new Map([...graph.valueInfo].filter(([name]) => !initializers.has(name)));
  return { ...graph, nodes, initializers, valueInfo };
}

function readByFolded(name: string, folded: ReadonlySet<Node>): boolean {
  for (const node of folded) if (node.inputs.includes(name)) return true;
  return false;
}
