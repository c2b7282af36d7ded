// Builds a Graph from the ops a trace recorded: names every value (graph inputs, initializers,
// node outputs, graph outputs), snapshots initializer data, and fills value types from the
// example tensors.
import {
  type Attributes,
  ConfigError,
  DEFAULT_OPSETS,
  type Dim,
  type Graph,
  type NodeInit,
  type TensorData,
  type TypedArray,
  type Value,
  createGraph,
  formatShape,
} from '@efficientdl/ir';
import type { Tensor } from './tensor.js';

/** One op as the recorder saw it (attrs as passed, unresolved). */
export interface RecordedOp {
  op: string;
  domain: string;
  attrs: Attributes;
  inputs: readonly (Tensor | undefined)[];
  outputs: readonly Tensor[];
}

export interface TracedGraphInit {
  name: string;
  ops: readonly RecordedOp[];
  inputs: readonly Tensor[];
  outputs: readonly Tensor[];
  inputNames: readonly string[];
  outputNames: readonly string[];
  namedTensors: readonly [string, Tensor][];
  dynamicBatch: boolean;
}

const BATCH_DIM = 'N';

/** Assigns value names and collects initializers while walking the recorded ops. */
class ValueNamer {
  readonly names = new Map<Tensor, string>();
  readonly initializers = new Map<string, TensorData>();
  private readonly used = new Set<string>();
  private readonly parameterNames = new Map<Tensor | TensorData, string>();
  /** Tensors sharing storage (a parameter and its detach()) share one initializer. */
  private readonly initializerByData = new Map<TensorData, string>();
  private constantCount = 0;

  constructor(init: TracedGraphInit) {
    init.inputs.forEach((tensor, index) => this.assign(tensor, init.inputNames[index] as string));
    for (const name of init.outputNames) this.used.add(name);
    for (const [name, tensor] of init.namedTensors) {
      if (!this.parameterNames.has(tensor)) this.parameterNames.set(tensor, name);
      if (!this.parameterNames.has(tensor.data)) this.parameterNames.set(tensor.data, name);
    }
  }

  assign(tensor: Tensor, name: string): string {
    this.names.set(tensor, name);
    this.used.add(name);
    return name;
  }

  unique(base: string): string {
    let name = base;
    for (let suffix = 1; this.used.has(name); suffix++) name = `${base}_${suffix}`;
    return name;
  }

  /** The name of a tensor read by a node; tensors not produced in the trace become initializers. */
  nameOf(tensor: Tensor): string {
    const known = this.names.get(tensor) ?? this.initializerByData.get(tensor.data);
    if (known !== undefined) return this.assign(tensor, known);
    const parameter = this.parameterNames.get(tensor) ?? this.parameterNames.get(tensor.data);
    const name = this.unique(parameter ?? `const_${this.constantCount++}`);
    this.initializers.set(name, snapshot(tensor.data));
    this.initializerByData.set(tensor.data, name);
    return this.assign(tensor, name);
  }
}

function snapshot(data: TensorData): TensorData {
  return { dtype: data.dtype, shape: [...data.shape], data: data.data.slice() as TypedArray };
}

/** The example batch size under dynamicBatch: every input must share its first dim. */
function exampleBatchSize(init: TracedGraphInit): number | undefined {
  if (!init.dynamicBatch) return undefined;
  const firstDims = new Set(init.inputs.map((tensor) => tensor.shape[0]));
  const batch = init.inputs[0]?.shape[0];
  if (batch === undefined || firstDims.size !== 1) {
    const shapes = init.inputs.map((tensor) => formatShape(tensor.shape)).join(', ');
    throw new ConfigError(`trace '${init.name}': dynamicBatch needs inputs that share a first dim, got ${shapes}`, {
      graph: init.name,
    });
  }
  return batch;
}

function describeValue(name: string, tensor: Tensor, batch: number | undefined): Value {
  const shape: Dim[] = [...tensor.shape];
  if (batch !== undefined && shape.length > 0 && shape[0] === batch) shape[0] = BATCH_DIM;
  return { name, dtype: tensor.dtype, shape };
}

/** Graph outputs that a node produces first-hand take the output name directly. */
function directOutputNames(init: TracedGraphInit): Map<Tensor, string> {
  const produced = new Set(init.ops.flatMap((op) => op.outputs));
  const direct = new Map<Tensor, string>();
  init.outputs.forEach((tensor, index) => {
    if (produced.has(tensor) && !direct.has(tensor)) direct.set(tensor, init.outputNames[index] as string);
  });
  return direct;
}

function buildNodes(init: TracedGraphInit, namer: ValueNamer, valueInfo: Map<string, Value>): NodeInit[] {
  const direct = directOutputNames(init);
  const nodes = init.ops.map((recorded, index): NodeInit => {
    const name = `${recorded.op}_${index}`;
    const inputs = recorded.inputs.map((tensor) => (tensor === undefined ? '' : namer.nameOf(tensor)));
    while (inputs[inputs.length - 1] === '') inputs.pop(); // trailing omitted inputs are dropped (ONNX)
    const outputs = recorded.outputs.map((tensor, outputIndex) => {
      const outputName = direct.get(tensor);
      if (outputName !== undefined) return namer.assign(tensor, outputName);
      const valueName = namer.assign(tensor, namer.unique(`${name}_output_${outputIndex}`));
      if (!init.dynamicBatch) valueInfo.set(valueName, describeValue(valueName, tensor, undefined));
      return valueName;
    });
    return { name, op: recorded.op, domain: recorded.domain, inputs, outputs, attrs: recorded.attrs };
  });
  // Outputs that are graph inputs, initializers or repeats are routed through an Identity node.
  init.outputs.forEach((tensor, index) => {
    const outputName = init.outputNames[index] as string;
    if (direct.get(tensor) === outputName) return;
    const source = namer.nameOf(tensor);
    nodes.push({ name: `Identity_${nodes.length}`, op: 'Identity', inputs: [source], outputs: [outputName] });
  });
  return nodes;
}

/** Turns recorded ops into a Graph. */
export function buildTracedGraph(init: TracedGraphInit): Graph {
  const batch = exampleBatchSize(init);
  const namer = new ValueNamer(init);
  const valueInfo = new Map<string, Value>();
  const nodes = buildNodes(init, namer, valueInfo);
  const opsets: Record<string, number> = { ...DEFAULT_OPSETS };
  for (const recorded of init.ops) opsets[recorded.domain] ??= 1;
  return createGraph({
    name: init.name,
    nodes,
    inputs: init.inputs.map((tensor, index) => describeValue(init.inputNames[index] as string, tensor, batch)),
    outputs: init.outputs.map((tensor, index) => describeValue(init.outputNames[index] as string, tensor, batch)),
    initializers: namer.initializers,
    valueInfo,
    opsets,
  });
}
