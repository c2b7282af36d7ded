// applyWeightOnly: int8 / int4 (or 2-bit) round-to-nearest weight-only quantization of Gemm and
// MatMul layers. Each eligible node becomes an ai.efficientdl MatMulNBits reading the packed
// weight, per-block scales and zero points (activations stay float; the kernel dequantizes the
// weight on the fly). Gemm needs transA = 0 and a bias that is absent or an initializer (alpha
// and beta are folded into the weight and bias); MatMul needs a 2-D (K, N) initializer as B.
import { ConfigError, EFFICIENTDL_DOMAIN, type Graph, type Node, type TensorData, createGraph, fromNumbers, toNumberArray } from '@efficientdl/ir';
import { GraphModule } from '@efficientdl/nn';
import { type LayerWeight, findLayerWeights } from '../kmeans/layer-weights.js';
import { type NBitsOptions, type NBitsWeight, checkNBitsOptions, quantizeNBits } from './quantize-nbits.js';

/** JSON-serializable weight-only configuration. */
export interface WeightOnlyConfig extends NBitsOptions {
  kind?: 'weightOnly';
  /** Weights to quantize (initializer names); default every eligible Gemm / MatMul weight. */
  layers?: string[];
}

export interface WeightOnlyLayer {
  name: string;
  node: string;
  K: number;
  N: number;
  fp32Bytes: number;
  /** Packed codes + float32 scales + packed zero points. */
  storedBytes: number;
}

export interface WeightOnlyResult {
  graph: Graph;
  layers: WeightOnlyLayer[];
  fp32Bytes: number;
  storedBytes: number;
}

interface Rewrite {
  weight: LayerWeight;
  /** W as (N, K) rows, alpha folded in. */
  rows: Float32Array;
  N: number;
  K: number;
  /** Bias (N) with beta folded in, or undefined. */
  bias?: Float32Array;
}

/** (N, K) rows of the weight and the bias of an eligible node; a reason string otherwise. */
function planRewrite(graph: Graph, weight: LayerWeight): Rewrite | string {
  const { node, data } = weight;
  if (data.shape.length !== 2) return `weight ${weight.name} is not 2-D`;
  const values = Float32Array.from(toNumberArray(data));
  const [rowsIn, columnsIn] = data.shape as [number, number];
  const transposed = node.op === 'MatMul' || node.attrs.transB !== 1;
  const [N, K] = transposed ? [columnsIn, rowsIn] : [rowsIn, columnsIn];
  const rows = transposed ? new Float32Array(N * K).map((_, index) => values[(index % K) * N + Math.floor(index / K)] as number) : values;
  if (node.op === 'MatMul') return { weight, rows, N, K };
  if (node.attrs.transA === 1) return `Gemm '${node.name}' has transA = 1`;
  const alpha = typeof node.attrs.alpha === 'number' ? node.attrs.alpha : 1;
  const beta = typeof node.attrs.beta === 'number' ? node.attrs.beta : 1;
  if (alpha !== 1) rows.forEach((value, index) => (rows[index] = value * alpha));
  const biasName = node.inputs[2];
  if (!biasName) return { weight, rows, N, K };
  const biasData = graph.initializers.get(biasName);
  if (!biasData) return `Gemm '${node.name}' has a bias '${biasName}' that is not an initializer`;
  const biasValues = toNumberArray(biasData);
  if (biasValues.length !== N && biasValues.length !== 1) return `Gemm '${node.name}' bias ${biasName} does not broadcast to (N)`;
  const bias = Float32Array.from({ length: N }, (_, index) => beta * (biasValues[biasValues.length === 1 ? 0 : index] as number));
  return { weight, rows, N, K, bias };
}

function nbitsNode(node: Node, names: { packed: string; scales: string; zeroPoints?: string; bias?: string }, quantized: NBitsWeight): Node {
  const inputs = [node.inputs[0] as string, names.packed, names.scales, names.zeroPoints ?? '', '', names.bias ?? ''];
  while (inputs[inputs.length - 1] === '') inputs.pop();
  return {
    name: node.name,
    op: 'MatMulNBits',
    domain: EFFICIENTDL_DOMAIN,
    inputs,
    outputs: [...node.outputs],
    attrs: { K: quantized.K, N: quantized.N, bits: quantized.bits, block_size: quantized.blockSize, accuracy_level: 0 },
  };
}

