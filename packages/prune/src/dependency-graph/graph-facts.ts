// What the dependency graph needs to know about a Graph: static shapes of every value (graph
// inputs bound to the example inputs' shapes, else symbolic dims bound to 1), constant values
// (initializers and Constant nodes), producers and consumers.
import {
  ConfigError,
  type Graph,
  type Node,
  type TensorData,
  type Value,
  constantNodeValue,
  consumers,
  formatShape,
  inferValueTypes,
  isStaticShape,
  producers,
  topologicalOrder,
} from '@efficientdl/ir';

export interface GraphFacts {
  readonly graph: Graph;
  readonly shapes: ReadonlyMap<string, readonly number[]>;
  readonly constants: ReadonlyMap<string, TensorData>;
  readonly producers: ReadonlyMap<string, Node>;
  readonly consumers: ReadonlyMap<string, readonly Node[]>;
  readonly order: readonly Node[];
  readonly inputNames: ReadonlySet<string>;
  readonly outputNames: ReadonlySet<string>;
}

/** Anything with a static shape (a Tensor or TensorData). */
export interface ShapedExample {
  readonly shape: readonly number[];
}

function boundInputs(graph: Graph, examples: readonly ShapedExample[] | undefined): Value[] {
  const inputs = graph.inputs.filter((value) => !graph.initializers.has(value.name));
  if (examples && examples.length !== inputs.length) {
    throw new ConfigError(`exampleInputs: graph '${graph.name}' has ${inputs.length} inputs, got ${examples.length} example inputs`);
  }
  return inputs.map((value, index) => {
    const example = examples?.[index];
    if (!example) return { ...value, shape: value.shape.map((dim) => (typeof dim === 'number' ? dim : 1)) };
    const fits = example.shape.length === value.shape.length && value.shape.every((dim, axis) => typeof dim !== 'number' || dim === example.shape[axis]);
    if (!fits) {
      throw new ConfigError(`exampleInputs[${index}] ${formatShape(example.shape)} does not fit graph input '${value.name}' ${formatShape(value.shape)}`, {
        input: value.name,
      });
    }
    return { ...value, shape: [...example.shape] };
  });
}

export function graphFacts(graph: Graph, examples?: readonly ShapedExample[]): GraphFacts {
  const bound: Graph = { ...graph, inputs: boundInputs(graph, examples), valueInfo: new Map() };
  const shapes = new Map<string, readonly number[]>();
  for (const [name, info] of inferValueTypes(bound)) if (isStaticShape(info.shape)) shapes.set(name, info.shape);
  const constants = new Map<string, TensorData>(graph.initializers);
  for (const node of graph.nodes) {
    const value = node.op === 'Constant' && node.domain === '' ? constantNodeValue(node.attrs) : undefined;
    if (value && node.outputs[0]) constants.set(node.outputs[0], value);
  }
  return {
    graph,
    shapes,
    constants,
    producers: producers(graph),
    consumers: consumers(graph),
    order: topologicalOrder(graph),
    inputNames: new Set(graph.inputs.map((value) => value.name).filter((name) => !graph.initializers.has(name))),
    outputNames: new Set(graph.outputs.map((value) => value.name)),
  };
}
