// Rewrites modern (opset 21) nodes for export at opset 17: Reduce* other than ReduceSum take
// axes as an attribute before 18, Split has no num_outputs before 18, GroupNormalization takes
// per-group scale/bias before 21; attributes added after 17 must hold their defaults. Anything
// that cannot be expressed is refused with an UnsupportedOpError naming node and op.
import {
  type AttrValue,
  type Graph,
  type Node,
  type TensorData,
  UnsupportedOpError,
  fromNumbers,
  toNumberArray,
} from '@efficientdl/ir';

export interface DowngradeResult {
  nodes: Node[];
  initializers: Map<string, TensorData>;
}

const AXES_ATTR_BEFORE_18 = new Set(['ReduceMean', 'ReduceMax', 'ReduceMin', 'ReduceProd', 'ReduceL1', 'ReduceL2', 'ReduceLogSum', 'ReduceLogSumExp', 'ReduceSumSquare']);

/** Attributes introduced after opset 17, with the value that equals the opset-17 behaviour. */
const NEW_ATTRS: Readonly<Record<string, Readonly<Record<string, AttrValue>>>> = {
  Resize: { antialias: 0, keep_aspect_ratio_policy: 'stretch' },
  Cast: { saturate: 1 },
  QuantizeLinear: { saturate: 1, block_size: 0, output_dtype: 0 },
  DequantizeLinear: { block_size: 0 },
  ReduceMean: { noop_with_empty_axes: 0 },
  ReduceMax: { noop_with_empty_axes: 0 },
  ReduceMin: { noop_with_empty_axes: 0 },
};

function refuse(node: Node, why: string): UnsupportedOpError {
  return new UnsupportedOpError(`cannot export node '${node.name}' (${node.op}) at opset 17: ${why}`, { op: node.op, node: node.name });
}

function constantValue(graph: Graph, initializers: ReadonlyMap<string, TensorData>, name: string): TensorData | undefined {
  if (name === '') return undefined;
  const initializer = initializers.get(name);
  if (initializer) return initializer;
  const producer = graph.nodes.find((node) => node.op === 'Constant' && node.outputs[0] === name);
  const value = producer?.attrs.value;
  return value && typeof value === 'object' && 'dtype' in value ? (value as TensorData) : undefined;
}

function stripNewAttrs(node: Node, attrs: Record<string, AttrValue>): void {
  for (const [name, neutral] of Object.entries(NEW_ATTRS[node.op] ?? {})) {
    if (!(name in attrs)) continue;
    if (JSON.stringify(attrs[name]) !== JSON.stringify(neutral)) throw refuse(node, `attribute ${name}=${JSON.stringify(attrs[name])} needs a later opset`);
    delete attrs[name];
  }
  if (node.op === 'Resize' && Array.isArray(attrs.axes)) throw refuse(node, 'the axes attribute needs opset 18');
}

function downgradeNode(graph: Graph, node: Node, initializers: Map<string, TensorData>): Node {
  const attrs: Record<string, AttrValue> = { ...node.attrs };
  let inputs = [...node.inputs];
  stripNewAttrs(node, attrs);
  if (AXES_ATTR_BEFORE_18.has(node.op) && (inputs[1] ?? '') !== '') {
    const axes = constantValue(graph, initializers, inputs[1] as string);
    if (!axes) throw refuse(node, 'axes must be a constant to become an attribute');
    attrs.axes = Array.from(toNumberArray(axes));
    inputs = [inputs[0] as string];
  }
  if (node.op === 'Pad' && (inputs[3] ?? '') !== '') throw refuse(node, 'the axes input needs opset 18');
  if (node.op === 'Split' && attrs.num_outputs !== undefined) {
    if (attrs.num_outputs !== node.outputs.length) throw refuse(node, 'num_outputs differs from the output count');
    delete attrs.num_outputs;
    if ((inputs[1] ?? '') === '') inputs = unevenSplitInputs(graph, node, inputs, initializers);
  }
  if (node.op === 'GroupNormalization') inputs = perGroupInputs(graph, node, inputs, initializers);
  return { ...node, inputs, attrs };
}

/** The static size of `name` along `axis` (negative counts from the end), if the graph knows it. */
function staticDim(graph: Graph, initializers: ReadonlyMap<string, TensorData>, name: string, axis: number): number | undefined {
  const shape = initializers.get(name)?.shape ?? [...graph.inputs, ...graph.valueInfo.values(), ...graph.outputs].find((value) => value.name === name)?.shape;
  const dim = shape?.[axis < 0 ? axis + shape.length : axis];
  return typeof dim === 'number' ? dim : undefined;
}

/**
 * Split 18 `num_outputs` → Split 13, which splits equally when `split` is absent. num_outputs
 * allows a smaller last part (ceil-sized parts): where the size is known and does not divide,
 * the parts are written as a `split` initializer. An unknown size keeps the equal-split form,
 * which agrees whenever the size divides (ORT reports an error at run time otherwise).
 */
function unevenSplitInputs(graph: Graph, node: Node, inputs: string[], initializers: Map<string, TensorData>): string[] {
  const count = node.outputs.length;
  const size = staticDim(graph, initializers, inputs[0] as string, (node.attrs.axis as number | undefined) ?? 0);
  if (size === undefined || size % count === 0) return inputs;
  const part = Math.ceil(size / count);
  const parts = Array.from({ length: count }, (_, index) => Math.max(0, Math.min(part, size - part * index)));
  const taken = new Set([...initializers.keys(), ...graph.inputs.map((value) => value.name), ...graph.nodes.flatMap((other) => [...other.inputs, ...other.outputs])]);
  let splitName = `${node.name || node.outputs[0]}_split`;
  while (taken.has(splitName)) splitName += '_';
  initializers.set(splitName, fromNumbers('int64', [count], parts));
  return [inputs[0] as string, splitName];
}

/** GroupNormalization 21 → 18: per-channel scale/bias must be constant within each group. */
function perGroupInputs(graph: Graph, node: Node, inputs: string[], initializers: Map<string, TensorData>): string[] {
  const groups = node.attrs.num_groups as number;
  return inputs.map((name, position) => {
    if (position === 0) return name;
    const tensor = constantValue(graph, initializers, name);
    if (!tensor) throw refuse(node, `per-channel input '${name}' must be a constant to convert to per-group`);
    const values = toNumberArray(tensor);
    const size = values.length / groups;
    const perGroup = Array.from({ length: groups }, (_, group) => values[group * size] as number);
    if (!Number.isInteger(size) || values.some((value, channel) => value !== perGroup[Math.floor(channel / size)])) {
      throw refuse(node, `input '${name}' is not constant within each of the ${groups} groups`);
    }
    let perGroupName = `${name}_per_group`;
    while (initializers.has(perGroupName)) perGroupName += '_';
    initializers.set(perGroupName, fromNumbers(tensor.dtype, [groups], perGroup));
    return perGroupName;
  });
}

/** Downgrades every default-domain node of `graph` to opset 17 forms. */
export function downgradeToOpset17(graph: Graph): DowngradeResult {
  const initializers = new Map(graph.initializers);
  const nodes = graph.nodes.map((node) => (node.domain === '' ? downgradeNode(graph, node, initializers) : node));
  const before = new Set(graph.nodes.flatMap((node) => node.inputs));
  const after = new Set(nodes.flatMap((node) => node.inputs));
  const outputs = new Set(graph.outputs.map((value) => value.name));
  // axes that became attributes leave their initializers unread: drop those (only those)
  for (const name of before) if (!after.has(name) && !outputs.has(name)) initializers.delete(name);
  return { nodes, initializers };
}
