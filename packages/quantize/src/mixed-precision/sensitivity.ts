// Per-layer sensitivity: quantize ONE layer's weight at each candidate bit width (the others stay
// float), evaluate the model on a validation subset through a caller-supplied function, and
// record accuracy and the drop from the float baseline. The table feeds pickBitWidths.
import { type Graph, type TensorData, fromNumbers, withGraph } from '@efficientdl/ir';
import { GraphModule } from '@efficientdl/nn';
import { selectLayerWeights } from '../kmeans/layer-weights.js';
import { checkWeightBits, quantizeWeightBits, weightBytes } from './weight-bits.js';

export interface SensitivityConfig {
  /** Candidate bit widths (default [8, 4, 2]). */
  bits?: number[];
  /** Weights to scan (initializer names); default every Conv/Gemm/MatMul weight. */
  layers?: string[];
}

export interface LayerSensitivity {
  name: string;
  parameterCount: number;
  channels: number;
  channelAxis: number;
  /** Accuracy with only this layer quantized, per bit width. */
  accuracy: Record<number, number>;
  /** baseline − accuracy, per bit width. */
  drop: Record<number, number>;
  /** Stored bytes of this layer's weight per bit width (32 = float32). */
  bytes: Record<number, number>;
}

export interface SensitivityReport {
  baseline: number;
  bits: number[];
  layers: LayerSensitivity[];
}

/** The graph with weight `name` replaced by `values` (same shape). */
export function withWeight(graph: Graph, name: string, values: Float32Array): Graph {
  const initializers = new Map(graph.initializers);
  const original = graph.initializers.get(name) as TensorData;
  initializers.set(name, fromNumbers('float32', original.shape, values));
  return withGraph(graph, { initializers });
}

/** Measures each layer's sensitivity (see the file header); `evaluate` returns accuracy in [0, 1] (or any higher-is-better score). */
export async function measureSensitivity(
  model: Graph | GraphModule,
  config: SensitivityConfig,
  context: { evaluate: (graph: Graph) => number | Promise<number>; onLayer?: (layer: LayerSensitivity) => void },
): Promise<SensitivityReport> {
  const graph = model instanceof GraphModule ? model.toGraph() : model;
  const bits = config.bits ?? [8, 4, 2];
  for (const width of bits) checkWeightBits(width, 'measureSensitivity');
  const baseline = await context.evaluate(graph);
  const layers: LayerSensitivity[] = [];
  for (const weight of selectLayerWeights(graph, config.layers, 'measureSensitivity')) {
    const channels = weight.data.shape[weight.channelAxis] as number;
    const count = weight.data.data.length;
    const layer: LayerSensitivity = { name: weight.name, parameterCount: count, channels, channelAxis: weight.channelAxis, accuracy: {}, drop: {}, bytes: { 32: count * 4 } };
    for (const width of bits) {
      const quantized = quantizeWeightBits(weight.data, { bits: width, axis: weight.channelAxis });
      const accuracy = await context.evaluate(withWeight(graph, weight.name, quantized.dequantized));
      layer.accuracy[width] = accuracy;
      layer.drop[width] = baseline - accuracy;
      layer.bytes[width] = weightBytes({ count, channels, bits: width });
    }
    layers.push(layer);
    context.onLayer?.(layer);
  }
  return { baseline, bits, layers };
}
