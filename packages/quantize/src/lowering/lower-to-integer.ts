// lowerToIntegerOps: rewrites a QDQ graph into integer kernels, so that everything between the
// input QuantizeLinear and the output DequantizeLinear runs on int8/uint8 tensors:
//   DQ(x) → Conv(DQ(w), DQ(b)) → Q            ⇒ QLinearConv(x, w, b int32)
//   DQ(x) (N, K) → Gemm/MatMul(DQ(w), b) → Q  ⇒ Reshape (N, K, 1, 1) → 1×1 QLinearConv → Reshape (N, M)
//                                               (QLinearConv carries the int32 bias and per-channel
//                                               weight scales, which QLinearMatMul cannot)
//   DQ(x) → MaxPool/Flatten/Reshape/… → Q      ⇒ the same op on x (same scale and zero point)
// Patterns that do not match (float inputs, Gemm with alpha/beta ≠ 1, rank > 2 MatMul inputs)
// stay in QDQ form and still run. Unused Q/DQ nodes and float initializers are removed.
// reference: https://onnx.ai/onnx/operators/onnx__QLinearConv.html
import { type Graph, type Node, type TensorData, eliminateDeadCode, fromNumbers, inferValueTypes, tensorData, topologicalOrder } from '@efficientdl/ir';
import { SHARED_PARAMETER_OPS } from '../ptq/quantization-plan.js';
import { quantizeBias } from '../ptq/weight-quantization.js';
import { type GraphIndex, type QuantizedSource, dequantizedFrom, elementCount, indexGraph, sameParameters, soleQuantizer } from './qdq-patterns.js';

interface LoweringState {
  readonly index: GraphIndex;
  readonly ranks: Map<string, number>;
  readonly initializers: Map<string, TensorData>;
  /** Node → its replacement nodes ([] = removed). */
  readonly replaced: Map<Node, Node[]>;
}

function freshName(state: LoweringState, base: string): string {
  let name = base;
  for (let index = 1; state.initializers.has(name) || state.index.producedBy.has(name); index++) name = `${base}_${index}`;
  return name;
}

/** One scale and a stored zero point (QLinearConv needs the zero point as an input). */
function isPerTensor(source: QuantizedSource): boolean {
  return elementCount(source.scaleData) === 1 && elementCount(source.zeroPointData) === 1 && source.zeroPoint !== '';
}

/** The constant integer weight behind a DequantizeLinear, per tensor or per channel along `axis`. */
function constantWeight(state: LoweringState, value: string | undefined, axis: number): { source: QuantizedSource; data: TensorData } | undefined {
  const found = dequantizedFrom(state.index, value);
  const data = found ? state.initializers.get(found.value) : undefined;
  if (!found || !data || (data.dtype !== 'int8' && data.dtype !== 'uint8')) return undefined;
  const perTensor = elementCount(found.scaleData) === 1;
  if (!perTensor && (found.axis + data.shape.length) % data.shape.length !== axis) return undefined;
  // QLinearConv needs w_zero_point as an input: an omitted one (0) becomes an initializer
  const source = found.zeroPoint ? found : { ...found, zeroPoint: zeroInitializer(state, found, data) };
  return { source, data };
}

function zeroInitializer(state: LoweringState, source: QuantizedSource, data: TensorData): string {
  const name = freshName(state, `${source.value}_zero_point`);
  state.initializers.set(name, fromNumbers(data.dtype, source.scaleData.shape, new Array(elementCount(source.scaleData)).fill(0)));
  return name;
}

/** Name of an int32 bias with scale xScale · wScale[c] (reusing the quantized one when it already is). */
function integerBias(state: LoweringState, bias: string | undefined, scales: { input: QuantizedSource; weight: QuantizedSource; channels: number }): string | undefined | null {
  if (!bias) return undefined;
  const inputScale = scales.input.scaleData.data[0] as number;
  const weightScales = new Float32Array(scales.channels).map((_, channel) => scales.weight.scaleData.data[elementCount(scales.weight.scaleData) === 1 ? 0 : channel] as number);
  const source = dequantizedFrom(state.index, bias);
  const stored = source ? state.initializers.get(source.value) : undefined;
  if (source && stored?.dtype === 'int32') {
    const matches = weightScales.every((scale, channel) => source.scaleData.data[elementCount(source.scaleData) === 1 ? 0 : channel] === Math.fround(inputScale * scale));
    const zero = Array.from(source.zeroPointData.data as Int32Array).every((value) => value === 0);
    return matches && zero && elementCount(stored) === scales.channels ? source.value : null;
  }
  const float = state.initializers.get(bias);
  if (!float || float.dtype !== 'float32' || elementCount(float) !== scales.channels) return null;
  const name = freshName(state, `${bias}_int32`);
  state.initializers.set(name, quantizeBias(tensorData('float32', [scales.channels], float.data as Float32Array), inputScale, weightScales).quantized);
  return name;
}

