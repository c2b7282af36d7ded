// Creates the execution engine behind `--backend`: 'cpu' (reference kernels) and 'tfjs' run a
// graph node by node through the tensor engine (setBackend + runGraph); 'onnxruntime' compiles
// the whole graph (Backend.compile). Each engine says which implementation is active.
import { type Backend, ConfigError, type Graph, type TensorData } from '@efficientdl/ir';
import { getBackend, noGrad, runGraph, setBackend } from '@efficientdl/tensor';
import { type OnnxruntimeLoader, createOnnxruntimeEngine } from './onnxruntime-adapter.js';

export const BACKEND_NAMES = ['cpu', 'onnxruntime', 'tfjs'] as const;
export type BackendName = (typeof BACKEND_NAMES)[number];

export type Feeds = Readonly<Record<string, TensorData>>;

/** A graph made ready to run on one engine. */
export interface GraphRunner {
  run(feeds: Feeds): Promise<Record<string, TensorData>>;
  dispose(): void;
}

export interface ExecutionEngine {
  readonly name: BackendName;
  /** What is doing the work, e.g. "tfjs wasm (tfjs-node not installed: …)". */
  readonly description: string;
  prepare(graph: Graph): Promise<GraphRunner>;
}

export interface CreateEngineOptions {
  /** How to load @efficientdl/backend-onnxruntime (tests replace it). */
  loadOnnxruntime?: OnnxruntimeLoader;
}

/** Runs graphs op by op through the tensor engine on `backend`, restoring the previous backend after. */
export function eagerEngine(name: BackendName, backend: Backend<TensorData>, description: string): ExecutionEngine {
  return {
    name,
    description,
    prepare: async (graph) => ({
      run: async (feeds) => {
        const previous = getBackend();
        setBackend(backend);
        try {
          const outputs = noGrad(() => runGraph(graph, feeds));
          return Object.fromEntries(Object.entries(outputs).map(([key, tensor]) => [key, tensor.data]));
        } finally {
          setBackend(previous);
        }
      },
      dispose: () => {},
    }),
  };
}

export function isBackendName(value: string): value is BackendName {
  return (BACKEND_NAMES as readonly string[]).includes(value);
}

/** Creates the engine for a `--backend` name. */
export async function createEngine(name: string, options: CreateEngineOptions = {}): Promise<ExecutionEngine> {
  if (!isBackendName(name)) {
    throw new ConfigError(`unknown backend '${name}' (choose one of ${BACKEND_NAMES.join(', ')})`, { backend: name });
  }
  switch (name) {
    case 'cpu': {
      const { createCpuBackend } = await import('@efficientdl/backend-cpu');
      return eagerEngine('cpu', createCpuBackend(), 'cpu (reference TypeScript kernels, blocked GEMM / im2col convolution)');
    }
    case 'tfjs': {
      const { createTfjsBackend } = await import('@efficientdl/backend-tfjs');
      const backend = await createTfjsBackend();
      return eagerEngine('tfjs', backend, backend.describe());
    }
    case 'onnxruntime':
      return createOnnxruntimeEngine(options.loadOnnxruntime);
  }
}
