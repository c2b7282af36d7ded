// backend-cpu's compile(graph): a planned graph (plan.ts) that runs its steps synchronously,
// checking the feeds against the graph's inputs (dtype, rank, static and symbolic dims) first.
// Outputs are fresh host tensors (values left in the WebAssembly memory are copied out).
// run() is the ir CompiledGraph contract (a Promise); runSync() is the same without one.
import {
  type Backend,
  type CompiledGraph,
  ConfigError,
  DTypeError,
  type Graph,
  ShapeError,
  type TensorData,
  type Value,
  formatShape,
} from '@efficientdl/ir';
import { getWasmRuntime } from '../../wasm/wasm-runtime.js';
import { type Plan, planGraph } from './plan.js';
import { ValueStore } from './value-store.js';

export class CpuCompiledGraph implements CompiledGraph {
  private readonly plan: Plan;
  private disposed = false;

  constructor(graph: Graph, backend: Backend<TensorData>) {
    this.plan = planGraph(graph, backend, { wasm: getWasmRuntime() !== undefined });
  }

  /** How the graph was planned: one entry per step (its kind and the values it writes). */
  describe(): string[] {
    return this.plan.steps.map((step) => `${step.kind}: ${step.inputs.join(', ')} → ${step.outputs.join(', ')}`);
  }

  run(feeds: Readonly<Record<string, TensorData>>): Promise<Record<string, TensorData>> {
    try {
      return Promise.resolve(this.runSync(feeds));
    } catch (error) {
      return Promise.reject(error);
    }
  }

  runSync(feeds: Readonly<Record<string, TensorData>>): Record<string, TensorData> {
    const { graph, steps } = this.plan;
    if (this.disposed) throw new ConfigError(`compiled graph '${graph.name}' was disposed`, { graph: graph.name });
    checkFeeds(graph, feeds);
    const runtime = getWasmRuntime();
    const values = new ValueStore(runtime, graph.initializers);
    for (const value of graph.inputs) values.setHost(value.name, feeds[value.name] as TensorData);
    for (const step of steps) step.run({ values, runtime });
    return Object.fromEntries(graph.outputs.map((value) => [value.name, values.hostValue(value.name)]));
  }

  dispose(): void {
    if (this.disposed) return;
    this.disposed = true;
    for (const step of this.plan.steps) step.dispose();
  }
}

function checkFeeds(graph: Graph, feeds: Readonly<Record<string, TensorData>>): void {
  const declared = new Set(graph.inputs.map((value) => value.name));
  for (const name of Object.keys(feeds)) {
    if (!declared.has(name)) {
      throw new ConfigError(`graph '${graph.name}' has no input '${name}' (inputs: ${[...declared].join(', ')})`, { graph: graph.name, value: name });
    }
  }
  const symbols = new Map<string, number>();
  for (const value of graph.inputs) {
    const feed = feeds[value.name];
    if (!feed) throw new ConfigError(`graph '${graph.name}': input '${value.name}' was not fed`, { graph: graph.name, value: value.name });
    checkFeed(graph, value, feed, symbols);
  }
}

function checkFeed(graph: Graph, value: Value, feed: TensorData, symbols: Map<string, number>): void {
  const where = `graph '${graph.name}' input '${value.name}'`;
  if (feed.dtype !== value.dtype) {
    throw new DTypeError(`${where} expects ${value.dtype}, got ${feed.dtype}${formatShape(feed.shape)}`, { graph: graph.name, value: value.name });
  }
  const mismatch = (detail: string) =>
    new ShapeError(`${where} expects shape ${formatShape(value.shape)}, got ${formatShape(feed.shape)}${detail}`, { graph: graph.name, value: value.name });
  if (feed.shape.length !== value.shape.length) throw mismatch('');
  value.shape.forEach((dim, axis) => {
    const actual = feed.shape[axis] as number;
    if (typeof dim === 'number') {
      if (dim !== actual) throw mismatch('');
      return;
    }
    const bound = symbols.get(dim);
    if (bound !== undefined && bound !== actual) throw mismatch(` (symbolic dim '${dim}' is ${bound} in an earlier input)`);
    symbols.set(dim, actual);
  });
}
