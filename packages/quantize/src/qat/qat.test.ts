// prepareQAT → (calibrate / fit) → convertQAT on a small Conv-ReLU-MaxPool-Gemm graph: the QAT
// forward matches the exported QDQ graph, int4 weights land in the QDQ graph per channel,
// training through the fake quantizers lowers the loss, and frozen observers stop moving.
import { type Graph, type Node, type TensorData, createGraph, fromNumbers } from '@efficientdl/ir';
import { Adam, GraphModule, crossEntropy, fit } from '@efficientdl/nn';
import { Generator, Tensor, noGrad, randn } from '@efficientdl/tensor';
import { expectClose } from '@efficientdl/test-utils';
import { describe, expect, it } from 'vitest';
import { unpackCodes } from '../primitives/index.js';
import { convertQAT } from './convert-qat.js';
import { calibrateQAT, prepareQAT } from './prepare-qat.js';

function tensor(shape: number[], seed: number, scale = 1): TensorData {
  return fromNumbers('float32', shape, Float32Array.from(randn(shape, { generator: new Generator(seed) }).values as Float32Array, (value) => value * scale));
}

// x: (N, 1, 6, 6) → Conv 4×3×3 pad 1 → Relu → MaxPool 2 → (N, 4, 3, 3) → Flatten → Gemm 36→3 → logits
function convNet(): Graph {
  return createGraph({
    name: 'tiny-cnn',
    nodes: [
      { name: 'conv', op: 'Conv', inputs: ['x', 'conv.weight', 'conv.bias'], outputs: ['c'], attrs: { kernel_shape: [3, 3], pads: [1, 1, 1, 1] } },
      { name: 'relu', op: 'Relu', inputs: ['c'], outputs: ['r'] },
      { name: 'pool', op: 'MaxPool', inputs: ['r'], outputs: ['p'], attrs: { kernel_shape: [2, 2], strides: [2, 2] } },
      { name: 'flatten', op: 'Flatten', inputs: ['p'], outputs: ['f'] },
      { name: 'fc', op: 'Gemm', inputs: ['f', 'fc.weight', 'fc.bias'], outputs: ['logits'], attrs: { transB: 1 } },
    ],
    inputs: [{ name: 'x', dtype: 'float32', shape: ['N', 1, 6, 6] }],
    outputs: [{ name: 'logits', dtype: 'float32', shape: ['N', 3] }],
    initializers: { 'conv.weight': tensor([4, 1, 3, 3], 1, 0.5), 'conv.bias': tensor([4], 2, 0.1), 'fc.weight': tensor([3, 36], 3, 0.3), 'fc.bias': tensor([3], 4, 0.1) },
  });
}

/** The DequantizeLinear feeding the weight input of node `name` in a QDQ graph. */
function weightDequantize(graph: Graph, name: string): Node {
  const weightValue = graph.nodes.find((node) => node.name === name)?.inputs[1];
  const producer = graph.nodes.find((node) => node.outputs.includes(weightValue ?? ''));
  expect(producer?.op).toBe('DequantizeLinear');
  return producer as Node;
}

const batches = [0, 1, 2].map((seed) => randn([8, 1, 6, 6], { generator: new Generator(10 + seed) }));
const labels = new Tensor(fromNumbers('int64', [8], [0, 1, 2, 0, 1, 2, 0, 1]));

describe('prepareQAT / convertQAT', () => {
  it('exports a QDQ graph that computes what the QAT model computes (W4A8)', () => {
    const qat = prepareQAT(convNet(), { weightBits: 4 });
    calibrateQAT(qat, batches);
    qat.eval();
    const x = batches[0] as Tensor;
    const simulated = noGrad(() => qat.forward(x) as Tensor);
    const exported = convertQAT(qat);
    const actual = (GraphModule.fromGraph(exported).forward(x) as Tensor).values as Float32Array;
    expectClose(actual, simulated.values as Float32Array, { rtol: 1e-6, atol: 1e-6 });
    const dequantize = weightDequantize(exported, 'conv');
    expect(exported.initializers.get(dequantize.inputs[0] as string)?.dtype).toBe('int4');
    expect(dequantize.attrs.axis).toBe(0);
    expect(exported.initializers.get(dequantize.inputs[1] as string)?.shape).toEqual([4]);
  });

  it('exports 4-bit weights in the narrow symmetric range, each channel reaching ±7', () => {
    const qat = prepareQAT(convNet(), { weightBits: 4 });
    calibrateQAT(qat, batches);
    const exported = convertQAT(qat);
    const codes = unpackCodes(exported.initializers.get(weightDequantize(exported, 'fc').inputs[0] as string) as TensorData);
    for (let channel = 0; channel < 3; channel++) {
      const row = Array.from(codes.subarray(channel * 36, (channel + 1) * 36));
      expect(Math.max(...row.map(Math.abs))).toBe(7);
    }
  });

  it('trains through the fake quantizers with fit (loss goes down, weights move)', async () => {
    const qat = prepareQAT(convNet(), { weightBits: 4 });
    calibrateQAT(qat, batches);
    const before = Float32Array.from(qat.getParameter('conv.weight')?.values as Float32Array);
    const loss = () => {
      qat.eval();
      return noGrad(() => crossEntropy(qat.forward(batches[0] as Tensor) as Tensor, labels).item());
    };
    const initial = loss();
    await fit({ model: qat as never, optimizer: new Adam(qat.parameters(), { lr: 1e-2 }), loss: (logits, targets) => crossEntropy(logits, targets), trainLoader: [[batches[0] as Tensor, labels]], epochs: 30, progress: 'none', epochSummary: false });
    expect(loss()).toBeLessThan(initial * 0.7);
    expect(Array.from(qat.getParameter('conv.weight')?.values as Float32Array)).not.toEqual(Array.from(before));
  });

  it('keeps activation ranges fixed once observers are frozen', () => {
    const qat = prepareQAT(convNet(), { weightBits: 8 });
    calibrateQAT(qat, [batches[0] as Tensor]);
    qat.freezeObservers();
    const frozen = qat.activationParams();
    calibrateQAT(qat, [(batches[1] as Tensor).mul(5)]);
    expect(qat.activationParams()).toEqual(frozen);
    qat.freezeObservers(false);
    calibrateQAT(qat, [(batches[1] as Tensor).mul(5)]);
    expect(qat.activationParams()).not.toEqual(frozen);
  });

  it('rejects unsupported bit widths', () => {
    expect(() => prepareQAT(convNet(), { weightBits: 2 as never })).toThrow(/weightBits must be 8 or 4/);
  });
});
