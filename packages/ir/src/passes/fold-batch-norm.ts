// BatchNormalization folding: an inference-mode BatchNormalization whose input comes from a Conv,
// a Gemm, or a MatMul + Add (each intermediate with a single consumer, weights as initializers)
// is folded into the weights and bias: s = gamma / sqrt(var + eps), W' = W * s per output
// channel, b' = (b - mean) * s + beta.
import type { Graph, Node } from '../graph.js';
import { consumers, producers } from '../graph.js';
import { inferValueTypes } from '../graph-inference.js';
import { type TensorData, fromNumbers, toNumberArray } from '../tensor-data.js';

interface BatchNormParameters {
  scale: Float64Array;
  shift: Float64Array;
}

interface FoldState {
  graph: Graph;
  initializers: Map<string, TensorData>;
  consumersOf: Map<string, Node[]>;
  producedBy: Map<string, Node>;
  ranks: Map<string, number>;
  removed: Set<Node>;
  replaced: Map<Node, Node>;
}

/** s and (beta - mean * s) of a BatchNormalization node, or undefined if not foldable. */
function batchNormParameters(state: FoldState, node: Node): BatchNormParameters | undefined {
  if (node.attrs.training_mode === 1 || node.outputs.filter((name) => name !== '').length !== 1) return undefined;
  const [gamma, beta, mean, variance] = node.inputs.slice(1, 5).map((name) => state.initializers.get(name));
  if (!gamma || !beta || !mean || !variance) return undefined;
  const epsilon = typeof node.attrs.epsilon === 'number' ? node.attrs.epsilon : 1e-5;
  const [g, b, m, v] = [gamma, beta, mean, variance].map(toNumberArray) as Float64Array[];
  const scale = (g as Float64Array).map((value, channel) => value / Math.sqrt((v as Float64Array)[channel] as number + epsilon));
  const shift = (b as Float64Array).map((value, channel) => value - ((m as Float64Array)[channel] as number) * (scale[channel] as number));
  return { scale, shift };
}

/** The value's single consumer, if it has exactly one and is not a graph output. */
function soleConsumer(state: FoldState, value: string): Node | undefined {
  const list = state.consumersOf.get(value) ?? [];
  if (list.length !== 1 || state.graph.outputs.some((output) => output.name === value)) return undefined;
  return list[0];
}

/** A fresh initializer name near `base`. */
function freshName(state: FoldState, base: string): string {
  let name = base;
  for (let index = 1; state.initializers.has(name) || state.producedBy.has(name); index++) name = `${base}_${index}`;
  return name;
}

/** Stores `tensor` under `name` if only `owner` reads it, else under a fresh name; returns the name. */
function writeInitializer(state: FoldState, name: string, owner: Node, tensor: TensorData, fallback: string): string {
  const readers = state.consumersOf.get(name) ?? [];
  const target = readers.length === 1 && readers[0] === owner ? name : freshName(state, fallback);
  state.initializers.set(target, tensor);
  return target;
}

/**
 * Scales weight `weight` along `channelAxis` by `scale` (weight is float; other axes untouched).
 * For an axis of size M with `inner` elements per step and `outer` blocks.
 */
function scaleWeight(weight: TensorData, channelAxis: number, scale: Float64Array): TensorData {
  const values = toNumberArray(weight);
  const channels = weight.shape[channelAxis] as number;
  const inner = weight.shape.slice(channelAxis + 1).reduce((total, dim) => total * dim, 1);
  values.forEach((value, index) => {
    const channel = Math.floor(index / inner) % channels;
    values[index] = value * (scale[channel] as number);
  });
  return fromNumbers(weight.dtype, weight.shape, values);
}

