// lowerToIntegerOps on the QDQ form of a small CNN: every Conv/Gemm becomes a QLinearConv, the
// layout ops run on uint8, and the integer graph's outputs match the QDQ graph's on backend-cpu
// (equal up to a rounding tie flipping one quantization step of the output).
import type { Graph, TensorData } from '@efficientdl/ir';
import { describe, expect, it } from 'vitest';
import { argmaxAgreement, logitsOf, pixelBatches, smallCnnGraph } from '../__fixtures__/small-cnn.js';
import { int8Static } from '../ptq/int8-static.js';
import { quantize } from '../ptq/quantize.js';
import { lowerToIntegerOps } from './lower-to-integer.js';

const [testBatch] = pixelBatches(1, 64, 700) as [TensorData];

async function quantized(): Promise<{ graph: Graph; outputScale: number }> {
  const { graph, report } = await quantize(smallCnnGraph(), int8Static({ calibration: pixelBatches(4, 16, 100) }));
  return { graph, outputScale: report.activations.find((activation) => activation.name === 'logits')?.scale as number };
}

describe('lowerToIntegerOps', () => {
  it('replaces float compute with QLinearConv and keeps layout ops on uint8', async () => {
    const { graph } = await quantized();
    const lowered = lowerToIntegerOps(graph);
    const ops = lowered.nodes.map((node) => node.op);
    expect(ops.filter((op) => op === 'QLinearConv')).toHaveLength(4);
    for (const op of ['Conv', 'Gemm', 'MatMul', 'Relu']) expect(ops).not.toContain(op);
    expect(ops.filter((op) => op === 'QuantizeLinear')).toHaveLength(1); // the input
    expect(ops.filter((op) => op === 'DequantizeLinear')).toHaveLength(1); // the output
    expect([...lowered.initializers.values()].every((tensor) => tensor.dtype !== 'float32' || tensor.shape.length <= 1)).toBe(true);
  });

  it('computes what the QDQ graph computes', async () => {
    const { graph, outputScale } = await quantized();
    const qdq = logitsOf(graph, testBatch);
    const integer = logitsOf(lowerToIntegerOps(graph), testBatch);
    const steps = qdq.map((value, index) => Math.round(Math.abs(value - (integer[index] as number)) / outputScale));
    expect(Math.max(...steps)).toBeLessThanOrEqual(1);
    expect(steps.filter((step) => step === 0).length / steps.length).toBeGreaterThan(0.98);
    expect(argmaxAgreement(qdq, integer, 5)).toBeGreaterThanOrEqual(0.97);
  });

  it('leaves graphs without QDQ patterns unchanged in behaviour', () => {
    const floatGraph = smallCnnGraph();
    const lowered = lowerToIntegerOps(floatGraph);
    expect(lowered.nodes.map((node) => node.op)).toEqual(floatGraph.nodes.map((node) => node.op));
  });
});
