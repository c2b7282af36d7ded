// Mixed precision end to end: sensitivity scan → bit-width plan under a model-size budget →
// weight-only QDQ graph. Each planned weight becomes an int8 (8 bits) or int4 (≤ 4 bits)
// initializer behind a per-channel DequantizeLinear (activations stay float), so the result runs
// on any QDQ-capable backend; a 2-bit layer is stored in an int4 container with codes in [−1, 1]
// (the size report counts the packed 2 bits). The budget covers the planned weights plus every
// other initializer at its float size.
import { ConfigError, type Graph, type TensorData, createGraph, fromNumbers } from '@efficientdl/ir';
import { GraphModule } from '@efficientdl/nn';
import { selectLayerWeights } from '../kmeans/layer-weights.js';
import { packCodes } from '../primitives/index.js';
import { type BitPlan, type LayerOptions, pickBitWidths } from './pick-bit-widths.js';
import { type SensitivityReport, measureSensitivity } from './sensitivity.js';
import { quantizeWeightBits } from './weight-bits.js';

/** JSON-serializable mixed-precision configuration. */
export interface MixedPrecisionConfig {
  kind?: 'mixedPrecision';
  /** Total model bytes allowed (planned weights + other initializers). */
  budgetBytes: number;
  /** Candidate bits (default [8, 4, 2]); float32 is never chosen. */
  bits?: number[];
  layers?: string[];
  method?: 'knapsack' | 'greedy';
}

export interface MixedPrecisionResult {
  graph: Graph;
  plan: BitPlan;
  sensitivity: SensitivityReport;
  /** Bytes of the other initializers (biases…), counted at their float size. */
  fixedBytes: number;
  /** plan.bytes + fixedBytes. */
  totalBytes: number;
  /** The model's float32 size. */
  floatBytes: number;
}

function initializerBytes(data: TensorData): number {
  return data.data.byteLength;
}

/** The weight-only QDQ graph for a bit plan (see the file header). */
export function applyBitWidths(graph: Graph, bits: Readonly<Record<string, number>>): Graph {
  const initializers = new Map(graph.initializers);
  const nodes = [...graph.nodes];
  const renamed = new Map<string, string>();
  for (const weight of selectLayerWeights(graph, Object.keys(bits), 'applyBitWidths')) {
    const width = bits[weight.name] as number;
    const quantized = quantizeWeightBits(weight.data, { bits: width, axis: weight.channelAxis });
    const dtype = width > 4 ? 'int8' : 'int4';
    const channels = quantized.scales.length;
    initializers.delete(weight.name);
    initializers.set(`${weight.name}_quantized`, packCodes(dtype, weight.data.shape, quantized.codes));
    initializers.set(`${weight.name}_scale`, fromNumbers('float32', [channels], quantized.scales));
    initializers.set(`${weight.name}_zero_point`, packCodes(dtype, [channels], new Int32Array(channels)));
    const output = `${weight.name}_DequantizeLinear_Output`;
    nodes.unshift({
      name: `${weight.name}_DequantizeLinear`,
      op: 'DequantizeLinear',
      domain: '',
      inputs: [`${weight.name}_quantized`, `${weight.name}_scale`, `${weight.name}_zero_point`],
      outputs: [output],
      attrs: { axis: weight.channelAxis },
    });
    renamed.set(weight.name, output);
  }
  const rewired = nodes.map((node) => ({ ...node, inputs: node.inputs.map((name) => renamed.get(name) ?? name) }));
  return createGraph({ ...graph, nodes: rewired, inputs: graph.inputs.filter((value) => !renamed.has(value.name)), initializers });
}

/** Sensitivity scan, plan and QDQ graph in one call. */
export async function applyMixedPrecision(
  model: Graph | GraphModule,
  config: MixedPrecisionConfig,
  context: { evaluate: (graph: Graph) => number | Promise<number> },
): Promise<MixedPrecisionResult> {
  const graph = model instanceof GraphModule ? model.toGraph() : model;
  const sensitivity = await measureSensitivity(graph, { bits: config.bits, layers: config.layers }, context);
  const planned = new Set(sensitivity.layers.map((layer) => layer.name));
  const fixedBytes = [...graph.initializers].filter(([name]) => !planned.has(name)).reduce((sum, [, data]) => sum + initializerBytes(data), 0);
  const floatBytes = [...graph.initializers.values()].reduce((sum, data) => sum + initializerBytes(data), 0);
  if (config.budgetBytes < fixedBytes) throw new ConfigError(`applyMixedPrecision: budget ${config.budgetBytes} B is below the ${fixedBytes} B of unquantized initializers`);
  const layers: LayerOptions[] = sensitivity.layers.map((layer) => ({
    name: layer.name,
    options: sensitivity.bits.map((bits) => ({ bits, bytes: layer.bytes[bits] as number, cost: layer.drop[bits] as number })),
  }));
  const plan = pickBitWidths(layers, { budgetBytes: config.budgetBytes - fixedBytes, method: config.method });
  return { graph: applyBitWidths(graph, plan.bits), plan, sensitivity, fixedBytes, totalBytes: plan.bytes + fixedBytes, floatBytes };
}