/** b' = b * s + (beta - mean * s), with b = 0 when absent (`biasScale` scales b first, for Gemm beta). */
function foldedBias(bias: TensorData | undefined, parameters: BatchNormParameters, dtype: TensorData['dtype'], biasScale = 1): TensorData {
  const b = bias ? toNumberArray(bias) : new Float64Array(parameters.scale.length);
  const values = parameters.scale.map((s, channel) => ((b[b.length === 1 ? 0 : channel] as number) * biasScale) * s + (parameters.shift[channel] as number));
  return fromNumbers(dtype, [values.length], values);
}

function biasBase(weightName: string, node: Node): string {
  return weightName.endsWith('.weight') ? `${weightName.slice(0, -'.weight'.length)}.bias` : `${node.name}.bias`;
}

function isFoldableTensor(tensor: TensorData | undefined, channels: number): tensor is TensorData {
  return tensor !== undefined && (tensor.dtype === 'float32' || tensor.dtype === 'float64' || tensor.dtype === 'float16') && tensor.shape.length >= 1 && channels > 0;
}

function foldConv(state: FoldState, conv: Node, norm: Node, parameters: BatchNormParameters): boolean {
  const weight = state.initializers.get(conv.inputs[1] ?? '');
  const bias = conv.inputs[2] ? state.initializers.get(conv.inputs[2]) : undefined;
  if (!isFoldableTensor(weight, parameters.scale.length) || weight.shape[0] !== parameters.scale.length) return false;
  if (conv.inputs[2] && !bias) return false;
  // W: (M, C/group, k...) — output channel axis 0
  const weightName = writeInitializer(state, conv.inputs[1] as string, conv, scaleWeight(weight, 0, parameters.scale), `${conv.inputs[1]}_folded`);
  const newBias = foldedBias(bias, parameters, weight.dtype);
  const biasName = conv.inputs[2] ? writeInitializer(state, conv.inputs[2], conv, newBias, `${conv.inputs[2]}_folded`) : freshName(state, biasBase(weightName, conv));
  state.initializers.set(biasName, newBias);
  state.replaced.set(conv, { ...conv, inputs: [conv.inputs[0] as string, weightName, biasName], outputs: [...norm.outputs.slice(0, 1)] });
  state.removed.add(norm);
  return true;
}

function foldGemm(state: FoldState, gemm: Node, norm: Node, parameters: BatchNormParameters): boolean {
  const weight = state.initializers.get(gemm.inputs[1] ?? '');
  const bias = gemm.inputs[2] ? state.initializers.get(gemm.inputs[2]) : undefined;
  const channels = parameters.scale.length;
  if (!isFoldableTensor(weight, channels) || weight.shape.length !== 2 || (gemm.inputs[2] && !bias)) return false;
  if (bias && bias.shape.reduce((total, dim) => total * dim, 1) !== channels && bias.shape.reduce((t, d) => t * d, 1) !== 1) return false;
  // B': (K, M); with transB the stored W is (M, K)
  const transB = gemm.attrs.transB === 1;
  const channelAxis = transB ? 0 : 1;
  if (weight.shape[channelAxis] !== channels) return false;
  const alpha = typeof gemm.attrs.alpha === 'number' ? gemm.attrs.alpha : 1;
  const betaAttr = typeof gemm.attrs.beta === 'number' ? gemm.attrs.beta : 1;
  const scaled = scaleWeight(weight, channelAxis, parameters.scale);
  const weightName = writeInitializer(state, gemm.inputs[1] as string, gemm, scaled, `${gemm.inputs[1]}_folded`);
  // alpha stays on A*B'; the bias absorbs beta
  const newBias = foldedBias(bias, parameters, weight.dtype, betaAttr);
  const biasName = gemm.inputs[2] ? writeInitializer(state, gemm.inputs[2], gemm, newBias, `${gemm.inputs[2]}_folded`) : freshName(state, biasBase(weightName, gemm));
  state.initializers.set(biasName, newBias);
  const attrs = { ...gemm.attrs, alpha, beta: 1 };
  state.replaced.set(gemm, { ...gemm, attrs, inputs: [gemm.inputs[0] as string, weightName, biasName], outputs: [...norm.outputs.slice(0, 1)] });
  state.removed.add(norm);
  return true;
}

