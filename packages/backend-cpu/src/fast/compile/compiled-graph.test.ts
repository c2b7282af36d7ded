// compile(graph) against the oracle of running the same graph node by node through the
// backend's per-op run() (unfused, BatchNormalization unfolded): a Fashion-MNIST-style CNN,
// conv → conv chains (the producer writes into the consumer's padded input), Clip, strided and
// grouped convolutions, Gemm / MatMul variants, Reshape / Flatten views, a symbolic batch
// fed with different sizes, 3-D convolution (per-op fallback), and with the WebAssembly kernels
// disabled; plus feed checking, describe() and dispose().
import {
  ConfigError,
  DTypeError,
  type Graph,
  type NodeInit,
  type TensorData,
  type Value,
  createGraph,
  fromNumbers,
  getOpSchema,
  resolveAttributes,
  ShapeError,
  tensorData,
  topologicalOrder,
  UnsupportedOpError,
} from '@efficientdl/ir';
import { expectClose } from '@efficientdl/test-utils';
import { afterAll, describe, expect, it } from 'vitest';
import { createCpuBackend } from '../../cpu-backend.js';
import { configureWasmKernels } from '../../wasm/wasm-runtime.js';
import { seeded } from '../__fixtures__/gemm-oracle.js';

const backend = createCpuBackend();

function random(shape: number[], seed: number, offset = 0): TensorData {
  const next = seeded(seed);
  const count = shape.reduce((product, dim) => product * dim, 1);
  return tensorData('float32', shape, Float32Array.from({ length: count }, () => next() + offset));
}

/** Node-by-node execution through backend.run(): the oracle. */
function runPerOp(graph: Graph, feeds: Record<string, TensorData>): Record<string, TensorData> {
  const values = new Map<string, TensorData>([...graph.initializers, ...Object.entries(feeds)]);
  for (const node of topologicalOrder(graph)) {
    const attrs = resolveAttributes(getOpSchema(node.op, node.domain, node.name), node.attrs, node.name);
    const inputs = node.inputs.map((name) => (name === '' ? undefined : values.get(name)));
    const outputs = backend.run({ op: node.op, domain: node.domain, name: node.name, attrs }, inputs, node.outputs.length);
    node.outputs.forEach((name, index) => values.set(name, outputs[index] as TensorData));
  }
  return Object.fromEntries(graph.outputs.map((value) => [value.name, values.get(value.name) as TensorData]));
}

function expectSameOutputs(graph: Graph, feeds: Record<string, TensorData>, expectedKinds?: string[]): void {
  const compiled = backend.compileSync(graph);
  if (expectedKinds) expect(compiled.describe().map((line) => line.split(':')[0])).toEqual(expectedKinds);
  const expected = runPerOp(graph, feeds);
  for (let repeat = 0; repeat < 2; repeat++) {
    const actual = compiled.runSync(feeds);
    for (const value of graph.outputs) {
      const [a, e] = [actual[value.name] as TensorData, expected[value.name] as TensorData];
      expect(a.shape).toEqual(e.shape);
      expectClose({ shape: a.shape, values: Array.from(a.data as Float32Array) }, { shape: e.shape, values: Array.from(e.data as Float32Array) }, { rtol: 1e-4, atol: 1e-4 });
    }
  }
  compiled.dispose();
}

const input = (name: string, shape: (number | string)[]): Value => ({ name, dtype: 'float32', shape });

function batchNorm(prefix: string, channels: number, seed: number): Record<string, TensorData> {
  return {
    [`${prefix}.scale`]: random([channels], seed, 1),
    [`${prefix}.shift`]: random([channels], seed + 1),
    [`${prefix}.mean`]: random([channels], seed + 2),
    [`${prefix}.var`]: random([channels], seed + 3, 1),
  };
}

/** Sub/Div → (Conv → BN → Relu → MaxPool) × 2 → Flatten → Gemm, batch symbolic 'N'. */
function cnnGraph(): Graph {
  const block = (index: number, x: string): NodeInit[] => [
    { op: 'Conv', inputs: [x, `w${index}`, `b${index}`], outputs: [`c${index}`], attrs: { kernel_shape: [3, 3], pads: [1, 1, 1, 1] } },
    { op: 'BatchNormalization', inputs: [`c${index}`, `bn${index}.scale`, `bn${index}.shift`, `bn${index}.mean`, `bn${index}.var`], outputs: [`n${index}`] },
    { op: 'Relu', inputs: [`n${index}`], outputs: [`r${index}`] },
    { op: 'MaxPool', inputs: [`r${index}`], outputs: [`p${index}`], attrs: { kernel_shape: [2, 2], strides: [2, 2] } },
  ];
  return createGraph({
    name: 'cnn',
    nodes: [
      { op: 'Sub', inputs: ['pixels', 'mean'], outputs: ['centered'] },
      { op: 'Div', inputs: ['centered', 'std'], outputs: ['x'] },
      ...block(1, 'x'),
      ...block(2, 'p1'),
      { op: 'Flatten', inputs: ['p2'], outputs: ['flat'], attrs: { axis: 1 } },
      { op: 'Gemm', inputs: ['flat', 'fc.weight', 'fc.bias'], outputs: ['logits'], attrs: { transB: 1 } },
    ],
    inputs: [input('pixels', ['N', 1, 28, 28])],
    outputs: [input('logits', ['N', 10])],
    initializers: {
      mean: fromNumbers('float32', [], [0.286]),
      std: fromNumbers('float32', [], [0.353]),
      w1: random([16, 1, 3, 3], 1), b1: random([16], 2), ...batchNorm('bn1', 16, 3),
      w2: random([32, 16, 3, 3], 7), b2: random([32], 8), ...batchNorm('bn2', 32, 9),
      'fc.weight': random([10, 32 * 7 * 7], 13), 'fc.bias': random([10], 14),
    },
  });
}

