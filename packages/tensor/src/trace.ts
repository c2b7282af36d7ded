// trace: records the ops of one forward pass (through the engine's recorder hook) and turns them
// into an IR Graph (DESIGN §3). Tensors the trace did not produce become initializers, named by the
// target's namedTensors() dotted names when it has them ('features.0.weight'), else const_<k>.
import { type Attributes, ConfigError, type Graph, GraphError } from '@efficientdl/ir';
import { type OpRecorder, setRecorder } from './engine.js';
import { noGrad } from './grad-mode.js';
import { Tensor } from './tensor.js';
import { type RecordedOp, buildTracedGraph } from './trace-graph.js';

/** Anything with a forward pass; nn's Module implements it. */
export interface Traceable {
  forward(...inputs: Tensor[]): Tensor | Tensor[];
  /** Dotted names of parameters and buffers, used to name initializers. */
  namedTensors?(): Iterable<[string, Tensor]>;
}

export type TraceTarget = Traceable | ((...inputs: Tensor[]) => Tensor | Tensor[]);

export interface TraceOptions {
  /** Graph name (default: the function's or class's name). */
  name?: string;
  /** Graph input names (default input_0, input_1, …). */
  inputNames?: readonly string[];
  /** Graph output names (default output_0, output_1, …). */
  outputNames?: readonly string[];
  /** Make the first dim of every input and output the symbolic 'N'. */
  dynamicBatch?: boolean;
}

function graphName(target: TraceTarget, options: TraceOptions): string {
  if (options.name) return options.name;
  if (typeof target === 'function') return target.name || 'graph';
  return target.constructor?.name || 'graph';
}

function checkNames(kind: string, names: readonly string[] | undefined, count: number): void {
  if (names === undefined) return;
  if (names.length !== count) {
    throw new ConfigError(`trace: ${names.length} ${kind} names given for ${count} ${kind}s`, { names: [...names] });
  }
  if (new Set(names).size !== names.length || names.includes('')) {
    throw new ConfigError(`trace: ${kind} names must be unique and non-empty, got [${names.join(', ')}]`, {
      names: [...names],
    });
  }
}

function normalizeOutputs(result: unknown, name: string): Tensor[] {
  const outputs = Array.isArray(result) ? result : [result];
  if (outputs.length === 0 || !outputs.every((output) => output instanceof Tensor)) {
    throw new GraphError(`trace '${name}': forward must return a Tensor or a non-empty Tensor[]`, { graph: name });
  }
  return outputs as Tensor[];
}

/** Runs `target` on the example inputs under noGrad, recording every op (forwarding to an outer recorder). */
function record(target: TraceTarget, inputs: readonly Tensor[], name: string): { ops: RecordedOp[]; outputs: Tensor[] } {
  const ops: RecordedOp[] = [];
  const recorder: OpRecorder = {
    record(entry) {
      ops.push({ op: entry.op, domain: entry.domain, attrs: { ...entry.attrs } as Attributes, inputs: [...entry.inputs], outputs: [...entry.outputs] });
      outer?.record(entry);
    },
  };
  const outer = setRecorder(recorder);
  try {
    const result = noGrad(() => (typeof target === 'function' ? target(...inputs) : target.forward(...inputs)));
    return { ops, outputs: normalizeOutputs(result, name) };
  } finally {
    setRecorder(outer);
  }
}

/**
 * Traces one forward pass of `target` on `exampleInputs` into a Graph. Control flow is baked in
 * for these inputs (as torch.jit.trace); ops run eagerly once.
 */
export function trace(target: TraceTarget, exampleInputs: readonly Tensor[], options: TraceOptions = {}): Graph {
  const name = graphName(target, options);
  checkNames('input', options.inputNames, exampleInputs.length);
  if (new Set(exampleInputs).size !== exampleInputs.length) {
    throw new ConfigError(`trace '${name}': the same Tensor is passed twice as an example input`, { graph: name });
  }
  const { ops, outputs } = record(target, exampleInputs, name);
  checkNames('output', options.outputNames, outputs.length);
  const namedTensors = typeof target === 'function' ? undefined : target.namedTensors?.();
  return buildTracedGraph({
    name,
    ops,
    inputs: exampleInputs,
    outputs,
    inputNames: options.inputNames ?? exampleInputs.map((_, index) => `input_${index}`),
    outputNames: options.outputNames ?? outputs.map((_, index) => `output_${index}`),
    namedTensors: namedTensors ? [...namedTensors] : [],
    dynamicBatch: options.dynamicBatch === true,
  });
}
