// importOnnx: ModelProto bytes → validated IR Graph. Checks IR/opset versions, converts
// initializers (graph inputs that are initializers stay initializers), inputs/outputs/value_info
// with symbolic dims, nodes with attributes, upgrades old-opset nodes to modern forms, then runs
// validateGraph so malformed models surface as typed errors.
import {
  type DType,
  type Graph,
  GraphError,
  ModelFormatError,
  type Shape,
  type TensorData,
  UnsupportedOpError,
  type Value,
  type ValueInfo,
  createGraph,
  inferValueTypes,
  validateGraph,
} from '@efficientdl/ir';
import { decodeAttributes } from './attributes.js';
import { decodeModelProto } from './decode-model.js';
import { upgradeNode } from './opset-upgrade.js';
import { type GraphMessage, type ModelMessage, int64ToNumber } from './proto-types.js';
import { decodeTensorProto } from './tensor-proto.js';
import { type ImportNode, type UpgradeContext, toNode } from './upgrade-context.js';
import { DimNamer, type PartialValue, decodeValueInfo } from './value-info.js';

export interface ImportOnnxOptions {
  /** File name used in error messages. */
  file?: string;
}

/** IR versions and default-domain opsets we read (ONNX 1.2 .. 1.22; opsets 24-25 only widened type lists). */
export const SUPPORTED_IR_VERSIONS = { min: 3, max: 13 } as const;
export const SUPPORTED_OPSETS = { min: 7, max: 25 } as const;
/** The default-domain opset whose semantics imported nodes follow after upgrading. */
export const MODERN_OPSET = 21;

function normalizeDomain(domain: string): string {
  return domain === 'ai.onnx' ? '' : domain;
}

function readOpsets(model: ModelMessage, file: string): Record<string, number> {
  const irVersion = int64ToNumber(model.ir_version, `${file}: ir_version`);
  if (irVersion < SUPPORTED_IR_VERSIONS.min || irVersion > SUPPORTED_IR_VERSIONS.max) {
    throw new ModelFormatError(
      `${file}: ir_version ${irVersion} is not supported (${SUPPORTED_IR_VERSIONS.min}-${SUPPORTED_IR_VERSIONS.max})`,
      { file, field: 'ir_version' },
    );
  }
  const opsets: Record<string, number> = {};
  for (const entry of model.opset_import) opsets[normalizeDomain(entry.domain)] = int64ToNumber(entry.version, `${file}: opset_import`);
  const version = opsets[''];
  if (version === undefined || version < SUPPORTED_OPSETS.min || version > SUPPORTED_OPSETS.max) {
    throw new ModelFormatError(
      `${file}: default-domain opset ${version ?? '(missing)'} is not supported (${SUPPORTED_OPSETS.min}-${SUPPORTED_OPSETS.max})`,
      { file, field: 'opset_import' },
    );
  }
  return opsets;
}

function readInitializers(graph: GraphMessage, file: string): Map<string, TensorData> {
  if (graph.sparse_initializer.length > 0) {
    throw new UnsupportedOpError(`${file}: sparse initializers are not supported`, { file, field: 'sparse_initializer' });
  }
  const initializers = new Map<string, TensorData>();
  graph.initializer.forEach((proto, index) => {
    if (!proto.name) throw new ModelFormatError(`${file}: initializer ${index} has no name`, { file, field: 'initializer.name' });
    if (initializers.has(proto.name)) {
      throw new GraphError(`${file}: initializer '${proto.name}' is defined twice`, { file, value: proto.name });
    }
    initializers.set(proto.name, decodeTensorProto(proto, `initializer '${proto.name}'`));
  });
  return initializers;
}

function completeInput(value: PartialValue, file: string): Value {
  if (!value.dtype || !value.shape) {
    throw new ModelFormatError(`${file}: graph input '${value.name}' has no ${value.dtype ? 'shape' : 'elem_type'}`, {
      file,
      value: value.name,
    });
  }
  return { name: value.name, dtype: value.dtype, shape: value.shape };
}

/** Gives nodes unique names (the file's, or `${op}_${index}`). */
function readNodes(graph: GraphMessage): ImportNode[] {
  const taken = new Set<string>();
  return graph.node.map((proto, index) => {
    let name = proto.name || `${proto.op_type}_${index}`;
    while (taken.has(name)) name = `${name}_${index}`;
    taken.add(name);
    const op = proto.op_type;
    if (!op) throw new ModelFormatError(`node '${name}' (index ${index}) has no op_type`, { node: name, field: 'op_type' });
    const attrs = decodeAttributes(proto.attribute, op, name);
    return { name, op, domain: normalizeDomain(proto.domain), inputs: [...proto.input], outputs: [...proto.output], attrs };
  });
}

