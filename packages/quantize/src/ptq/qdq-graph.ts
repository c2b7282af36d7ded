// Builds the QDQ form of a float graph, as onnxruntime's quantize_static does: every quantized
// activation v becomes v → QuantizeLinear → DequantizeLinear → consumers (a graph output keeps
// its name on the DequantizeLinear); weights become int8 initializers behind a DequantizeLinear
// (axis = output channel), biases int32 initializers behind one; fused ReLUs are removed.
// Names are compact, since every name is stored in the file (report.activations maps them back):
// activation pair i is Q<i> → q<i> → DQ<i> → dq<i> with scale s<k> / zero point z<k> of its
// observed source k; weight w becomes w_q (int8), w_s and w_z; bias b becomes b_q (int32) and b_s
// (its zero point, 0, is left out, as DequantizeLinear allows).
// reference: https://onnxruntime.ai/docs/performance/model-optimizations/quantization.html (QDQ format)
import { type Graph, type Node, type TensorData, eliminateDeadCode, tensorData, topologicalOrder } from '@efficientdl/ir';
import type { QuantParams, TensorQuantParams } from '../primitives/choose-params.js';
import { quantParamsToTensors } from '../primitives/quantize-tensor.js';
import type { ComputeSite, QuantizationPlan } from './quantization-plan.js';
import { channelScales, quantizeBias, quantizeWeight, weightChannelAxis } from './weight-quantization.js';

export interface QdqBuildInput {
  /** The float graph the plan was made for (BatchNorm folded). */
  readonly graph: Graph;
  readonly plan: QuantizationPlan;
  /** Parameters of every observed activation. */
  readonly activationParams: ReadonlyMap<string, QuantParams>;
  readonly perChannel: boolean;
}

interface MutableNode {
  name: string;
  op: string;
  domain: string;
  inputs: string[];
  outputs: string[];
  attrs: Node['attrs'];
}

interface BuildState {
  readonly input: QdqBuildInput;
  readonly nodes: MutableNode[];
  readonly initializers: Map<string, TensorData>;
  readonly weightParams: Map<string, { output: string; params: QuantParams | TensorQuantParams }>;
  /** Every value, initializer and node name in use. */
  readonly taken: Set<string>;
  /** Observed source → its scale / zero-point initializer names. */
  readonly parameterNames: Map<string, { scale: string; zeroPoint: string }>;
  /** Activation name → its Q/DQ value names (for the report). */
  readonly pairs: Map<string, { quantized: string; dequantized: string }>;
}

/** `base`, or `base_<n>` when taken; marks the result taken. */
function freshName(state: BuildState, base: string): string {
  let name = base;
  for (let index = 1; state.taken.has(name); index++) name = `${base}_${index}`;
  state.taken.add(name);
  return name;
}

function parameterNames(state: BuildState, source: string): { scale: string; zeroPoint: string } {
  const known = state.parameterNames.get(source);
  if (known) return known;
  const index = state.parameterNames.size;
  const names = { scale: freshName(state, `s${index}`), zeroPoint: freshName(state, `z${index}`) };
  const { scale, zeroPoint } = quantParamsToTensors(state.input.activationParams.get(source) as QuantParams);
  state.initializers.set(names.scale, scale);
  state.initializers.set(names.zeroPoint, zeroPoint);
  state.parameterNames.set(source, names);
  return names;
}

function dequantizeNode(name: string, inputs: string[], output: string, axis?: number): MutableNode {
  return { name, op: 'DequantizeLinear', domain: '', inputs, outputs: [output], attrs: axis === undefined ? {} : { axis } };
}

/** Q → DQ after activation `value`, rewiring its consumers (or renaming its producer for a graph output). */
function insertActivationPair(state: BuildState, value: string, source: string): void {
  const { scale, zeroPoint } = parameterNames(state, source);
  const index = state.pairs.size;
  const isOutput = state.input.graph.outputs.some((output) => output.name === value);
  const floatName = isOutput ? freshName(state, `${value}_f`) : value;
  const dequantized = isOutput ? value : freshName(state, `dq${index}`);
  const quantized = freshName(state, `q${index}`);
  if (isOutput) {
    for (const node of state.nodes) node.outputs = node.outputs.map((name) => (name === value ? floatName : name));
  } else {
    for (const node of state.nodes) node.inputs = node.inputs.map((name) => (name === value ? dequantized : name));
  }
  state.pairs.set(value, { quantized, dequantized });
  state.nodes.push(
    { name: freshName(state, `Q${index}`), op: 'QuantizeLinear', domain: '', inputs: [floatName, scale, zeroPoint], outputs: [quantized], attrs: {} },
    dequantizeNode(freshName(state, `DQ${index}`), [quantized, scale, zeroPoint], dequantized),
  );
}

