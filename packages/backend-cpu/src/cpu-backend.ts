// The CPU backend object implementing the ir Backend interface over TensorData storage.
import {
  BACKEND_INTERFACE_VERSION,
  type Backend,
  type BackendNode,
  type CompiledGraph,
  type DType,
  type Graph,
  type TensorData,
  UnsupportedOpError,
} from '@efficientdl/ir';
import { CpuCompiledGraph } from './fast/compile/compiled-graph.js';
import { type KernelDefinition, kernelKey } from './kernel-registry.js';
import { ALL_KERNELS } from './kernels/index.js';
import { REFERENCE_KERNELS } from './reference-kernels.js';

export class CpuBackend implements Backend<TensorData> {
  readonly name = 'cpu';
  readonly interfaceVersion = BACKEND_INTERFACE_VERSION;
  private readonly kernels = new Map<string, KernelDefinition>();

  constructor(definitions: readonly KernelDefinition[] = ALL_KERNELS) {
    for (const definition of definitions) this.registerKernel(definition);
  }

  /** Adds or replaces a kernel (packages that own extra ops register theirs here). */
  registerKernel(definition: KernelDefinition): void {
    this.kernels.set(kernelKey(definition.op, definition.domain), definition);
  }

  findKernel(op: string, domain = ''): KernelDefinition | undefined {
    return this.kernels.get(kernelKey(op, domain));
  }

  supports(op: string, dtypes: readonly DType[], domain = ''): boolean {
    const definition = this.findKernel(op, domain);
    if (!definition) return false;
    const first = dtypes[0];
    return !definition.dtypes || first === undefined || definition.dtypes.includes(first);
  }

  upload(data: TensorData): TensorData {
    return data;
  }

  download(storage: TensorData): TensorData {
    return storage;
  }

  run(node: BackendNode, inputs: readonly (TensorData | undefined)[], outputCount: number): TensorData[] {
    const definition = this.findKernel(node.op, node.domain);
    const dtypes = inputs.map((input) => input?.dtype).filter((dtype): dtype is DType => dtype !== undefined);
    if (!definition || !this.supports(node.op, dtypes, node.domain)) {
      throw new UnsupportedOpError(
        `backend 'cpu' has no kernel for ${node.op}${node.domain ? ` (${node.domain})` : ''} with input dtypes [${dtypes.join(', ')}] (node '${node.name}')`,
        { op: node.op, node: node.name, backend: 'cpu' },
      );
    }
    return definition.kernel(inputs, node.attrs, { op: node.op, node: node.name, outputCount });
  }

  /**
   * Whole-graph execution: BatchNormalization folded, Conv (+ Relu / Clip, + 2 × 2 MaxPool) and
   * Gemm / MatMul with constant weights fused into WebAssembly steps whose activations stay in the
   * WebAssembly memory, every other node on its per-op kernel. Throws UnsupportedOpError for ops
   * without a kernel (at compile time).
   */
  compile(graph: Graph): Promise<CompiledGraph> {
    try {
      return Promise.resolve(this.compileSync(graph));
    } catch (error) {
      return Promise.reject(error);
    }
  }

  /** compile() without the Promise; the result also has runSync(feeds). */
  compileSync(graph: Graph): CpuCompiledGraph {
    return new CpuCompiledGraph(graph, this);
  }
}

export interface CpuBackendOptions {
  /** Use the readable reference loops instead of the fast paths for MatMul/Gemm/Conv/ConvTranspose. */
  reference?: boolean;
}

/** Creates a CPU backend with every built-in kernel. */
export function createCpuBackend(options: CpuBackendOptions = {}): CpuBackend {
  const backend = new CpuBackend();
  if (options.reference) {
    for (const definition of REFERENCE_KERNELS) {
      const existing = backend.findKernel(definition.op);
      backend.registerKernel({ ...existing, ...definition });
    }
  }
  return backend;
}
