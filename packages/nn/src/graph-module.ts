// GraphModule (torch.fx's idea, DESIGN §3): any IR Graph as a Module. Float initializers become
// parameters and integer/bool ones buffers, named by their initializer names (`features.0.weight`);
// forward runs the nodes in topological order through the engine's runOp, so autograd, tracing
// and backends all work on imported, traced and hand-built graphs alike.
import {
  ConfigError,
  type Graph,
  type Node,
  ShapeError,
  type TensorData,
  formatShape,
  isFloatDType,
  topologicalOrder,
  withGraph,
} from '@efficientdl/ir';
import { Tensor, runOp } from '@efficientdl/tensor';
import { Module } from './module.js';

function copyData(data: TensorData): TensorData {
  return { dtype: data.dtype, shape: [...data.shape], data: data.data.slice() as TensorData['data'] };
}

export class GraphModule extends Module<Tensor | Tensor[]> {
  readonly graph: Graph;
  private readonly order: readonly Node[];

  private constructor(graph: Graph) {
    super();
    this.graph = graph;
    this.order = topologicalOrder(graph);
    for (const [name, data] of graph.initializers) {
      const tensor = new Tensor(copyData(data));
      if (isFloatDType(data.dtype)) this.registerParameter(name, tensor);
      else this.registerBuffer(name, tensor);
    }
  }

  /** Wraps `graph` (its initializers are copied into the module's own tensors). */
  static fromGraph(graph: Graph): GraphModule {
    return new GraphModule(graph);
  }

  protected override allowsDottedNames(): boolean {
    return true;
  }

  /** The graph's outputs: one Tensor for a single-output graph, else an array in output order. */
  forward(...inputs: Tensor[]): Tensor | Tensor[] {
    const outputs = this.run(inputs);
    return outputs.length === 1 ? (outputs[0] as Tensor) : outputs;
  }

  /** Runs the graph on positional inputs (or a name → tensor map); always returns an array. */
  run(inputs: readonly Tensor[] | Readonly<Record<string, Tensor>>): Tensor[] {
    const values = this.bindInputs(inputs);
    for (const [name] of this.graph.initializers) values.set(name, (this.getParameter(name) ?? this.getBuffer(name)) as Tensor);
    for (const node of this.order) this.runNode(node, values);
    return this.graph.outputs.map((output) => {
      const value = values.get(output.name);
      if (!value) throw new ConfigError(`GraphModule '${this.graph.name}': output '${output.name}' was not computed`);
      return value;
    });
  }

  private bindInputs(inputs: readonly Tensor[] | Readonly<Record<string, Tensor>>): Map<string, Tensor> {
    const values = new Map<string, Tensor>();
    const graphInputs = this.graph.inputs.filter((input) => !this.graph.initializers.has(input.name));
    const byName = Array.isArray(inputs) ? undefined : (inputs as Readonly<Record<string, Tensor>>);
    const positional = Array.isArray(inputs) ? (inputs as readonly Tensor[]) : undefined;
    if (positional && positional.length !== graphInputs.length) {
      throw new ConfigError(
        `GraphModule '${this.graph.name}': expected ${graphInputs.length} inputs (${graphInputs.map((input) => input.name).join(', ')}), got ${positional.length}`,
      );
    }
    graphInputs.forEach((input, index) => {
      const tensor = positional ? positional[index] : byName?.[input.name];
      if (!tensor) throw new ConfigError(`GraphModule '${this.graph.name}': missing input '${input.name}'`);
      const mismatch =
        tensor.rank !== input.shape.length || input.shape.some((dim, axis) => typeof dim === 'number' && dim !== tensor.shape[axis]);
      if (mismatch || tensor.dtype !== input.dtype) {
        throw new ShapeError(
          `GraphModule '${this.graph.name}': input '${input.name}' is ${tensor.dtype}${formatShape(tensor.shape)}, graph declares ${input.dtype}${formatShape(input.shape)}`,
          { input: input.name },
        );
      }
      values.set(input.name, tensor);
    });
    return values;
  }

  private runNode(node: Node, values: Map<string, Tensor>): void {
    const inputs = node.inputs.map((name) => {
      if (name === '') return undefined;
      const value = values.get(name);
      if (!value) throw new ConfigError(`GraphModule: node '${node.name}' (${node.op}) reads '${name}', which has no value`, { node: node.name });
      return value;
    });
    const outputs = runOp(node.op, inputs, node.attrs, { domain: node.domain, outputCount: node.outputs.length, name: node.name });
    node.outputs.forEach((name, index) => {
      const output = outputs[index];
      if (name !== '' && output) values.set(name, output);
    });
  }

  /** The graph with initializers replaced by the module's current parameter and buffer values. */
  toGraph(): Graph {
    const initializers = new Map<string, TensorData>();
    for (const [name] of this.graph.initializers) {
      const tensor = (this.getParameter(name) ?? this.getBuffer(name)) as Tensor;
      initializers.set(name, copyData(tensor.data));
    }
    return withGraph(this.graph, { initializers });
  }

  override describe(): string {
    return `GraphModule('${this.graph.name}', ${this.graph.nodes.length} nodes)`;
  }
}
