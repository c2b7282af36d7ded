// The onnxruntime backend: implements the ir Backend interface over TensorData storage.
// compile(graph) exports the graph to ONNX (opset 21) and runs it in a shared ort session;
// run(node, …) executes one op synchronously through a worker thread (sync-bridge.ts).
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
import { exportOnnx } from '@efficientdl/onnx';
import * as ort from 'onnxruntime-node';
import { OrtCompiledGraph, checkTransferable } from './compiled-graph.js';
import { checkResizeDeviation, graphDeviationCheck } from './ort-deviations.js';
import { translateOrtError } from './ort-errors.js';
import { SessionCache, modelKey } from './session-cache.js';
import { type OnnxruntimeBackendOptions, type ResolvedOptions, resolveOptions, sessionOptions } from './session-options.js';
import { singleOpGraph } from './single-op-graph.js';
import { SyncBridge, type WirePayload } from './sync-bridge.js';
import { ORT_CPU_SUPPORT, declares } from './supported-ops.js';
import { fromRawTensor, isTransferable } from './tensor-conversion.js';

export class OnnxruntimeBackend implements Backend<TensorData> {
  readonly name = 'onnxruntime';
  readonly interfaceVersion = BACKEND_INTERFACE_VERSION;
  readonly options: ResolvedOptions;
  private readonly sessions: SessionCache;
  private bridge: SyncBridge | undefined;

  constructor(options: OnnxruntimeBackendOptions = {}) {
    this.options = resolveOptions(options);
    this.sessions = new SessionCache(sessionOptions(this.options));
  }

  /** e.g. "onnxruntime-node 1.30.0 (cpu, 2 intra-op threads)". */
  describe(): string {
    const threads = this.options.intraOpThreads;
    return `onnxruntime-node ${ort.env.versions.node ?? ort.env.versions.common} (cpu, ${threads} intra-op thread${threads === 1 ? '' : 's'})`;
  }

  /** The ONNX-domain ops declared for per-op execution, sorted. */
  declaredOps(): string[] {
    return Object.keys(ORT_CPU_SUPPORT).sort();
  }

  /** Live sessions created by compile() (shared between compiles of the same model). */
  get compiledSessionCount(): number {
    return this.sessions.size;
  }

  supports(op: string, dtypes: readonly DType[], domain = ''): boolean {
    return domain === '' && dtypes.every(isTransferable) && declares(op, dtypes);
  }

  upload(data: TensorData): TensorData {
    return data;
  }

  download(storage: TensorData): TensorData {
    return storage;
  }

  run(node: BackendNode, inputs: readonly (TensorData | undefined)[], outputCount: number): TensorData[] {
    const dtypes = inputs.filter((input): input is TensorData => input !== undefined).map((input) => input.dtype);
    if (!this.supports(node.op, dtypes, node.domain)) {
      const op = node.domain ? `${node.op} (${node.domain})` : node.op;
      throw new UnsupportedOpError(
        `backend 'onnxruntime' cannot run ${op} (node '${node.name}') with input dtypes [${dtypes.join(', ')}]: not declared for onnxruntime's CPU provider`,
        { op: node.op, node: node.name, backend: 'onnxruntime' },
      );
    }
    checkResizeDeviation({ op: node.op, node: node.name, attrs: node.attrs, xShape: inputs[0]?.shape, scales: inputs[2] });
    const single = singleOpGraph(node, inputs, outputCount);
    const untransferable = single.graph.outputs.find((output) => !isTransferable(output.dtype));
    if (untransferable) {
      // onnxruntime-node cannot hand back bfloat16/int4/uint4 tensors (1.30 aborts on int4).
      throw new UnsupportedOpError(
        `backend 'onnxruntime' cannot run ${node.op} (node '${node.name}'): its output is ${untransferable.dtype}, which onnxruntime-node cannot return`,
        { op: node.op, node: node.name, backend: 'onnxruntime' },
      );
    }
    const model = exportOnnx(single.graph, { opset: 21 });
    this.bridge ??= new SyncBridge({ sessionOptions: sessionOptions(this.options) });
    const reply = this.bridge.call({ key: modelKey(model), model, feeds: single.feeds as Record<string, WirePayload>, outputNames: single.outputNames });
    if (!reply.ok) {
      throw translateOrtError({ stage: reply.stage, message: reply.message, subject: `${node.op} (node '${node.name}')`, op: node.op, node: node.name });
    }
    return single.outputNames.map((name) => fromRawTensor(reply.outputs[name] as WirePayload, name));
  }

  async compile(graph: Graph): Promise<CompiledGraph> {
    checkTransferable(graph);
    const checkDeviations = graphDeviationCheck(graph);
    checkDeviations({}); // constant scales on static shapes are refused now
    const model = exportOnnx(graph, { opset: 21 });
    const { key, session } = await this.sessions.acquire(model, `graph '${graph.name}'`);
    return new OrtCompiledGraph(graph, session, () => this.sessions.release(key), checkDeviations);
  }

  /** Stops the per-op worker (its sessions are released). Compiled graphs stay usable. */
  close(): void {
    this.bridge?.close();
    this.bridge = undefined;
  }
}

/** Creates the backend (CPU execution provider of onnxruntime-node). */
export async function createOnnxruntimeBackend(options: OnnxruntimeBackendOptions = {}): Promise<OnnxruntimeBackend> {
  return new OnnxruntimeBackend(options);
}
