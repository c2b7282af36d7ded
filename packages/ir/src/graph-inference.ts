// Whole-graph shape/dtype inference and validation. inferShapes walks the topological order,
// runs every node's schema inference and propagates known constants (initializers, Constant
// nodes, static Shape outputs and simple int64 shape arithmetic) so Reshape(x, Shape(y))
// resolves. validateGraph adds structural checks and declared-vs-inferred type checks.
import { DTypeError, GraphError, ShapeError } from './errors.js';
import { type Graph, type Node, type Value, producers, topologicalOrder } from './graph.js';
import { type Attributes, type ValueInfo, inferOutputs, resolveAttributes } from './op-schema.js';
import { getOpSchema } from './registry.js';
import { type Dim, type Shape, formatShape, isStaticShape, shapeSize } from './shape.js';
import { type TensorData, fromNumbers, toNumberArray } from './tensor-data.js';

/** The value of a Constant node's (resolved) attributes as TensorData. */
export function constantNodeValue(attrs: Attributes): TensorData | undefined {
  if (attrs.value && typeof attrs.value === 'object' && 'dtype' in attrs.value) return attrs.value as TensorData;
  if (typeof attrs.value_int === 'number') return fromNumbers('int64', [], [attrs.value_int]);
  if (typeof attrs.value_float === 'number') return fromNumbers('float32', [], [attrs.value_float]);
  if (Array.isArray(attrs.value_ints)) return fromNumbers('int64', [attrs.value_ints.length], attrs.value_ints as number[]);
  if (Array.isArray(attrs.value_floats)) return fromNumbers('float32', [attrs.value_floats.length], attrs.value_floats as number[]);
  return undefined;
}

function int64Tensor(shape: readonly number[], values: readonly number[]): TensorData {
  return fromNumbers('int64', shape, values);
}

/** Shape of a static input as an int64 tensor (honouring start/end). */
function evaluateShape(info: ValueInfo | undefined, attrs: Attributes): TensorData | undefined {
  if (!info || !isStaticShape(info.shape)) return undefined;
  const rank = info.shape.length;
  const clamp = (value: number) => Math.min(rank, Math.max(0, value < 0 ? value + rank : value));
  const start = clamp(typeof attrs.start === 'number' ? attrs.start : 0);
  const end = typeof attrs.end === 'number' ? clamp(attrs.end) : rank;
  const dims = info.shape.slice(start, Math.max(start, end));
  return int64Tensor([dims.length], dims);
}

/** Evaluates small int64 shape arithmetic (Gather/Concat/Unsqueeze/Squeeze/Cast/Identity). */
function evaluateShapeArithmetic(node: Node, values: (TensorData | undefined)[], attrs: Attributes): TensorData | undefined {
  if (values.some((value, index) => value === undefined && node.inputs[index] !== '')) return undefined;
  const first = values[0];
  if (!first || (first.dtype !== 'int64' && first.dtype !== 'int32') || first.shape.length > 1) return undefined;
  const numbers = Array.from(toNumberArray(first));
  switch (node.op) {
    case 'Identity':
      return first;
    case 'Cast':
      return attrs.to === 7 ? int64Tensor(first.shape, numbers) : undefined;
    case 'Unsqueeze':
      return first.shape.length === 0 ? int64Tensor([1], numbers) : undefined;
    case 'Squeeze':
      return first.shape.length === 1 && numbers.length === 1 ? int64Tensor([], numbers) : undefined;
    case 'Concat': {
      const all = values.flatMap((value) => (value ? Array.from(toNumberArray(value)) : []));
      return values.every((value) => value?.shape.length === 1) ? int64Tensor([all.length], all) : undefined;
    }
    case 'Gather': {
      const indices = values[1] as TensorData;
      const picked = Array.from(toNumberArray(indices)).map((index) => numbers[index < 0 ? index + numbers.length : index] as number);
      return first.shape.length === 1 ? int64Tensor(indices.shape, picked) : undefined;
    }
    default:
      return undefined;
  }
}

function propagateConstant(node: Node, inputs: (ValueInfo | undefined)[], values: (TensorData | undefined)[], attrs: Attributes) {
  if (node.op === 'Constant' && node.domain === '') return constantNodeValue(attrs);
  if (node.op === 'Shape' && node.domain === '') return evaluateShape(inputs[0], attrs);
  return node.domain === '' ? evaluateShapeArithmetic(node, values, attrs) : undefined;
}

/** The input list of a node without trailing omitted ('') optional inputs. */
function trimmedInputs(node: Node): string[] {
  const inputs = [...node.inputs];
  while (inputs.length > 0 && inputs[inputs.length - 1] === '') inputs.pop();
  return inputs;
}