interface ConversionState {
  readonly inputs: Value[];
  readonly initializers: Map<string, TensorData>;
  readonly converted: ImportNode[];
  readonly names: Set<string>;
  readonly used: Set<string>;
}

function makeContext(state: ConversionState, opset: number): UpgradeContext {
  let cache: { size: number; types: Map<string, ValueInfo> } | undefined;
  const fresh = (base: string) => {
    let name = base;
    for (let suffix = 1; state.names.has(name); suffix++) name = `${base}_${suffix}`;
    state.names.add(name);
    return name;
  };
  return {
    opset,
    fresh,
    constant(base, tensor) {
      const name = fresh(base);
      state.initializers.set(name, tensor);
      cache = undefined;
      return name;
    },
    typeOf(value) {
      if (!cache || cache.size !== state.converted.length) {
        const partial = createGraph({ nodes: state.converted, inputs: state.inputs, outputs: [], initializers: state.initializers });
        cache = { size: state.converted.length, types: inferValueTypes(partial) };
      }
      return cache.types.get(value);
    },
    isUsed: (value) => state.used.has(value),
    initializer: (value) => state.initializers.get(value),
  };
}

function allNames(graph: GraphMessage, nodes: readonly ImportNode[], initializers: ReadonlyMap<string, TensorData>): Set<string> {
  const names = new Set<string>(initializers.keys());
  for (const value of [...graph.input, ...graph.output, ...graph.value_info]) names.add(value.name);
  for (const node of nodes) for (const name of [node.name, ...node.inputs, ...node.outputs]) names.add(name);
  return names;
}

/** Fills graph outputs whose type the file leaves open from inference. */
function completeOutputs(graph: Graph, outputs: readonly PartialValue[]): Value[] {
  const partial = outputs.filter((value) => !value.dtype || !value.shape);
  const inferred = partial.length > 0 ? inferValueTypes(graph) : new Map<string, ValueInfo>();
  return outputs.map((value) => {
    if (value.dtype && value.shape) return { name: value.name, dtype: value.dtype, shape: value.shape };
    const info = inferred.get(value.name);
    const dtype: DType | undefined = value.dtype ?? info?.dtype;
    const shape: Shape | undefined = value.shape ?? info?.shape;
    if (!dtype || !shape) throw new GraphError(`graph output '${value.name}' has no type and none can be inferred`, { value: value.name });
    return { name: value.name, dtype, shape };
  });
}

function buildGraph(model: ModelMessage, file: string): Graph {
  const opsets = readOpsets(model, file);
  const message = model.graph;
  if (!message) throw new ModelFormatError(`${file}: the model has no graph`, { file, field: 'graph' });
  const initializers = readInitializers(message, file);
  const namer = new DimNamer();
  const inputs = message.input
    .filter((info) => !initializers.has(info.name))
    .map((info) => completeInput(decodeValueInfo(info, namer), file));
  const outputs = message.output.map((info) => decodeValueInfo(info, namer));
  const nodes = readNodes(message);
  const used = new Set<string>([...outputs.map((value) => value.name), ...nodes.flatMap((node) => node.inputs)]);
  const state: ConversionState = { inputs, initializers, converted: [], names: allNames(message, nodes, initializers), used };
  const context = makeContext(state, opsets[''] as number);
  for (const node of nodes) state.converted.push(...upgradeNode(node, context));
  const valueInfo = new Map<string, Value>();
  for (const info of message.value_info) {
    const value = decodeValueInfo(info, namer);
    if (value.dtype && value.shape) valueInfo.set(value.name, { name: value.name, dtype: value.dtype, shape: value.shape });
  }
  const graphOpsets = { ...opsets, '': Math.max(opsets[''] as number, MODERN_OPSET) };
  const base = createGraph({
    name: message.name || 'graph',
    nodes: state.converted.map(toNode),
    inputs,
    outputs: [],
    initializers,
    valueInfo,
    opsets: graphOpsets,
  });
  return { ...base, outputs: completeOutputs(base, outputs) };
}

/**
 * Imports ONNX ModelProto bytes as a validated IR Graph (value info inferred). Throws
 * ModelFormatError for malformed bytes, GraphError/ShapeError/DTypeError for invalid graphs and
 * UnsupportedOpError for ops, dtypes or features out of scope — each naming the node or field.
 */
export function importOnnx(bytes: Uint8Array, options: ImportOnnxOptions = {}): Graph {
  const file = options.file ?? 'model.onnx';
  const model = decodeModelProto(bytes, file);
  return validateGraph(buildGraph(model, file));
}
