// The Backend interface (versioned): storage management, per-op execution, and optional
// whole-graph compilation. Backends depend on ir only (DESIGN §1, §4).
import type { DType } from './dtype.js';
import type { Graph } from './graph.js';
import type { Attributes } from './op-schema.js';
import type { TensorData } from './tensor-data.js';

export const BACKEND_INTERFACE_VERSION = 1 as const;

/** What a backend needs to execute one op: identity and resolved attributes. */
export interface BackendNode {
  readonly op: string;
  readonly domain: string;
  readonly name: string;
  /** Attributes with schema defaults already filled in. */
  readonly attrs: Attributes;
}

export interface CompiledGraph {
  run(feeds: Readonly<Record<string, TensorData>>): Promise<Record<string, TensorData>>;
  dispose(): void;
}

/**
 * A backend. `Storage` is its device handle; for host backends it is TensorData itself.
 * `run` is synchronous so eager execution and autograd can call it op by op.
 */
export interface Backend<Storage = TensorData> {
  readonly name: string;
  readonly interfaceVersion: typeof BACKEND_INTERFACE_VERSION;
  /** Whether a kernel exists for `op` with these input dtypes. */
  supports(op: string, dtypes: readonly DType[], domain?: string): boolean;
  upload(data: TensorData): Storage;
  download(storage: Storage): TensorData;
  /** Runs one op; throws UnsupportedOpError naming op, node and backend when it has no kernel. */
  run(node: BackendNode, inputs: readonly (Storage | undefined)[], outputCount: number): Storage[];
  /** Whole-graph execution, for backends that compile (onnxruntime). */
  compile?(graph: Graph): Promise<CompiledGraph>;
  dispose?(storage: Storage): void;
}
