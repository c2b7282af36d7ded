// `--backend onnxruntime`: loads @efficientdl/backend-onnxruntime at run time (an optional peer:
// it brings onnxruntime-node's native binaries) and runs whole graphs with Backend.compile.
// A missing or incompatible package becomes a ConfigError that says what to install.
import { type Backend, type CompiledGraph, ConfigError, type Graph } from '@efficientdl/ir';
import type { ExecutionEngine, GraphRunner } from './backends.js';

/** What the CLI needs from the package: its factory. */
export interface OnnxruntimeModule {
  createOnnxruntimeBackend(options?: Record<string, unknown>): Promise<Backend & { describe?(): string }>;
}

export type OnnxruntimeLoader = () => Promise<unknown>;

// A variable specifier keeps bundlers and the type checker from requiring the optional package.
const PACKAGE = '@efficientdl/backend-onnxruntime';

const defaultLoader: OnnxruntimeLoader = () => import(/* @vite-ignore */ PACKAGE);

function firstLine(error: unknown): string {
  return (error instanceof Error ? error.message : String(error)).split('\n')[0] ?? '';
}

async function loadModule(load: OnnxruntimeLoader): Promise<OnnxruntimeModule> {
  let loaded: unknown;
  try {
    loaded = await load();
  } catch (error) {
    throw new ConfigError(
      `--backend onnxruntime needs the package ${PACKAGE} (with onnxruntime-node); install it next to @efficientdl/cli (${firstLine(error)})`,
      { backend: 'onnxruntime', package: PACKAGE },
    );
  }
  const factory = (loaded as Partial<OnnxruntimeModule> | undefined)?.createOnnxruntimeBackend;
  if (typeof factory !== 'function') {
    throw new ConfigError(`${PACKAGE} does not export createOnnxruntimeBackend(); is it an incompatible version?`, {
      backend: 'onnxruntime',
      package: PACKAGE,
    });
  }
  return loaded as OnnxruntimeModule;
}

function compiledRunner(compiled: CompiledGraph): GraphRunner {
  return { run: (feeds) => compiled.run(feeds), dispose: () => compiled.dispose() };
}

/** Loads the package, creates its backend and wraps compile() as an engine. */
export async function createOnnxruntimeEngine(load: OnnxruntimeLoader = defaultLoader): Promise<ExecutionEngine> {
  const module = await loadModule(load);
  const backend = await module.createOnnxruntimeBackend();
  const compile = backend.compile?.bind(backend);
  if (!compile) {
    throw new ConfigError(`the onnxruntime backend '${backend.name}' has no compile(graph)`, { backend: 'onnxruntime' });
  }
  return {
    name: 'onnxruntime',
    description: backend.describe?.() ?? `onnxruntime (${backend.name})`,
    prepare: async (graph: Graph) => compiledRunner(await compile(graph)),
  };
}
