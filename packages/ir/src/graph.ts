// Graph, Node, Value: the shared model representation (ONNX-aligned). Immutable by convention:
// passes build new graphs. Value names for weights are the dotted parameter names of nn modules.
import type { DType } from './dtype.js';
import { GraphError } from './errors.js';
import type { Attributes } from './op-schema.js';
import type { Shape } from './shape.js';
import type { TensorData } from './tensor-data.js';

export interface Node {
  readonly name: string;
  readonly op: string;
  /** '' = ONNX default domain. */
  readonly domain: string;
  /** Value names; '' marks an omitted optional input. */
  readonly inputs: readonly string[];
  readonly outputs: readonly string[];
  readonly attrs: Attributes;
}

export interface Value {
  readonly name: string;
  readonly dtype: DType;
  readonly shape: Shape;
}

export interface Graph {
  readonly name: string;
  readonly nodes: readonly Node[];
  readonly inputs: readonly Value[];
  readonly outputs: readonly Value[];
  /** Weights and constants, keyed by value name (e.g. 'features.0.weight'). */
  readonly initializers: ReadonlyMap<string, TensorData>;
  /** Inferred types of intermediate values (filled by inferShapes). */
  readonly valueInfo: ReadonlyMap<string, Value>;
  /** Opset per domain, e.g. { '': 21, 'ai.efficientdl': 1 }. */
  readonly opsets: Readonly<Record<string, number>>;
}

export interface GraphInit {
  name?: string;
  nodes: readonly NodeInit[];
  inputs: readonly Value[];
  outputs: readonly Value[];
  initializers?: ReadonlyMap<string, TensorData> | Readonly<Record<string, TensorData>>;
  valueInfo?: ReadonlyMap<string, Value>;
  opsets?: Readonly<Record<string, number>>;
}

export interface NodeInit {
  name?: string;
  op: string;
  domain?: string;
  inputs: readonly string[];
  outputs: readonly string[];
  attrs?: Attributes;
}

export const DEFAULT_OPSETS: Readonly<Record<string, number>> = { '': 21, 'ai.efficientdl': 1 };

/** Creates a Graph from plain data, naming unnamed nodes `${op}_${index}`. */
export function createGraph(init: GraphInit): Graph {
  const initializers =
    init.initializers instanceof Map
      ? new Map(init.initializers)
      : new Map(Object.entries((init.initializers ?? {}) as Record<string, TensorData>));
  const nodes = init.nodes.map(
    (node, index): Node => ({
      name: node.name ?? `${node.op}_${index}`,
      op: node.op,
      domain: node.domain ?? '',
      inputs: [...node.inputs],
      outputs: [...node.outputs],
      attrs: { ...(node.attrs ?? {}) },
    }),
  );
  return {
    name: init.name ?? 'graph',
    nodes,
    inputs: [...init.inputs],
    outputs: [...init.outputs],
    initializers,
    valueInfo: new Map(init.valueInfo ?? []),
    opsets: { ...DEFAULT_OPSETS, ...(init.opsets ?? {}) },
  };
}

/** Returns a copy of `graph` with some fields replaced. */
export function withGraph(graph: Graph, changes: Partial<Graph>): Graph {
  return { ...graph, ...changes };
}

/** Map from value name to the node producing it; duplicate producers are a GraphError. */
export function producers(graph: Graph): Map<string, Node> {
  const map = new Map<string, Node>();
  const sources = new Set<string>([...graph.inputs.map((value) => value.name), ...graph.initializers.keys()]);
  for (const node of graph.nodes) {
    for (const output of node.outputs) {
      if (output === '') continue;
      if (map.has(output) || sources.has(output)) {
        throw new GraphError(`value '${output}' is produced twice (node '${node.name}')`, {
          node: node.name,
          op: node.op,
          value: output,
        });
      }
      map.set(output, node);
    }
  }
  return map;
}

/** Map from value name to the nodes consuming it. */
export function consumers(graph: Graph): Map<string, Node[]> {
  const map = new Map<string, Node[]>();
  for (const node of graph.nodes) {
    for (const input of node.inputs) {
      if (input === '') continue;
      const list = map.get(input) ?? [];
      list.push(node);
      map.set(input, list);
    }
  }
  return map;
}

/**
 * Kahn's algorithm, stable with respect to the stored node order. Throws GraphError for
 * dangling inputs (naming node and value) and cycles (naming the nodes left in the cycle).
 */
export function topologicalOrder(graph: Graph): Node[] {
  const produced = producers(graph);
  const available = new Set<string>([...graph.inputs.map((value) => value.name), ...graph.initializers.keys()]);
  const pending = new Map<Node, number>();
  const waiting = new Map<string, Node[]>();
  for (const node of graph.nodes) {
    let count = 0;
    for (const input of new Set(node.inputs)) {
      if (input === '' || available.has(input)) continue;
      if (!produced.has(input)) {
        throw new GraphError(`node '${node.name}' (${node.op}) reads '${input}', which no node, input or initializer provides`, {
          node: node.name,
          op: node.op,
          value: input,
        });
      }
      count++;
      const list = waiting.get(input) ?? [];
      list.push(node);
      waiting.set(input, list);
    }
    pending.set(node, count);
  }
  const order: Node[] = [];
  const ready = graph.nodes.filter((node) => pending.get(node) === 0);
  const position = new Map(graph.nodes.map((node, index) => [node, index]));
  while (ready.length > 0) {
    ready.sort((a, b) => (position.get(a) as number) - (position.get(b) as number));
    const node = ready.shift() as Node;
    order.push(node);
    for (const output of node.outputs) {
      for (const consumer of waiting.get(output) ?? []) {
        const remaining = (pending.get(consumer) as number) - 1;
        pending.set(consumer, remaining);
        if (remaining === 0) ready.push(consumer);
      }
    }
  }
  if (order.length !== graph.nodes.length) {
    const stuck = graph.nodes.filter((node) => !order.includes(node)).map((node) => node.name);
    throw new GraphError(`graph '${graph.name}' has a cycle through nodes ${stuck.join(', ')}`, { nodes: stuck });
  }
  return order;
}