function selectRewrites(graph: Graph, config: WeightOnlyConfig): Rewrite[] {
  const candidates = findLayerWeights(graph).filter((weight) => weight.node.op === 'Gemm' || weight.node.op === 'MatMul');
  const wanted = config.layers ? new Set(config.layers) : undefined;
  for (const name of wanted ?? []) {
    if (!candidates.some((weight) => weight.name === name)) throw new ConfigError(`applyWeightOnly: '${name}' is not the weight of a Gemm/MatMul node`, { name });
  }
  const rewrites: Rewrite[] = [];
  for (const weight of candidates) {
    if (wanted && !wanted.has(weight.name)) continue;
    const plan = planRewrite(graph, weight);
    if (typeof plan !== 'string') rewrites.push(plan);
    else if (wanted) throw new ConfigError(`applyWeightOnly: cannot quantize '${weight.name}': ${plan}`, { name: weight.name });
  }
  return rewrites;
}

/** Rewrites the eligible layers (see the file header) and reports their sizes. */
export function applyWeightOnly(model: Graph | GraphModule, config: WeightOnlyConfig): WeightOnlyResult {
  checkNBitsOptions(config, 'applyWeightOnly');
  const graph = model instanceof GraphModule ? model.toGraph() : model;
  const initializers = new Map<string, TensorData>(graph.initializers);
  const replaced = new Map<Node, Node>();
  const layers: WeightOnlyLayer[] = [];
  for (const rewrite of selectRewrites(graph, config)) {
    const { weight, N, K } = rewrite;
    const quantized = quantizeNBits(rewrite.rows, { N, K }, config);
    const names = { packed: `${weight.name}.nbits`, scales: `${weight.name}.nbits_scales`, zeroPoints: quantized.zeroPoints ? `${weight.name}.nbits_zero_points` : undefined, bias: rewrite.bias ? `${weight.name}.nbits_bias` : undefined };
    initializers.set(names.packed, fromNumbers('uint8', [N, quantized.blocks, (quantized.blockSize * quantized.bits) / 8], quantized.packed));
    initializers.set(names.scales, fromNumbers('float32', [N * quantized.blocks], quantized.scales));
    if (names.zeroPoints && quantized.zeroPoints) initializers.set(names.zeroPoints, fromNumbers('uint8', [quantized.zeroPoints.length], quantized.zeroPoints));
    if (names.bias && rewrite.bias) initializers.set(names.bias, fromNumbers('float32', [N], rewrite.bias));
    replaced.set(weight.node, nbitsNode(weight.node, names, quantized));
    const storedBytes = quantized.packed.length + quantized.scales.length * 4 + (quantized.zeroPoints?.length ?? 0);
    layers.push({ name: weight.name, node: weight.node.name, K, N, fp32Bytes: N * K * 4, storedBytes });
  }
  const nodes = graph.nodes.map((node) => replaced.get(node) ?? node);
  const read = new Set([...nodes.flatMap((node) => node.inputs), ...graph.outputs.map((value) => value.name)]);
  // drop the float weights and biases the rewritten nodes no longer read
  const released = [...replaced.keys()].flatMap((node) => node.inputs.slice(1));
  for (const name of released) if (graph.initializers.has(name) && !read.has(name)) initializers.delete(name);
  const result = createGraph({ name: graph.name, nodes, inputs: graph.inputs.filter((value) => !graph.initializers.has(value.name) || read.has(value.name)), outputs: graph.outputs, initializers, valueInfo: graph.valueInfo, opsets: graph.opsets });
  const sum = (pick: (layer: WeightOnlyLayer) => number) => layers.reduce((total, layer) => total + pick(layer), 0);
  return { graph: result, layers, fp32Bytes: sum((layer) => layer.fp32Bytes), storedBytes: sum((layer) => layer.storedBytes) };
}
