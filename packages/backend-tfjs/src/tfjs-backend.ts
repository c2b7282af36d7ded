// The tfjs backend object implementing the ir Backend interface over TensorData storage: each
// run uploads inputs to tf tensors, runs one kernel inside tf.tidy and downloads the outputs.
import {
  BACKEND_INTERFACE_VERSION,
  type Backend,
  type BackendNode,
  ConfigError,
  type DType,
  type TensorData,
} from '@efficientdl/ir';
import * as tf from '@tensorflow/tfjs-core';
import { type DetectOptions, type Detection, type TfjsBackendName, detectTfjsBackend } from './detect.js';
import type { KernelCall, TfjsInput, TfjsKernelDefinition, TfjsOutput } from './kernel-types.js';
import { ALL_TFJS_KERNELS } from './kernels/index.js';
import { download, hostNumbers, unsupported, upload } from './transfer.js';

function lazyInput(data: TensorData, node: BackendNode): TfjsInput {
  let tensor: tf.Tensor | undefined;
  return {
    data,
    dtype: data.dtype,
    shape: data.shape,
    tensor: () => {
      tensor ??= upload(tf, data, node);
      return tensor;
    },
    numbers: () => hostNumbers(data),
  };
}

export class TfjsBackend implements Backend<TensorData> {
  readonly name = 'tfjs';
  readonly interfaceVersion = BACKEND_INTERFACE_VERSION;
  /** The tfjs backend doing the work: native TensorFlow, WebAssembly or plain JS. */
  readonly activeTfjsBackend: TfjsBackendName;
  /** Why preferred tfjs backends were skipped (e.g. "tfjs-node not installed: …"). */
  readonly notes: readonly string[];
  private readonly kernels = new Map<string, TfjsKernelDefinition>();

  constructor(detection: Detection, definitions: readonly TfjsKernelDefinition[] = ALL_TFJS_KERNELS) {
    this.activeTfjsBackend = detection.active;
    this.notes = detection.notes;
    for (const definition of definitions) this.kernels.set(definition.op, definition);
  }

  /** e.g. "tfjs wasm (tfjs-node not installed: Cannot find package '@tensorflow/tfjs-node' …)". */
  describe(): string {
    return `tfjs ${this.activeTfjsBackend}${this.notes.length > 0 ? ` (${this.notes.join('; ')})` : ''}`;
  }

  /** The ONNX-domain ops this backend has kernels for, sorted. */
  declaredOps(): string[] {
    return [...this.kernels.keys()].sort();
  }

  /** Declared dtypes of one op (every present input must have one of them). */
  declaredDTypes(op: string): readonly DType[] {
    return this.kernels.get(op)?.dtypes ?? [];
  }

  supports(op: string, dtypes: readonly DType[], domain = ''): boolean {
    const definition = domain === '' ? this.kernels.get(op) : undefined;
    return definition !== undefined && dtypes.every((dtype) => definition.dtypes.includes(dtype));
  }

  upload(data: TensorData): TensorData {
    return data;
  }

  download(storage: TensorData): TensorData {
    return storage;
  }

  run(node: BackendNode, inputs: readonly (TensorData | undefined)[], outputCount: number): TensorData[] {
    const dtypes = inputs.filter((input): input is TensorData => input !== undefined).map((input) => input.dtype);
    const definition = node.domain === '' ? this.kernels.get(node.op) : undefined;
    if (!definition || !this.supports(node.op, dtypes, node.domain)) {
      const op = node.domain ? `${node.op} (${node.domain})` : node.op;
      throw unsupported(node, `no kernel for ${op} with input dtypes [${dtypes.join(', ')}]`);
    }
    this.ensureActive();
    const call = this.makeCall(node, inputs, outputCount);
    const outputDTypes: DType[] = [];
    const tensors = tf.tidy(() => {
      const outputs: TfjsOutput[] = definition.kernel(call).slice(0, outputCount);
      if (outputs.length < outputCount) throw unsupported(node, `kernel produces ${outputs.length} of ${outputCount} outputs`);
      for (const output of outputs) outputDTypes.push(output.dtype);
      return outputs.map((output) => output.tensor);
    });
    try {
      return tensors.map((tensor, index) => download(tensor, outputDTypes[index] as DType, node));
    } finally {
      tf.dispose(tensors);
    }
  }

  private makeCall(node: BackendNode, inputs: readonly (TensorData | undefined)[], outputCount: number): KernelCall {
    const wrapped = inputs.map((input) => (input ? lazyInput(input, node) : undefined));
    return {
      node,
      inputs: wrapped,
      attrs: node.attrs,
      outputCount,
      decline: (reason: string) => {
        throw unsupported(node, reason);
      },
      input: (index: number) => {
        const input = wrapped[index];
        if (!input) throw unsupported(node, `input ${index} is missing`);
        return input;
      },
    };
  }

  /** tfjs keeps one global active backend; switch back if someone else changed it. */
  private ensureActive(): void {
    if (tf.getBackend() === this.activeTfjsBackend) return;
    // setBackend on an initialized backend completes synchronously.
    void tf.setBackend(this.activeTfjsBackend);
    if (tf.getBackend() !== this.activeTfjsBackend) {
      throw new ConfigError(`tfjs backend '${this.activeTfjsBackend}' is no longer available (active: ${tf.getBackend()})`);
    }
  }
}

export interface TfjsBackendOptions extends DetectOptions {}

/** Detects the best available tfjs backend (node → wasm → cpu from `prefer`) and wraps it. */
export async function createTfjsBackend(options: TfjsBackendOptions = {}): Promise<TfjsBackend> {
  return new TfjsBackend(await detectTfjsBackend(options));
}
