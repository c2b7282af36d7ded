// Differential tests on graphs we build ourselves with createGraph: a float CNN
// (Conv → BatchNormalization → Relu → MaxPool → Flatten → Gemm) with seeded random weights, and
// a QDQ int8 Conv (activations uint8 per-tensor, weights int8 per-channel). backend-cpu
// (runGraph) is the oracle; onnxruntime runs our exportOnnx output through compile().
import { createCpuBackend } from '@efficientdl/backend-cpu';
import { type Backend, type Graph, type TensorData, createGraph, fromNumbers, toNumberArray } from '@efficientdl/ir';
import { getBackend, runGraph, setBackend } from '@efficientdl/tensor';
import { compareClose, expectClose, randomTensorData } from '@efficientdl/test-utils';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { type GraphOptimizationLevel, createOnnxruntimeBackend } from './index.js';

let previous: Backend<TensorData>;
beforeAll(() => {
  previous = getBackend();
  setBackend(createCpuBackend());
});
afterAll(() => setBackend(previous));

async function runOnOrt(graph: Graph, feeds: Record<string, TensorData>, level: GraphOptimizationLevel = 'all'): Promise<TensorData> {
  const backend = await createOnnxruntimeBackend({ intraOpThreads: 2, graphOptimizationLevel: level });
  const compiled = await backend.compile(graph);
  try {
    return (await compiled.run(feeds)).y as TensorData;
  } finally {
    compiled.dispose();
  }
}

const runOnCpu = (graph: Graph, feeds: Record<string, TensorData>) => (runGraph(graph, feeds).y?.data as TensorData);

/** x: (2, 3, 8, 8) → conv 3→4 (3×3, pad 1) → bn → relu → maxpool 2 → (2, 64) → gemm → y: (2, 5). */
function smallCnn(): Graph {
  const positive = (shape: number[], seed: number) => randomTensorData(shape, { seed, low: 0.5, high: 1.5 });
  return createGraph({
    name: 'small_cnn',
    inputs: [{ name: 'x', dtype: 'float32', shape: [2, 3, 8, 8] }],
    outputs: [{ name: 'y', dtype: 'float32', shape: [2, 5] }],
    initializers: {
      'conv.weight': randomTensorData([4, 3, 3, 3], { seed: 11, low: -0.5, high: 0.5 }),
      'conv.bias': randomTensorData([4], { seed: 12 }),
      'bn.weight': positive([4], 13),
      'bn.bias': randomTensorData([4], { seed: 14 }),
      'bn.running_mean': randomTensorData([4], { seed: 15, low: -0.2, high: 0.2 }),
      'bn.running_var': positive([4], 16),
      'fc.weight': randomTensorData([5, 64], { seed: 17, low: -0.2, high: 0.2 }),
      'fc.bias': randomTensorData([5], { seed: 18 }),
    },
    nodes: [
      { op: 'Conv', inputs: ['x', 'conv.weight', 'conv.bias'], outputs: ['conv'], attrs: { pads: [1, 1, 1, 1], kernel_shape: [3, 3] } },
      { op: 'BatchNormalization', inputs: ['conv', 'bn.weight', 'bn.bias', 'bn.running_mean', 'bn.running_var'], outputs: ['bn'], attrs: { epsilon: 1e-5 } },
      { op: 'Relu', inputs: ['bn'], outputs: ['relu'] },
      { op: 'MaxPool', inputs: ['relu'], outputs: ['pool'], attrs: { kernel_shape: [2, 2], strides: [2, 2] } },
      { op: 'Flatten', inputs: ['pool'], outputs: ['flat'], attrs: { axis: 1 } },
      { op: 'Gemm', inputs: ['flat', 'fc.weight', 'fc.bias'], outputs: ['y'], attrs: { transB: 1 } },
    ],
  });
}

const X_SCALE = 2 / 255;
const Y_SCALE = 0.05;

