// runGraph: executes an IR Graph node by node through the engine (runOp), so traced, imported and
// hand-built graphs run on the active backend with autograd. nn's GraphModule builds on it.
import {
  ConfigError,
  DTypeError,
  type Graph,
  GraphError,
  type Node,
  ShapeError,
  type TensorData,
  type Value,
  formatShape,
  topologicalOrder,
} from '@efficientdl/ir';
import { runOp } from './engine.js';
import { Tensor } from './tensor.js';

export interface RunGraphOptions {
  /**
   * Tensors to use for initializers by name (e.g. a GraphModule's parameters, so gradients reach
   * them); initializers not listed are wrapped from graph.initializers.
   */
  initializers?: ReadonlyMap<string, Tensor> | Readonly<Record<string, Tensor>>;
}

function toMap<T>(source: ReadonlyMap<string, T> | Readonly<Record<string, T>> | undefined): ReadonlyMap<string, T> {
  if (source === undefined) return new Map();
  return source instanceof Map ? source : new Map(Object.entries(source as Record<string, T>));
}

/** Checks a feed against the declared input type, binding symbolic dims consistently. */
function checkFeed(graph: Graph, value: Value, tensor: Tensor, symbols: Map<string, number>): void {
  const where = `graph '${graph.name}' input '${value.name}'`;
  if (tensor.dtype !== value.dtype) {
    throw new DTypeError(`${where} expects ${value.dtype}, got ${tensor.dtype}${formatShape(tensor.shape)}`, {
      graph: graph.name,
      value: value.name,
    });
  }
  const mismatch = () =>
    new ShapeError(`${where} expects shape ${formatShape(value.shape)}, got ${formatShape(tensor.shape)}`, {
      graph: graph.name,
      value: value.name,
    });
  if (tensor.rank !== value.shape.length) throw mismatch();
  value.shape.forEach((dim, axis) => {
    const actual = tensor.shape[axis] as number;
    if (typeof dim === 'number') {
      if (dim !== actual) throw mismatch();
      return;
    }
    const bound = symbols.get(dim);
    if (bound !== undefined && bound !== actual) {
      throw new ShapeError(`${where}: symbolic dim '${dim}' is ${actual} here but ${bound} in an earlier input`, {
        graph: graph.name,
        value: value.name,
      });
    }
    symbols.set(dim, actual);
  });
}

function bindSources(
  graph: Graph,
  feeds: Readonly<Record<string, Tensor | TensorData>>,
  options: RunGraphOptions,
): Map<string, Tensor> {
  const environment = new Map<string, Tensor>();
  const declared = new Set(graph.inputs.map((value) => value.name));
  for (const name of Object.keys(feeds)) {
    if (!declared.has(name)) {
      throw new ConfigError(`graph '${graph.name}' has no input '${name}' (inputs: ${[...declared].join(', ')})`, {
        graph: graph.name,
        value: name,
      });
    }
  }
  const overrides = toMap(options.initializers);
  for (const [name, data] of graph.initializers) environment.set(name, overrides.get(name) ?? new Tensor(data));
  const symbols = new Map<string, number>();
  for (const value of graph.inputs) {
    const feed = feeds[value.name];
    if (feed === undefined) {
      throw new ConfigError(`graph '${graph.name}': input '${value.name}' was not fed`, { graph: graph.name, value: value.name });
    }
    const tensor = feed instanceof Tensor ? feed : new Tensor(feed);
    checkFeed(graph, value, tensor, symbols);
    environment.set(value.name, tensor);
  }
  return environment;
}

/** How many nodes read each value; outputs are pinned so they are never released. */
function countUses(graph: Graph, order: readonly Node[]): Map<string, number> {
  const uses = new Map<string, number>();
  for (const node of order) for (const input of node.inputs) if (input !== '') uses.set(input, (uses.get(input) ?? 0) + 1);
  for (const output of graph.outputs) uses.set(output.name, Number.POSITIVE_INFINITY);
  return uses;
}

function runNode(node: Node, environment: Map<string, Tensor>): Tensor[] {
  const inputs = node.inputs.map((name) => {
    if (name === '') return undefined;
    const tensor = environment.get(name);
    if (tensor === undefined) {
      throw new GraphError(`node '${node.name}' (${node.op}) reads '${name}', which is not available`, {
        node: node.name,
        op: node.op,
        value: name,
      });
    }
    return tensor;
  });
  let outputCount = node.outputs.length;
  while (outputCount > 1 && node.outputs[outputCount - 1] === '') outputCount--;
  return runOp(node.op, inputs, node.attrs, { domain: node.domain, outputCount, name: node.name });
}

/**
 * Executes `graph` on `feeds` (one per graph input) and returns its outputs keyed by name
 * (graph.outputs gives their order). Intermediates are released after their last use.
 */
export function runGraph(
  graph: Graph,
  feeds: Readonly<Record<string, Tensor | TensorData>>,
  options: RunGraphOptions = {},
): Record<string, Tensor> {
  const environment = bindSources(graph, feeds, options);
  const order = topologicalOrder(graph);
  const uses = countUses(graph, order);
  for (const node of order) {
    const outputs = runNode(node, environment);
    node.outputs.forEach((name, index) => {
      const tensor = outputs[index];
      if (name !== '' && tensor !== undefined) environment.set(name, tensor);
    });
    for (const input of node.inputs) {
      const remaining = (uses.get(input) ?? 0) - 1;
      uses.set(input, remaining);
      if (remaining === 0) environment.delete(input);
    }
  }
  return Object.fromEntries(
    graph.outputs.map((value) => {
      const tensor = environment.get(value.name);
      if (tensor === undefined) {
        throw new GraphError(`graph '${graph.name}': output '${value.name}' is not produced`, { graph: graph.name, value: value.name });
      }
      return [value.name, tensor];
    }),
  );
}
