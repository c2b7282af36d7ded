// convertQAT: the trained QatModel as an ONNX QDQ graph, the same form static PTQ produces
// (ptq/buildQdqGraph: QuantizeLinear → DequantizeLinear on the planned activations, weights and
// int32 biases behind DequantizeLinear, fused ReLUs removed) with the QAT ranges. buildQdqGraph
// writes int8 weights; the weights are then re-written with the QAT weight parameters (int4 for
// W4A8, per channel), and each bias is re-quantized with scale = input scale · new weight scale.
import { GraphError, type Graph, type Node, type TensorData, producers, toNumberArray } from '@efficientdl/ir';
import { quantParamsToTensors, quantizeTensor } from '../primitives/index.js';
import { buildQdqGraph } from '../ptq/qdq-graph.js';
import { channelScales, quantizeBias } from '../ptq/weight-quantization.js';
import type { QatModel } from './qat-model.js';

interface Rewrite {
  graph: Graph;
  initializers: Map<string, TensorData>;
  producedBy: Map<string, Node>;
}

/** The DequantizeLinear node that feeds input `index` of `node`. */
function dequantizeFeeding(rewrite: Rewrite, node: Node, index: number): Node {
  const producer = rewrite.producedBy.get(node.inputs[index] ?? '');
  if (!producer || producer.op !== 'DequantizeLinear') {
    throw new GraphError(`convertQAT: input ${index} of '${node.name}' is not fed by a DequantizeLinear`, { node: node.name, op: node.op });
  }
  return producer;
}

function rewriteSite(rewrite: Rewrite, model: QatModel, floatGraph: Graph, site: QatModel['plan']['sites'][number]): void {
  const weight = site.weight as string;
  const node = rewrite.graph.nodes.find((candidate) => candidate.name === site.node.name);
  if (!node) throw new GraphError(`convertQAT: node '${site.node.name}' is missing from the QDQ graph`, { node: site.node.name });
  const params = model.weightParams(weight);
  const weightDequantize = dequantizeFeeding(rewrite, node, 1);
  const { scale, zeroPoint } = quantParamsToTensors(params);
  rewrite.initializers.set(weightDequantize.inputs[0] as string, quantizeTensor(floatGraph.initializers.get(weight) as TensorData, params));
  rewrite.initializers.set(weightDequantize.inputs[1] as string, scale);
  rewrite.initializers.set(weightDequantize.inputs[2] as string, zeroPoint);
  const biasProducer = site.bias ? rewrite.producedBy.get(node.inputs[2] ?? '') : undefined;
  if (!site.bias || biasProducer?.op !== 'DequantizeLinear') return; // bias left in float by buildQdqGraph
  const inputScale = toNumberArray(rewrite.initializers.get(dequantizeFeeding(rewrite, node, 0).inputs[1] as string) as TensorData)[0] as number;
  const bias = floatGraph.initializers.get(site.bias) as TensorData;
  const { quantized, scales } = quantizeBias(bias, inputScale, channelScales(params, bias.shape[0] as number));
  rewrite.initializers.set(biasProducer.inputs[0] as string, quantized);
  rewrite.initializers.set(biasProducer.inputs[1] as string, { dtype: 'float32', shape: [scales.length], data: scales });
}

/** The QDQ graph of a trained QatModel (see the file header). */
export function convertQAT(model: QatModel): Graph {
  const floatGraph = model.toGraph();
  const qdq = buildQdqGraph({ graph: floatGraph, plan: model.plan, activationParams: model.activationParams(), perChannel: model.settings.perChannel });
  const rewrite: Rewrite = { graph: qdq, initializers: new Map(qdq.initializers), producedBy: producers(qdq) };
  for (const site of model.plan.sites) if (site.weight) rewriteSite(rewrite, model, floatGraph, site);
  return { ...qdq, initializers: rewrite.initializers };
}
