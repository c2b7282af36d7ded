// The cost model: parameters, bytes per dtype, MACs per node and peak activation memory for the
// topological execution order (a value is live from its producer until its last consumer; graph
// inputs count, initializers do not). Symbolic dims are bound with `dims`; any left unbound
// count as 1 and are listed in `unresolvedDims`.
import { type DType, byteSize, isFloatDType, isIntegerDType } from '../dtype.js';
import { type Graph, type Node, topologicalOrder } from '../graph.js';
import { bindDims, elementCount, inferShapes } from '../graph-inference.js';
import type { ValueInfo } from '../op-schema.js';
import { type Shape, shapeSize } from '../shape.js';
import { nodeMacs } from './node-macs.js';

export interface NodeCost {
  name: string;
  op: string;
  macs: number;
  /** Elements of the weight initializers this node reads. */
  params: number;
  /** Bytes of this node's outputs. */
  outputBytes: number;
}

export interface CostReport {
  /** Elements of float and integer initializers (int64 shape/index constants and bool excluded). */
  params: number;
  /** Bytes of all initializers (int4/uint4 packed at half a byte per element). */
  bytes: number;
  bytesByDType: Partial<Record<DType, number>>;
  macs: number;
  peakActivationBytes: number;
  /** The same peak counted in elements: the bytes an int8 deployment of the graph needs. */
  peakActivationElements: number;
  nodes: NodeCost[];
  ops: Record<string, number>;
  /** Symbolic dims that `dims` did not bind (counted as 1). */
  unresolvedDims: string[];
}

export interface CostOptions {
  /** Values for symbolic dims, e.g. { N: 1 }. */
  dims?: Readonly<Record<string, number>>;
}

/** Whether an initializer counts as a parameter (weights, quantized weights, int32 biases). */
export function isParameterDType(dtype: DType): boolean {
  return isFloatDType(dtype) || (isIntegerDType(dtype) && dtype !== 'int64' && dtype !== 'uint64');
}

interface Context {
  graph: Graph;
  types: Map<string, ValueInfo>;
  unresolved: Set<string>;
}

function valueBytes(context: Context, name: string): number {
  const info = context.types.get(name);
  return info ? byteSize(info.dtype, elementCount(info.shape, context.unresolved)) : 0;
}

function valueElements(context: Context, name: string): number {
  const info = context.types.get(name);
  return info ? elementCount(info.shape, context.unresolved) : 0;
}

function nodeCost(context: Context, node: Node): NodeCost {
  const lookup = (name: string) => (name === '' ? undefined : context.types.get(name));
  const count = (shape: Shape) => elementCount(shape, context.unresolved);
  const macs = nodeMacs({ node, inputs: node.inputs.map(lookup), outputs: node.outputs.map(lookup), count });
  let params = 0;
  for (const name of new Set(node.inputs)) {
    const tensor = context.graph.initializers.get(name);
    if (tensor && isParameterDType(tensor.dtype)) params += shapeSize(tensor.shape);
  }
  const outputBytes = node.outputs.reduce((total, name) => total + (name === '' ? 0 : valueBytes(context, name)), 0);
  return { name: node.name, op: node.op, macs, params, outputBytes };
}

/** Peak of live activation bytes over the execution order. */
export function peakActivationBytes(graph: Graph, order: readonly Node[], bytesOf: (name: string) => number): number {
  const lastUse = new Map<string, number>();
  const end = Math.max(0, order.length - 1);
  order.forEach((node, step) => {
    for (const name of node.inputs) if (name !== '') lastUse.set(name, step);
  });
  for (const output of graph.outputs) lastUse.set(output.name, end);
  const intervals: { start: number; stop: number; bytes: number }[] = [];
  for (const input of graph.inputs) intervals.push({ start: 0, stop: lastUse.get(input.name) ?? 0, bytes: bytesOf(input.name) });
  order.forEach((node, step) => {
    for (const name of node.outputs) {
      if (name !== '' && !graph.initializers.has(name)) intervals.push({ start: step, stop: Math.max(step, lastUse.get(name) ?? step), bytes: bytesOf(name) });
    }
  });
  let peak = 0;
  for (let step = 0; step <= end; step++) {
    const live = intervals.reduce((total, interval) => total + (interval.start <= step && step <= interval.stop ? interval.bytes : 0), 0);
    peak = Math.max(peak, live);
  }
  return peak;
}

/** Analyzes parameters, storage, MACs and peak activation memory of a graph. */
export function analyzeCost(graph: Graph, options: CostOptions = {}): CostReport {
  const inferred = inferShapes(bindDims(graph, options.dims ?? {}));
  const types = new Map<string, ValueInfo>();
  for (const value of [...inferred.inputs, ...inferred.valueInfo.values(), ...inferred.outputs]) types.set(value.name, value);
  for (const [name, tensor] of inferred.initializers) types.set(name, tensor);
  const context: Context = { graph: inferred, types, unresolved: new Set() };
  const order = topologicalOrder(inferred);
  const nodes = order.map((node) => nodeCost(context, node));
  const bytesByDType: Partial<Record<DType, number>> = {};
  let params = 0;
  let bytes = 0;
  for (const tensor of inferred.initializers.values()) {
    const size = byteSize(tensor.dtype, shapeSize(tensor.shape));
    bytes += size;
    bytesByDType[tensor.dtype] = (bytesByDType[tensor.dtype] ?? 0) + size;
    if (isParameterDType(tensor.dtype)) params += shapeSize(tensor.shape);
  }
  const ops: Record<string, number> = {};
  for (const node of order) ops[node.op] = (ops[node.op] ?? 0) + 1;
  return {
    params,
    bytes,
    bytesByDType,
    macs: nodes.reduce((total, node) => total + node.macs, 0),
    peakActivationBytes: peakActivationBytes(inferred, order, (name) => valueBytes(context, name)),
    peakActivationElements: peakActivationBytes(inferred, order, (name) => valueElements(context, name)),
    nodes,
    ops,
    unresolvedDims: [...context.unresolved].sort(),
  };
}