/** Inferred ValueInfo for every value of the graph (inputs, initializers, node outputs). */
export function inferValueTypes(graph: Graph): Map<string, ValueInfo> {
  const known = new Map<string, ValueInfo>();
  const constants = new Map<string, TensorData>();
  for (const value of graph.inputs) known.set(value.name, { dtype: value.dtype, shape: value.shape });
  for (const [name, tensor] of graph.initializers) {
    known.set(name, { dtype: tensor.dtype, shape: tensor.shape });
    constants.set(name, tensor);
  }
  for (const node of topologicalOrder(graph)) {
    const schema = getOpSchema(node.op, node.domain, node.name);
    const attrs = resolveAttributes(schema, node.attrs, node.name);
    const names = trimmedInputs(node);
    const inputs = names.map((name) => (name === '' ? undefined : known.get(name)));
    const values = names.map((name) => (name === '' ? undefined : constants.get(name)));
    const outputs = inferOutputs(schema, { op: node.op, node: node.name, inputs, constants: values, attrs, outputCount: node.outputs.length });
    node.outputs.forEach((name, index) => {
      const info = outputs[index];
      if (name !== '' && info) known.set(name, info);
    });
    const folded = node.outputs.length === 1 ? propagateConstant(node, inputs, values, attrs) : undefined;
    if (folded && node.outputs[0]) constants.set(node.outputs[0], folded);
  }
  return known;
}

/** Prefers static dims of either side; declared symbols are kept where inference is symbolic. */
function mergeShapes(declared: Shape, inferred: Shape): Dim[] {
  if (declared.length !== inferred.length) return [...inferred];
  return inferred.map((dim, axis) => (typeof dim === 'number' ? dim : (declared[axis] as Dim)));
}

/** Returns a copy of the graph with valueInfo filled for every intermediate value and outputs refined. */
export function inferShapes(graph: Graph): Graph {
  const known = inferValueTypes(graph);
  const outputNames = new Set(graph.outputs.map((value) => value.name));
  const valueInfo = new Map<string, Value>();
  for (const node of graph.nodes) {
    for (const name of node.outputs) {
      const info = known.get(name);
      if (name === '' || !info || outputNames.has(name)) continue;
      valueInfo.set(name, { name, dtype: info.dtype, shape: [...info.shape] });
    }
  }
  const outputs = graph.outputs.map((value): Value => {
    const info = known.get(value.name);
    return info ? { name: value.name, dtype: info.dtype, shape: mergeShapes(value.shape, info.shape) } : value;
  });
  return { ...graph, outputs, valueInfo };
}

function checkDeclared(declared: Value, inferred: ValueInfo, node: string): void {
  const context = { node, value: declared.name, declared: [...declared.shape], inferred: [...inferred.shape] };
  if (declared.dtype !== inferred.dtype) {
    throw new DTypeError(`value '${declared.name}' (node '${node}') is declared ${declared.dtype} but inferred ${inferred.dtype}`, context);
  }
  const conflict =
    declared.shape.length !== inferred.shape.length ||
    declared.shape.some((dim, axis) => {
      const other = inferred.shape[axis] as Dim;
      return typeof dim === 'number' && typeof other === 'number' && dim !== other;
    });
  if (conflict) {
    throw new ShapeError(
      `value '${declared.name}' (node '${node}') is declared ${formatShape(declared.shape)} but inferred ${formatShape(inferred.shape)}`,
      context,
    );
  }
}

/**
 * Validates structure (cycles, dangling inputs, duplicate producers, unproduced outputs) and
 * that declared graph outputs / valueInfo agree with inference. Returns the inferred graph.
 */
export function validateGraph(graph: Graph): Graph {
  const produced = producers(graph);
  topologicalOrder(graph);
  const sources = new Set([...graph.inputs.map((value) => value.name), ...graph.initializers.keys()]);
  for (const output of graph.outputs) {
    if (!produced.has(output.name) && !sources.has(output.name)) {
      throw new GraphError(`graph output '${output.name}' is not produced by any node, input or initializer`, { value: output.name });
    }
  }
  const known = inferValueTypes(graph);
  for (const declared of [...graph.outputs, ...graph.valueInfo.values()]) {
    const inferred = known.get(declared.name);
    if (inferred) checkDeclared(declared, inferred, produced.get(declared.name)?.name ?? '');
  }
  return inferShapes(graph);
}

/** Replaces symbolic dims named in `dims` in graph inputs and outputs (e.g. { N: 1 }). */
export function bindDims(graph: Graph, dims: Readonly<Record<string, number>>): Graph {
  const bind = (value: Value): Value => ({
    ...value,
    shape: value.shape.map((dim) => (typeof dim === 'string' && dim in dims ? (dims[dim] as number) : dim)),
  });
  return { ...graph, inputs: graph.inputs.map(bind), outputs: graph.outputs.map(bind), valueInfo: new Map() };
}

/** Element count of a value, treating unresolved symbolic dims as 1; reports them in `unresolved`. */
export function elementCount(shape: Shape, unresolved?: Set<string>): number {
  if (isStaticShape(shape)) return shapeSize(shape);
  return shape.reduce<number>((total, dim) => {
    if (typeof dim === 'string') unresolved?.add(dim);
    return total * (typeof dim === 'number' ? dim : 1);
  }, 1);
}