/** QDQ Conv: x (1, 2, 6, 6) float → Q/DQ (uint8) → Conv with DQ(int8 per-channel weights) → Relu → Q/DQ (uint8) → y. */
function qdqConv(): Graph {
  const weightScale = fromNumbers('float32', [3], [0.004, 0.006, 0.008]);
  return createGraph({
    name: 'qdq_conv',
    inputs: [{ name: 'x', dtype: 'float32', shape: [1, 2, 6, 6] }],
    outputs: [{ name: 'y', dtype: 'float32', shape: [1, 3, 6, 6] }],
    initializers: {
      x_scale: fromNumbers('float32', [], [X_SCALE]),
      x_zero: fromNumbers('uint8', [], [128]),
      w_quantized: randomTensorData([3, 2, 3, 3], { seed: 21, dtype: 'int8', low: -127, high: 128 }),
      w_scale: weightScale,
      w_zero: fromNumbers('int8', [3], [0, 0, 0]),
      bias: randomTensorData([3], { seed: 22, low: -0.1, high: 0.1 }),
      y_scale: fromNumbers('float32', [], [Y_SCALE]),
      y_zero: fromNumbers('uint8', [], [0]),
    },
    nodes: [
      { op: 'QuantizeLinear', inputs: ['x', 'x_scale', 'x_zero'], outputs: ['x_q'] },
      { op: 'DequantizeLinear', inputs: ['x_q', 'x_scale', 'x_zero'], outputs: ['x_dq'] },
      { op: 'DequantizeLinear', inputs: ['w_quantized', 'w_scale', 'w_zero'], outputs: ['w_dq'], attrs: { axis: 0 } },
      { op: 'Conv', inputs: ['x_dq', 'w_dq', 'bias'], outputs: ['conv'], attrs: { pads: [1, 1, 1, 1], kernel_shape: [3, 3] } },
      { op: 'Relu', inputs: ['conv'], outputs: ['relu'] },
      { op: 'QuantizeLinear', inputs: ['relu', 'y_scale', 'y_zero'], outputs: ['y_q'] },
      { op: 'DequantizeLinear', inputs: ['y_q', 'y_scale', 'y_zero'], outputs: ['y'] },
    ],
  });
}

describe('a CNN built with createGraph (seeded random weights)', () => {
  it('onnxruntime agrees with backend-cpu (rtol 1e-3, atol 1e-5)', async () => {
    const graph = smallCnn();
    const feeds = { x: randomTensorData([2, 3, 8, 8], { seed: 10 }) };
    const cpu = runOnCpu(graph, feeds);
    const onnxruntime = await runOnOrt(graph, feeds);
    expect(onnxruntime.shape).toEqual([2, 5]);
    expect(Math.max(...toNumberArray(cpu).map(Math.abs))).toBeGreaterThan(0.1);
    expectClose(onnxruntime, cpu, { rtol: 1e-3, atol: 1e-5 });
  });
});

describe('QDQ int8 Conv', () => {
  const graph = qdqConv();
  const feeds = { x: randomTensorData([1, 2, 6, 6], { seed: 20 }) };

  it.each<GraphOptimizationLevel>(['disabled', 'all'])('onnxruntime (optimizations %s) agrees with backend-cpu within one output quantization step', async (level) => {
    const cpu = runOnCpu(graph, feeds);
    const onnxruntime = await runOnOrt(graph, feeds, level);
    // Both outputs lie on the uint8 grid of y_scale; with 'all' ORT fuses the QDQ pattern into an
    // integer QLinearConv whose rounding may differ by one step.
    const report = compareClose(onnxruntime, cpu, { rtol: 0, atol: Y_SCALE * 1.001 });
    expect(report.ok, report.message).toBe(true);
    const values = toNumberArray(onnxruntime);
    expect(values.every((value) => Math.abs(value / Y_SCALE - Math.round(value / Y_SCALE)) < 1e-3)).toBe(true);
    expect(values.filter((value) => value > 0).length).toBeGreaterThan(10);
  });

  it('stays within a few quantization steps of the float (unquantized) conv', async () => {
    const onnxruntime = await runOnOrt(graph, feeds);
    // The same conv in float: only the weights stay dequantized, x and y are not quantized.
    const byOutput = (output: string) => graph.nodes.find((node) => node.outputs[0] === output) as Graph['nodes'][number];
    const conv = byOutput('conv');
    const float = createGraph({
      ...graph,
      nodes: [byOutput('w_dq'), { ...conv, inputs: ['x', ...conv.inputs.slice(1)] }, { ...byOutput('relu'), outputs: ['y'] }],
    });
    const reference = runOnCpu(float, feeds);
    expectClose(onnxruntime, reference, { rtol: 0, atol: 3 * Y_SCALE });
  });
});