/** int8 weight initializer + DequantizeLinear (shared by every node reading the same weight). */
function insertWeight(state: BuildState, site: ComputeSite, node: MutableNode): QuantParams | TensorQuantParams {
  const weight = site.weight as string;
  const known = state.weightParams.get(weight);
  if (known) {
    node.inputs[1] = known.output;
    return known.params;
  }
  const tensor = state.input.graph.initializers.get(weight) as TensorData;
  const axis = weightChannelAxis(site.node.op, tensor, site.node.attrs);
  const { quantized, params } = quantizeWeight(tensor, { perChannel: state.input.perChannel, axis });
  const names = ['q', 's', 'z', 'dq'].map((suffix) => freshName(state, `${weight}_${suffix}`)) as [string, string, string, string];
  const { scale, zeroPoint } = quantParamsToTensors(params);
  state.initializers.set(names[0], quantized);
  state.initializers.set(names[1], scale);
  state.initializers.set(names[2], zeroPoint);
  const output = names[3];
  state.nodes.unshift(dequantizeNode(freshName(state, 'DQw'), names.slice(0, 3), output, 'scales' in params ? axis : undefined));
  state.weightParams.set(weight, { output, params });
  node.inputs[1] = output;
  return params;
}

/** int32 bias (scale = input scale · weight scale) behind a DequantizeLinear; Gemm only with alpha = beta = 1. */
function insertBias(state: BuildState, site: ComputeSite, node: MutableNode, weightParams: QuantParams | TensorQuantParams): void {
  const bias = site.bias as string;
  const inputName = site.node.inputs[0] as string;
  const source = state.input.plan.shared.get(inputName) ?? inputName;
  const inputParams = state.input.activationParams.get(source);
  const { alpha = 1, beta = 1 } = site.node.attrs as { alpha?: number; beta?: number };
  if (!inputParams || alpha !== 1 || beta !== 1) return;
  const tensor = state.input.graph.initializers.get(bias) as TensorData;
  const channels = tensor.shape[0] ?? 0;
  if (tensor.shape.length !== 1 || ('scales' in weightParams && weightParams.scales.length !== channels)) return;
  const { quantized, scales } = quantizeBias(tensor, inputParams.scale, channelScales(weightParams, channels));
  const [base, scaleName, output] = [freshName(state, `${bias}_q`), freshName(state, `${bias}_s`), freshName(state, `${bias}_dq`)];
  state.initializers.set(base, quantized);
  state.initializers.set(scaleName, tensorData('float32', [channels], scales));
  state.nodes.unshift(dequantizeNode(freshName(state, 'DQb'), [base, scaleName], output, 0));
  node.inputs[2] = output;
}

function namesIn(graph: Graph): Set<string> {
  const names = new Set<string>([...graph.initializers.keys(), ...graph.inputs.map((value) => value.name), ...graph.outputs.map((value) => value.name)]);
  for (const node of graph.nodes) for (const name of [node.name, ...node.inputs, ...node.outputs]) names.add(name);
  return names;
}

export interface QdqGraph {
  readonly graph: Graph;
  /** Activation → the names of its quantized (q<i>) and dequantized (dq<i>) values. */
  readonly pairs: ReadonlyMap<string, { quantized: string; dequantized: string }>;
}

/** The QDQ graph (topologically ordered, unused float weights dropped). */
export function buildQdqGraph(input: QdqBuildInput): Graph {
  return buildNamedQdqGraph(input).graph;
}

/** buildQdqGraph, plus the names each activation's Q/DQ values got. */
export function buildNamedQdqGraph(input: QdqBuildInput): QdqGraph {
  const { graph, plan } = input;
  const fused = new Set(plan.sites.flatMap((site) => (site.fusedRelu ? [site.fusedRelu.name] : [])));
  const state: BuildState = {
    input,
    nodes: graph.nodes.filter((node) => !fused.has(node.name)).map((node) => ({ ...node, inputs: [...node.inputs], outputs: [...node.outputs] })),
    initializers: new Map(graph.initializers),
    weightParams: new Map(),
    taken: namesIn(graph),
    parameterNames: new Map(),
    pairs: new Map(),
  };
  for (const site of plan.sites) {
    const node = state.nodes.find((candidate) => candidate.name === site.node.name) as MutableNode;
    if (site.fusedRelu) node.outputs[0] = site.output;
    if (!site.weight) continue;
    const weightParams = insertWeight(state, site, node);
    if (site.bias) insertBias(state, site, node, weightParams);
  }
  for (const value of plan.observed) insertActivationPair(state, value, value);
  for (const [value, source] of plan.shared) insertActivationPair(state, value, source);
  const unordered: Graph = { ...graph, nodes: state.nodes, initializers: state.initializers, valueInfo: new Map(), opsets: { ...graph.opsets, '': Math.max(graph.opsets[''] ?? 21, 21) } };
  const cleaned = eliminateDeadCode(unordered);
  return { graph: { ...cleaned, nodes: topologicalOrder(cleaned) }, pairs: state.pairs };
}
