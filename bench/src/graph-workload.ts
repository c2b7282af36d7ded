// A workload defined by an IR graph and its feeds. Host engines (cpu-ref, cpu, tfjs-wasm) run a
// one-node graph as a single backend.run() call; a larger graph runs through tensor's runGraph
// with the engine as the active backend (cpu-ref, tfjs-wasm) or, for cpu and onnxruntime, is
// compiled once (untimed) and each run is one CompiledGraph.run() (onnxruntime: session.run plus
// TensorData ↔ ort.Tensor conversion of the feeds; cpu: its fused WebAssembly plan).
import type { Backend, Graph, TensorData } from '@efficientdl/ir';
import { analyzeCost, getOpSchema, resolveAttributes } from '@efficientdl/ir';
import { type Tensor, getBackend, noGrad, runGraph, setBackend } from '@efficientdl/tensor';
import { ENGINE_NAMES, type EngineName, type EngineSet, hostBackend } from './engines.js';
import type { Preparer, Runner, Workload, WorkloadSetup } from './workload-types.js';

export interface GraphWorkloadSpec {
  graph: Graph;
  feeds: Readonly<Record<string, TensorData>>;
  /** Operations per run; default 2 × analyzeCost(graph).macs. */
  flops?: number;
  /** Engines that do not run this graph, with the reason shown in the table. */
  skip?: Readonly<Partial<Record<EngineName, string>>>;
}

function singleNodeRunner(backend: Backend<TensorData>, spec: GraphWorkloadSpec): Runner {
  const [node] = spec.graph.nodes;
  if (!node) throw new Error('singleNodeRunner needs a one-node graph');
  const lookup = (name: string) => (name === '' ? undefined : (spec.feeds[name] ?? spec.graph.initializers.get(name)));
  const inputs = node.inputs.map(lookup);
  const resolved = { op: node.op, domain: node.domain, name: node.name, attrs: resolveAttributes(getOpSchema(node.op, node.domain), node.attrs, node.name) };
  const run = () => backend.run(resolved, inputs, node.outputs.length);
  return { run, output: async () => run()[0] as TensorData };
}

function wholeGraphRunner(backend: Backend<TensorData>, spec: GraphWorkloadSpec): Runner {
  const previous = getBackend();
  const run = () => {
    setBackend(backend);
    return noGrad(() => runGraph(spec.graph, spec.feeds));
  };
  const firstOutput = spec.graph.outputs[0]?.name ?? '';
  return { run, output: async () => (run()[firstOutput] as Tensor).data, dispose: () => setBackend(previous) };
}

function hostPreparer(engine: EngineName, spec: GraphWorkloadSpec): Preparer {
  return async (engines: EngineSet) => {
    const backend = hostBackend(engines, engine);
    if (!backend) throw new Error(`engine '${engine}' was not created`);
    if (spec.graph.nodes.length === 1) return singleNodeRunner(backend, spec);
    return engine === 'cpu' && engines.cpu ? compiledRunner(engines.cpu, spec) : wholeGraphRunner(backend, spec);
  };
}

/** compile() once (untimed); each run is one CompiledGraph.run(feeds). */
async function compiledRunner(backend: Backend<TensorData>, spec: GraphWorkloadSpec): Promise<Runner> {
  if (!backend.compile) throw new Error(`backend '${backend.name}' does not compile graphs`);
  const compiled = await backend.compile(spec.graph);
  const firstOutput = spec.graph.outputs[0]?.name ?? '';
  const run = () => compiled.run(spec.feeds);
  return { run, output: async () => (await run())[firstOutput] as TensorData, dispose: () => compiled.dispose() };
}

function onnxruntimePreparer(spec: GraphWorkloadSpec): Preparer {
  return async (engines: EngineSet) => {
    if (!engines.onnxruntime) throw new Error("engine 'onnxruntime' was not created");
    return compiledRunner(engines.onnxruntime, spec);
  };
}

/** Builds the setup of a graph workload (call inside Workload.setup so inputs are lazy). */
export function graphSetup(spec: GraphWorkloadSpec): WorkloadSetup {
  const engines = {} as Record<EngineName, Preparer | string>;
  for (const engine of ENGINE_NAMES) {
    const reason = spec.skip?.[engine];
    engines[engine] = reason ?? (engine === 'onnxruntime' ? onnxruntimePreparer(spec) : hostPreparer(engine, spec));
  }
  return { flops: spec.flops ?? 2 * analyzeCost(spec.graph).macs, engines };
}

export function graphWorkload(name: string, description: string, build: () => GraphWorkloadSpec): Workload {
  return { name, description, setup: () => graphSetup(build()) };
}