describe('CpuBackend.compile', () => {
  afterAll(() => configureWasmKernels({ enabled: true }));

  it('runs the CNN with fused conv+relu+pool steps and matches per-op execution for several batch sizes', () => {
    const graph = cnnGraph();
    const kinds = ['affine+conv+relu+pool', 'conv+relu+pool', 'view', 'gemm'];
    for (const batch of [3, 1, 8]) expectSameOutputs(graph, { pixels: random([batch, 1, 28, 28], batch, 0.5) }, kinds);
  });

  it('writes a conv into the next conv\'s padded input, and fuses Clip, strides, groups, Winograd F(4 × 4) and a scalar Add → Div', () => {
    const graph = createGraph({
      name: 'chain',
      nodes: [
        { op: 'Add', inputs: ['x', 'shift'], outputs: ['shifted'] },
        { op: 'Div', inputs: ['shifted', 'scale'], outputs: ['normalized'] },
        { op: 'Conv', inputs: ['normalized', 'w1'], outputs: ['c1'], attrs: { pads: [1, 1, 1, 1] } },
        { op: 'Conv', inputs: ['c1', 'w2', 'b2'], outputs: ['c2'], attrs: { pads: [1, 0, 1, 2], strides: [2, 2] } },
        { op: 'Clip', inputs: ['c2', '', 'six'], outputs: ['clipped'] },
        { op: 'Conv', inputs: ['clipped', 'w3'], outputs: ['c3'], attrs: { group: 4, pads: [1, 1, 1, 1] } },
        { op: 'Conv', inputs: ['c3', 'w4'], outputs: ['c4'] },
        { op: 'Conv', inputs: ['c4', 'w5', 'b5'], outputs: ['y'], attrs: { pads: [1, 1, 1, 1] } },
      ],
      inputs: [input('x', [2, 3, 13, 11])],
      outputs: [input('y', [2, 5, 7, 7])],
      initializers: {
        shift: fromNumbers('float32', [1], [0.25]), scale: fromNumbers('float32', [1, 1, 1, 1], [0.5]), six: fromNumbers('float32', [], [0.6]),
        w1: random([5, 3, 3, 3], 21), w2: random([8, 5, 3, 3], 22), b2: random([8], 23), w3: random([8, 2, 3, 3], 24), w4: random([40, 8, 1, 1], 25),
        w5: random([5, 40, 3, 3], 26), b5: random([5], 27),
      },
    });
    expectSameOutputs(graph, { x: random([2, 3, 13, 11], 26) }, ['affine+conv', 'conv+clip', 'conv', 'conv', 'conv']);
  });

  it('runs a depthwise-separable block (depthwise → BatchNorm → Relu → pointwise) as two fused steps', () => {
    const graph = createGraph({
      name: 'dwsep',
      nodes: [
        { op: 'Conv', inputs: ['x', 'dw'], outputs: ['d'], attrs: { group: 6, pads: [1, 1, 1, 1], strides: [2, 2] } },
        { op: 'BatchNormalization', inputs: ['d', 'bn.scale', 'bn.shift', 'bn.mean', 'bn.var'], outputs: ['n'] },
        { op: 'Relu', inputs: ['n'], outputs: ['r'] },
        { op: 'Conv', inputs: ['r', 'pw'], outputs: ['y'] },
      ],
      inputs: [input('x', [3, 6, 15, 17])],
      outputs: [input('y', [3, 10, 8, 9])],
      initializers: { dw: random([6, 1, 3, 3], 51), pw: random([10, 6, 1, 1], 52), ...batchNorm('bn', 6, 53) },
    });
    expectSameOutputs(graph, { x: random([3, 6, 15, 17], 54) }, ['conv+relu', 'conv']);
  });

  it('keeps values read twice or returned as outputs unfused, runs 1-D convolutions fused and 3-D ones per-op', () => {
    const graph = createGraph({
      name: 'mixed',
      nodes: [
        { op: 'Mul', inputs: ['x', 'two'], outputs: ['doubled'] },
        { op: 'Conv', inputs: ['doubled', 'w1', 'b1'], outputs: ['c1'], attrs: { pads: [1, 1, 1, 1] } },
        { op: 'Relu', inputs: ['c1'], outputs: ['r1'] },
        { op: 'MaxPool', inputs: ['r1'], outputs: ['p1'], attrs: { kernel_shape: [2, 2], strides: [2, 2] } },
        { op: 'Add', inputs: ['p1', 'p1'], outputs: ['y1'] },
        { op: 'Reshape', inputs: ['c1', 'flat'], outputs: ['rows'] },
        { op: 'Conv', inputs: ['rows', 'w2'], outputs: ['c2'], attrs: { pads: [2, 2] } },
        { op: 'Conv', inputs: ['volume', 'w3'], outputs: ['c3'] },
      ],
      inputs: [input('x', [2, 3, 9, 10]), input('volume', [1, 2, 4, 5, 6])],
      outputs: [input('c1', [2, 4, 9, 10]), input('y1', [2, 4, 4, 5]), input('c2', [2, 3, 90]), input('c3', [1, 3, 2, 3, 4])],
      initializers: {
        two: fromNumbers('float32', [], [2]), w1: random([4, 3, 3, 3], 31), b1: random([4], 32),
        flat: fromNumbers('int64', [3], [0, 4, -1]), w2: random([3, 4, 5], 33), w3: random([3, 2, 3, 3, 3], 34),
      },
    });
    expectSameOutputs(graph, { x: random([2, 3, 9, 10], 35), volume: random([1, 2, 4, 5, 6], 36) }, [
      'kernel Mul', 'conv', 'kernel Relu', 'kernel MaxPool', 'kernel Add', 'view', 'conv', 'kernel Conv',
    ]);
  });

  it('runs Gemm / MatMul with constant matrices: transB, alpha, beta, row bias, batched MatMul, full bias per-op', () => {
    const graph = createGraph({
      name: 'linear',
      nodes: [
        { op: 'Gemm', inputs: ['a', 'w1', 'bias1'], outputs: ['g1'], attrs: { alpha: 0.5, beta: 2 } },
        { op: 'Gemm', inputs: ['g1', 'w2', 'bias2'], outputs: ['g2'], attrs: { transB: 1 } },
        { op: 'MatMul', inputs: ['t', 'w3'], outputs: ['m'] },
        { op: 'Gemm', inputs: ['a', 'w1', 'full'], outputs: ['g3'] },
      ],
      inputs: [input('a', [5, 7]), input('t', [2, 3, 6])],
      outputs: [input('g2', [5, 3]), input('m', [2, 3, 4]), input('g3', [5, 9])],
      initializers: {
        w1: random([7, 9], 41), bias1: random([1, 9], 42), w2: random([3, 9], 43), bias2: random([3], 44), w3: random([6, 4], 45), full: random([5, 9], 46),
      },
    });
    expectSameOutputs(graph, { a: random([5, 7], 47), t: random([2, 3, 6], 48) }, ['gemm', 'gemm', 'gemm', 'kernel Gemm']);
  });

  it('plans per-op kernels only when the WebAssembly kernels are disabled, and falls back when they go away after compile', () => {
    const graph = cnnGraph();
    const feeds = { pixels: random([2, 1, 28, 28], 5, 0.5) };
    const compiled = backend.compileSync(graph);
    configureWasmKernels({ enabled: false });
    const fallback = compiled.runSync(feeds).logits as TensorData;
    const expected = runPerOp(graph, feeds).logits as TensorData;
    expectClose({ shape: fallback.shape, values: Array.from(fallback.data as Float32Array) }, { shape: expected.shape, values: Array.from(expected.data as Float32Array) }, { rtol: 1e-4, atol: 1e-4 });
    compiled.dispose();
    expectSameOutputs(cnnGraph(), { pixels: random([2, 1, 28, 28], 5, 0.5) }, [
      'kernel Sub', 'kernel Div', 'kernel Conv', 'kernel Relu', 'kernel MaxPool', 'kernel Conv', 'kernel Relu', 'kernel MaxPool', 'kernel Flatten', 'kernel Gemm',
    ]);
    configureWasmKernels({ enabled: true });
  });

  it('checks feeds, rejects unknown ops at compile time and runs after dispose', async () => {
    const compiled = backend.compileSync(cnnGraph());
    expect(() => compiled.runSync({})).toThrow(ConfigError);
    expect(() => compiled.runSync({ pixels: random([1, 1, 28, 28], 1), other: random([1], 1) })).toThrow(ConfigError);
    expect(() => compiled.runSync({ pixels: random([1, 1, 28, 27], 1) })).toThrow(ShapeError);
    expect(() => compiled.runSync({ pixels: fromNumbers('float64', [1, 1, 28, 28], new Array(784).fill(0)) })).toThrow(DTypeError);
    await expect(compiled.run({ pixels: random([2, 1, 28, 28], 1) })).resolves.toHaveProperty('logits');
    compiled.dispose();
    expect(() => compiled.runSync({ pixels: random([1, 1, 28, 28], 1) })).toThrow(ConfigError);
    const unknown = createGraph({ name: 'unknown', nodes: [{ op: 'NoSuchOp', domain: 'ai.example', inputs: ['x'], outputs: ['y'] }], inputs: [input('x', [1])], outputs: [input('y', [1])] });
    await expect(backend.compile(unknown)).rejects.toThrow(UnsupportedOpError);
  });
});