function lowerConv(state: LoweringState, node: Node): void {
  const input = dequantizedFrom(state.index, node.inputs[0]);
  const weight = constantWeight(state, node.inputs[1], 0);
  const output = soleQuantizer(state.index, node.outputs[0]);
  if (!input || !weight || !output || !isPerTensor(input) || !isPerTensor(output)) return;
  const bias = integerBias(state, node.inputs[2], { input, weight: weight.source, channels: weight.data.shape[0] as number });
  if (bias === null) return;
  const inputs = [input.value, input.scale, input.zeroPoint, weight.source.value, weight.source.scale, weight.source.zeroPoint, output.scale, output.zeroPoint];
  if (bias) inputs.push(bias);
  const lowered: Node = { name: `${node.name}_quant`, op: 'QLinearConv', domain: '', inputs, outputs: [output.node.outputs[0] as string], attrs: node.attrs };
  state.replaced.set(node, [lowered]);
  state.replaced.set(output.node, []);
}

/** (K, M) or (M, K) int weight → (M, K, 1, 1) for a 1×1 QLinearConv. */
function convWeight(data: TensorData, transposed: boolean): TensorData {
  const [rows, cols] = data.shape as [number, number];
  if (transposed) return tensorData(data.dtype, [rows, cols, 1, 1], data.data.slice());
  const out = tensorData(data.dtype, [cols, rows, 1, 1]);
  const source = data.data as Int8Array;
  const target = out.data as Int8Array;
  // W: (K, M) → (M, K)
  for (let k = 0; k < rows; k++) for (let m = 0; m < cols; m++) target[m * rows + k] = source[k * cols + m] as number;
  return out;
}

function lowerLinear(state: LoweringState, node: Node): void {
  const attrs = node.attrs as { transA?: number; transB?: number; alpha?: number; beta?: number };
  if (node.op === 'Gemm' && ((attrs.transA ?? 0) !== 0 || (attrs.alpha ?? 1) !== 1 || (attrs.beta ?? 1) !== 1)) return;
  const transB = node.op === 'Gemm' && attrs.transB === 1;
  const input = dequantizedFrom(state.index, node.inputs[0]);
  const weight = constantWeight(state, node.inputs[1], transB ? 0 : 1);
  const output = soleQuantizer(state.index, node.outputs[0]);
  if (!input || !weight || !output || !isPerTensor(input) || !isPerTensor(output)) return;
  if (state.ranks.get(input.value) !== 2 || weight.data.shape.length !== 2) return;
  const channels = weight.data.shape[transB ? 0 : 1] as number;
  const bias = node.op === 'Gemm' ? integerBias(state, node.inputs[2], { input, weight: weight.source, channels }) : undefined;
  if (bias === null) return;
  const weightName = freshName(state, `${weight.source.value}_1x1`);
  state.initializers.set(weightName, convWeight(weight.data, transB));
  const [to4d, to2d] = [freshName(state, `${node.name}_shape_4d`), freshName(state, `${node.name}_shape_2d`)];
  state.initializers.set(to4d, fromNumbers('int64', [4], [0, -1, 1, 1]));
  state.initializers.set(to2d, fromNumbers('int64', [2], [0, -1]));
  const [input4d, output4d] = [`${node.name}_input_4d`, `${node.name}_output_4d`];
  const w = weight.source;
  const convInputs = [input4d, input.scale, input.zeroPoint, weightName, w.scale, w.zeroPoint, output.scale, output.zeroPoint];
  if (bias) convInputs.push(bias);
  state.replaced.set(node, [
    { name: `${node.name}_to_4d`, op: 'Reshape', domain: '', inputs: [input.value, to4d], outputs: [input4d], attrs: {} },
    { name: `${node.name}_quant`, op: 'QLinearConv', domain: '', inputs: convInputs, outputs: [output4d], attrs: {} },
    { name: `${node.name}_to_2d`, op: 'Reshape', domain: '', inputs: [output4d, to2d], outputs: [output.node.outputs[0] as string], attrs: {} },
  ]);
  state.replaced.set(output.node, []);
}

function lowerShared(state: LoweringState, node: Node): void {
  if (node.outputs.slice(1).some((name) => name !== '')) return;
  const input = dequantizedFrom(state.index, node.inputs[0]);
  const output = soleQuantizer(state.index, node.outputs[0]);
  if (!input || !output || !isPerTensor(input) || !sameParameters(input, output)) return;
  state.replaced.set(node, [{ ...node, inputs: [input.value, ...node.inputs.slice(1)], outputs: [output.node.outputs[0] as string] }]);
  state.replaced.set(output.node, []);
}

/** Lowers a QDQ graph to QLinearConv / integer layout ops (see the file header). */
export function lowerToIntegerOps(graph: Graph): Graph {
  const state: LoweringState = {
    index: indexGraph(graph),
    ranks: new Map([...inferValueTypes(graph)].map(([name, info]) => [name, info.shape.length])),
    initializers: new Map(graph.initializers),
    replaced: new Map(),
  };
  for (const node of graph.nodes) {
    if (node.domain !== '') continue;
    if (node.op === 'Conv') lowerConv(state, node);
    else if (node.op === 'Gemm' || node.op === 'MatMul') lowerLinear(state, node);
    else if (SHARED_PARAMETER_OPS.has(node.op)) lowerShared(state, node);
  }
  const nodes = graph.nodes.flatMap((node) => state.replaced.get(node) ?? [node]);
  const lowered = eliminateDeadCode({ ...graph, nodes, initializers: state.initializers, valueInfo: new Map() });
  return { ...lowered, nodes: topologicalOrder(lowered) };
}