function foldMatMulAdd(state: FoldState, add: Node, norm: Node, parameters: BatchNormParameters): boolean {
  const matmulIndex = add.inputs.findIndex((name) => state.producedBy.get(name)?.op === 'MatMul');
  if (matmulIndex < 0) return false;
  const matmulOutput = add.inputs[matmulIndex] as string;
  const matmul = state.producedBy.get(matmulOutput) as Node;
  const biasName = add.inputs[1 - matmulIndex] as string;
  const weight = state.initializers.get(matmul.inputs[1] ?? '');
  const bias = state.initializers.get(biasName);
  const channels = parameters.scale.length;
  // A: (N, K), W: (K, M), bias: (M); BatchNormalization's channel axis 1 is M only for rank 2
  if (soleConsumer(state, matmulOutput) !== add || state.ranks.get(matmulOutput) !== 2) return false;
  if (!isFoldableTensor(weight, channels) || weight.shape.length !== 2 || weight.shape[1] !== channels || !bias) return false;
  if (bias.shape.reduce((total, dim) => total * dim, 1) !== channels || bias.dtype !== weight.dtype) return false;
  const weightName = writeInitializer(state, matmul.inputs[1] as string, matmul, scaleWeight(weight, 1, parameters.scale), `${matmul.inputs[1]}_folded`);
  const newBiasName = writeInitializer(state, biasName, add, foldedBias(bias, parameters, bias.dtype), `${biasName}_folded`);
  state.replaced.set(matmul, { ...matmul, inputs: [matmul.inputs[0] as string, weightName] });
  const addInputs = [...add.inputs];
  addInputs[1 - matmulIndex] = newBiasName;
  state.replaced.set(add, { ...add, inputs: addInputs, outputs: [...norm.outputs.slice(0, 1)] });
  state.removed.add(norm);
  return true;
}

/** Folds inference-mode BatchNormalization into a preceding Conv, Gemm or MatMul+Add. */
export function foldBatchNorm(graph: Graph): Graph {
  const state: FoldState = {
    graph,
    initializers: new Map(graph.initializers),
    consumersOf: consumers(graph),
    producedBy: producers(graph),
    ranks: new Map([...inferValueTypes(graph)].map(([name, info]) => [name, info.shape.length])),
    removed: new Set(),
    replaced: new Map(),
  };
  for (const norm of graph.nodes) {
    if (norm.op !== 'BatchNormalization' || norm.domain !== '') continue;
    const input = norm.inputs[0] as string;
    const source = state.producedBy.get(input);
    if (!source || source.domain !== '' || state.replaced.has(source) || soleConsumer(state, input) !== norm) continue;
    const parameters = batchNormParameters(state, norm);
    if (!parameters) continue;
    if (source.op === 'Conv') foldConv(state, source, norm, parameters);
    else if (source.op === 'Gemm') foldGemm(state, source, norm, parameters);
    else if (source.op === 'Add') foldMatMulAdd(state, source, norm, parameters);
  }
  if (state.removed.size === 0) return graph;
  const nodes = graph.nodes.filter((node) => !state.removed.has(node)).map((node) => state.replaced.get(node) ?? node);
  const used = new Set(nodes.flatMap((node) => node.inputs));
  // drop original initializers whose every reader was removed or rewired (BN statistics, old weights)
  const orphaned = (name: string) => graph.initializers.has(name) && !used.has(name) && (state.consumersOf.get(name)?.length ?? 0) > 0;
  const initializers = new Map([...state.initializers].filter(([name]) => !orphaned(name)));
  const produced = new Set(nodes.flatMap((node) => node.outputs));
  const valueInfo = new Map([...graph.valueInfo].filter(([name]) => produced.has(name)));
  return { ...graph, nodes, initializers, valueInfo };
}
