// Static int8 PTQ on a small traced CNN: the QDQ graph's structure (BatchNorm folded, ReLU fused,
// int8 per-channel weights, int32 biases with scale = input scale · weight scale), outputs close
// to the float model on backend-cpu for every observer, and calibration edge cases.
import { ConfigError, type Graph, type TensorData } from '@efficientdl/ir';
import { Tensor } from '@efficientdl/tensor';
import { describe, expect, it } from 'vitest';
import { argmaxAgreement, logitsOf, pixelBatches, smallCnnGraph } from '../__fixtures__/small-cnn.js';
import { int8Static } from './int8-static.js';
import { quantize } from './quantize.js';

const floatGraph = smallCnnGraph();
const calibration = pixelBatches(4, 16, 100);
const [testBatch] = pixelBatches(1, 64, 900) as [TensorData];

describe('quantize(model, int8Static(...))', () => {
  it('builds an onnxruntime-style QDQ graph', async () => {
    const { graph, report } = await quantize(floatGraph, int8Static({ calibration }));
    const ops = graph.nodes.map((node) => node.op);
    expect(ops).not.toContain('BatchNormalization');
    expect(ops).not.toContain('Relu'); // every ReLU follows a Conv/Gemm and is fused
    expect(ops.filter((op) => op === 'Conv')).toHaveLength(2);
    expect(ops.filter((op) => op === 'QuantizeLinear').length).toBeGreaterThanOrEqual(6);
    expect(report.calibration).toEqual({ batches: 4, samples: 64 });
    expect(report.warnings).toEqual([]);
    // weights: int8 per output channel, zero point 0, narrow range
    const conv = graph.nodes.find((node) => node.op === 'Conv') as Graph['nodes'][number];
    const weightDq = graph.nodes.find((node) => node.outputs[0] === conv.inputs[1]) as Graph['nodes'][number];
    const weight = graph.initializers.get(weightDq.inputs[0] as string) as TensorData;
    expect(weight.dtype).toBe('int8');
    expect(Math.min(...(weight.data as Int8Array))).toBeGreaterThanOrEqual(-127);
    expect(graph.initializers.get(weightDq.inputs[1] as string)?.shape).toEqual([6]);
    expect(weightDq.attrs.axis).toBe(0);
    // bias: int32, scale = input scale · weight scale
    const biasDq = graph.nodes.find((node) => node.outputs[0] === conv.inputs[2]) as Graph['nodes'][number];
    expect(graph.initializers.get(biasDq.inputs[0] as string)?.dtype).toBe('int32');
    const inputScale = report.activations.find((activation) => activation.name === 'pixels')?.scale as number;
    const weightScales = graph.initializers.get(weightDq.inputs[1] as string)?.data as Float32Array;
    const biasScales = graph.initializers.get(biasDq.inputs[1] as string)?.data as Float32Array;
    expect(Array.from(biasScales)).toEqual(Array.from(weightScales, (scale) => Math.fround(inputScale * scale)));
    // fused ReLU outputs start at 0: uint8 zero point 0
    const fused = report.activations.filter((activation) => activation.range?.min === 0 && !activation.sharedWith && activation.name !== 'pixels');
    expect(fused.length).toBe(3);
    for (const activation of fused) expect(activation.zeroPoint).toBe(0);
    expect(report.activations.filter((activation) => activation.sharedWith).map((activation) => activation.sharedWith)).toHaveLength(2); // maxpool, flatten
  });

  for (const observer of ['minmax', 'percentile', 'entropy', 'mse'] as const) {
    it(`${observer}: the QDQ graph runs on backend-cpu and stays close to the float model`, async () => {
      const { graph } = await quantize(floatGraph, int8Static({ calibration, observer }));
      const reference = logitsOf(floatGraph, testBatch);
      const quantized = logitsOf(graph, testBatch);
      const spread = Math.max(...reference) - Math.min(...reference);
      const worst = reference.reduce((high, value, index) => Math.max(high, Math.abs(value - (quantized[index] as number))), 0);
      expect(worst).toBeLessThan(0.1 * spread);
      expect(argmaxAgreement(reference, quantized, 5)).toBeGreaterThanOrEqual(0.9);
    });
  }

  it('per-tensor weights and int8 activations work too', async () => {
    const { graph, report } = await quantize(floatGraph, int8Static({ calibration, perChannel: false, activationDType: 'int8' }));
    expect(report.activations.every((activation) => activation.zeroPoint >= -128 && activation.zeroPoint <= 127)).toBe(true);
    expect(argmaxAgreement(logitsOf(floatGraph, testBatch), logitsOf(graph, testBatch), 5)).toBeGreaterThanOrEqual(0.9);
  });

  it('accepts DataLoader-style [input, label] batches and async iterables', async () => {
    async function* batches() {
      for (const batch of calibration) yield [new Tensor(batch), new Tensor(batch)];
    }
    const { report } = await quantize(floatGraph, int8Static({ calibration: batches() }));
    expect(report.calibration.batches).toBe(4);
  });
});

describe('calibration edge cases', () => {
  it('an empty calibration set is a ConfigError', async () => {
    await expect(quantize(floatGraph, int8Static({ calibration: [] }))).rejects.toThrow(ConfigError);
    expect(() => int8Static({ calibration: undefined as never })).toThrow(ConfigError);
    expect(() => int8Static({ calibration, observer: 'median' as never })).toThrow(ConfigError);
  });
  it('NaN / Inf pixels: no crash, one warning per affected tensor, finite ranges', async () => {
    const poisoned = calibration.map((batch) => ({ ...batch, data: (batch.data as Float32Array).slice() }));
    (poisoned[0]?.data as Float32Array)[3] = Number.NaN;
    (poisoned[1]?.data as Float32Array)[7] = Number.POSITIVE_INFINITY;
    for (const observer of ['minmax', 'percentile', 'entropy', 'mse'] as const) {
      const { report } = await quantize(floatGraph, int8Static({ calibration: poisoned, observer }));
      expect(report.warnings.length).toBeGreaterThanOrEqual(1);
      expect(report.warnings[0]).toMatch(/NaN or infinite/);
      expect(report.activations.every((activation) => Number.isFinite(activation.scale) && activation.scale > 0)).toBe(true);
    }
  });
  it('constant (all-zero) calibration data gives non-zero scales', async () => {
    const blank = pixelBatches(2, 4, 1).map((batch) => ({ ...batch, data: new Float32Array(batch.data.length) }));
    const { graph, report } = await quantize(floatGraph, int8Static({ calibration: blank, observer: 'entropy' }));
    expect(report.activations.every((activation) => activation.scale > 0 && Number.isFinite(activation.scale))).toBe(true);
    expect(report.warnings).toContain("'pixels': every calibration value is 0; quantizing it with scale 1, zero point 0");
    expect(logitsOf(graph, testBatch).every(Number.isFinite)).toBe(true);
  });
});
