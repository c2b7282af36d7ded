// The engine: the one place that executes ops. Every Tensor op calls runOp with an IR op name;
// runOp validates against the op's schema, dispatches to the active backend, records the op for
// autograd and for tracing. So op set, kernels and tracer cannot drift (DESIGN §3).
import { createCpuBackend } from '@efficientdl/backend-cpu';
import {
  type Attributes,
  type Backend,
  type TensorData,
  ShapeError,
  defaultOutputCount,
  formatShape,
  getOpSchema,
  inferOutputs,
  resolveAttributes,
} from '@efficientdl/ir';
import { type GradNode, isGradEnabled } from './grad-mode.js';
import { Tensor } from './tensor.js';

export interface RunOptions {
  /** Op domain; '' (ONNX) by default. */
  domain?: string;
  /** Number of outputs to produce (Split, TopK, BatchNormalization training outputs). */
  outputCount?: number;
  /** Node name used in error messages and traces. */
  name?: string;
}

/** Receives every op executed while a trace is active. */
export interface OpRecorder {
  record(entry: {
    op: string;
    domain: string;
    attrs: Attributes;
    inputs: readonly (Tensor | undefined)[];
    outputs: readonly Tensor[];
  }): void;
}

let activeBackend: Backend<TensorData> = createCpuBackend();
let recorder: OpRecorder | undefined;
let nodeCounter = 0;

/** Selects the backend every subsequent eager op runs on. */
export function setBackend(backend: Backend<TensorData>): void {
  activeBackend = backend;
}

export function getBackend(): Backend<TensorData> {
  return activeBackend;
}

/** Installs (or removes) the trace recorder; returns the previous one. */
export function setRecorder(next: OpRecorder | undefined): OpRecorder | undefined {
  const previous = recorder;
  recorder = next;
  return previous;
}

/** Runs one op eagerly and returns its outputs as Tensors. */
export function runOp(
  op: string,
  inputs: readonly (Tensor | undefined)[],
  attrs: Attributes = {},
  options: RunOptions = {},
): Tensor[] {
  const domain = options.domain ?? '';
  const name = options.name ?? `${op}_${nodeCounter++}`;
  const schema = getOpSchema(op, domain, name);
  const resolved = resolveAttributes(schema, attrs, name);
  const outputCount = options.outputCount ?? defaultOutputCount(schema);
  const inputData = inputs.map((input) => input?.data);
  const inferred = inferOutputs(schema, {
    op,
    node: name,
    inputs: inputData.map((data) => (data ? { dtype: data.dtype, shape: data.shape } : undefined)),
    constants: inputData,
    attrs: resolved,
    outputCount,
  });
  const results = activeBackend.run({ op, domain, name, attrs: resolved }, inputData, outputCount);
  results.forEach((result, index) => checkAgainstInference(op, name, index, result, inferred[index]));
  const outputs = results.map((result) => new Tensor(result));
  recordGradient(op, domain, resolved, inputs, outputs, schema.differentiable === true);
  recorder?.record({ op, domain, attrs, inputs, outputs });
  return outputs;
}

/** Runs a single-output op. */
export function runUnary(op: string, inputs: readonly (Tensor | undefined)[], attrs: Attributes = {}, options: RunOptions = {}): Tensor {
  return runOp(op, inputs, attrs, { ...options, outputCount: 1 })[0] as Tensor;
}

function checkAgainstInference(
  op: string,
  node: string,
  index: number,
  result: TensorData,
  inferred: { dtype: string; shape: readonly (number | string)[] } | undefined,
): void {
  if (!inferred) return;
  const mismatch =
    inferred.dtype !== result.dtype ||
    inferred.shape.length !== result.shape.length ||
    inferred.shape.some((dim, axis) => typeof dim === 'number' && dim !== result.shape[axis]);
  if (mismatch) {
    throw new ShapeError(
      `${op} (node '${node}'): output ${index} is ${result.dtype}${formatShape(result.shape)} but inference says ${inferred.dtype}${formatShape(inferred.shape)}`,
      { op, node },
    );
  }
}

function recordGradient(
  op: string,
  domain: string,
  attrs: Attributes,
  inputs: readonly (Tensor | undefined)[],
  outputs: readonly Tensor[],
  differentiable: boolean,
): void {
  if (!differentiable || !isGradEnabled()) return;
  if (!inputs.some((input) => input?.requiresGrad)) return;
  const node: GradNode = { op, domain, attrs, inputs: [...inputs], outputs };
  outputs.forEach((output, index) => {
    if (output.dtype === 'float32' || output.dtype === 'float64' || output.dtype === 'float16') {
      output.attachGradNode(node, index);
    }
  });
}
