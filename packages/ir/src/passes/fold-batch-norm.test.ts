// foldBatchNorm tested numerically: the folded Conv / Gemm / MatMul+Add, evaluated with naive
// reference implementations written here, must match the original op followed by BatchNorm.
import { describe, expect, it } from 'vitest';
import { type Graph, type Node, createGraph } from '../graph.js';
import { type TensorData, fromNumbers, toNumberArray } from '../tensor-data.js';
import { foldBatchNorm } from './fold-batch-norm.js';

let seed = 7;
function random(): number {
  seed = (seed * 1103515245 + 12345) % 2147483648;
  return seed / 2147483648 - 0.5;
}
const randomTensor = (shape: number[], offset = 0) =>
  fromNumbers('float32', shape, Array.from({ length: shape.reduce((a, b) => a * b, 1) }, () => random() + offset));

/** Naive 2-D conv, stride 1, symmetric padding `pad`, group 1. x: (1, C, H, W), w: (M, C, K, K). */
function naiveConv(x: TensorData, w: TensorData, b: TensorData | undefined, pad: number): Float64Array {
  const [, channels, height, width] = x.shape as number[];
  const [outChannels, , kernel] = w.shape as number[];
  const [xs, ws, bs] = [toNumberArray(x), toNumberArray(w), b ? toNumberArray(b) : undefined];
  const outHeight = (height as number) + 2 * pad - (kernel as number) + 1;
  const outWidth = (width as number) + 2 * pad - (kernel as number) + 1;
  const out = new Float64Array((outChannels as number) * outHeight * outWidth);
  for (let m = 0; m < (outChannels as number); m++)
    for (let i = 0; i < outHeight; i++)
      for (let j = 0; j < outWidth; j++) {
        let sum = bs ? (bs[m] as number) : 0;
        for (let c = 0; c < (channels as number); c++)
          for (let ki = 0; ki < (kernel as number); ki++)
            for (let kj = 0; kj < (kernel as number); kj++) {
              const row = i + ki - pad;
              const column = j + kj - pad;
              if (row < 0 || column < 0 || row >= (height as number) || column >= (width as number)) continue;
              const xValue = xs[(c * (height as number) + row) * (width as number) + column] as number;
              sum += xValue * (ws[((m * (channels as number) + c) * (kernel as number) + ki) * (kernel as number) + kj] as number);
            }
        out[(m * outHeight + i) * outWidth + j] = sum;
      }
  return out;
}

/** BatchNorm over channel axis 1 of a (1, C, spatial) flat array with `spatial` elements per channel. */
function naiveBatchNorm(values: Float64Array, spatial: number, params: TensorData[], epsilon: number): Float64Array {
  const [gamma, beta, mean, variance] = params.map(toNumberArray) as Float64Array[];
  return values.map((value, index) => {
    const c = Math.floor(index / spatial) % (gamma as Float64Array).length;
    return (((value - (mean?.[c] as number)) / Math.sqrt((variance?.[c] as number) + epsilon)) * (gamma?.[c] as number)) + (beta?.[c] as number);
  });
}

/** Row-major (N, K) x (K, M) matmul. */
function naiveMatMul(a: Float64Array, b: Float64Array, n: number, k: number, m: number): Float64Array {
  const out = new Float64Array(n * m);
  for (let i = 0; i < n; i++) for (let j = 0; j < m; j++) for (let p = 0; p < k; p++) out[i * m + j] = (out[i * m + j] as number) + (a[i * k + p] as number) * (b[p * m + j] as number);
  return out;
}

function bnParams(channels: number): Record<string, TensorData> {
  return {
    'bn.weight': randomTensor([channels], 1),
    'bn.bias': randomTensor([channels]),
    'bn.running_mean': randomTensor([channels]),
    'bn.running_var': randomTensor([channels], 1),
  };
}
const bnInputs = ['bn.weight', 'bn.bias', 'bn.running_mean', 'bn.running_var'];
const tensor = (graph: Graph, name: string) => graph.initializers.get(name) as TensorData;

function expectCloseArrays(actual: Float64Array, expected: Float64Array): void {
  expect(actual.length).toBe(expected.length);
  actual.forEach((value, index) => expect(value).toBeCloseTo(expected[index] as number, 4));
}

describe('foldBatchNorm', () => {
  it('folds Conv + BatchNormalization into the conv weights and a new bias', () => {
    const x = randomTensor([1, 2, 5, 5]);
    const graph = createGraph({
      inputs: [{ name: 'x', dtype: 'float32', shape: [1, 2, 5, 5] }],
      outputs: [{ name: 'y', dtype: 'float32', shape: [1, 3, 5, 5] }],
      initializers: { 'conv.weight': randomTensor([3, 2, 3, 3]), ...bnParams(3) },
      nodes: [
        { name: 'conv', op: 'Conv', inputs: ['x', 'conv.weight'], outputs: ['c'], attrs: { pads: [1, 1, 1, 1] } },
        { name: 'bn', op: 'BatchNormalization', inputs: ['c', ...bnInputs], outputs: ['y'], attrs: { epsilon: 1e-3 } },
      ],
    });
    const folded = foldBatchNorm(graph);
    expect(folded.nodes.map((node: Node) => node.op)).toEqual(['Conv']);
    const conv = folded.nodes[0] as Node;
    expect(conv.outputs).toEqual(['y']);
    expect(conv.inputs[2]).toBe('conv.bias');
    expect([...folded.initializers.keys()].sort()).toEqual(['conv.bias', 'conv.weight']);
    const expected = naiveBatchNorm(naiveConv(x, tensor(graph, 'conv.weight'), undefined, 1), 25, bnInputs.map((name) => tensor(graph, name)), 1e-3);
    const actual = naiveConv(x, tensor(folded, 'conv.weight'), tensor(folded, 'conv.bias'), 1);
    expectCloseArrays(actual, expected);
    // the input graph is untouched
    expect(graph.nodes).toHaveLength(2);
  });

  it('folds into an existing conv bias', () => {
    const x = randomTensor([1, 2, 4, 4]);
    const graph = createGraph({
      inputs: [{ name: 'x', dtype: 'float32', shape: [1, 2, 4, 4] }],
      outputs: [{ name: 'y', dtype: 'float32', shape: [1, 2, 2, 2] }],
      initializers: { w: randomTensor([2, 2, 3, 3]), b: randomTensor([2]), ...bnParams(2) },
      nodes: [
        { name: 'conv', op: 'Conv', inputs: ['x', 'w', 'b'], outputs: ['c'] },
        { name: 'bn', op: 'BatchNormalization', inputs: ['c', ...bnInputs], outputs: ['y'] },
      ],
    });
    const folded = foldBatchNorm(graph);
    const expected = naiveBatchNorm(naiveConv(x, tensor(graph, 'w'), tensor(graph, 'b'), 0), 4, bnInputs.map((name) => tensor(graph, name)), 1e-5);
    expectCloseArrays(naiveConv(x, tensor(folded, 'w'), tensor(folded, 'b'), 0), expected);
  });

  it('folds Gemm (transB, beta) + BatchNormalization', () => {
    const a = randomTensor([3, 4]);
    const graph = createGraph({
      inputs: [{ name: 'a', dtype: 'float32', shape: [3, 4] }],
      outputs: [{ name: 'y', dtype: 'float32', shape: [3, 2] }],
      initializers: { 'fc.weight': randomTensor([2, 4]), 'fc.bias': randomTensor([2]), ...bnParams(2) },
      nodes: [
        { name: 'fc', op: 'Gemm', inputs: ['a', 'fc.weight', 'fc.bias'], outputs: ['h'], attrs: { transB: 1, beta: 0.5 } },
        { name: 'bn', op: 'BatchNormalization', inputs: ['h', ...bnInputs], outputs: ['y'] },
      ],
    });
    const gemm = (g: Graph, beta: number) => {
      const w = toNumberArray(tensor(g, 'fc.weight'));
      const transposed = Float64Array.from({ length: 8 }, (_, index) => w[(index % 2) * 4 + Math.floor(index / 2)] as number);
      const bias = toNumberArray(tensor(g, 'fc.bias'));
      return naiveMatMul(toNumberArray(a), transposed, 3, 4, 2).map((value, index) => value + beta * (bias[index % 2] as number));
    };
    const folded = foldBatchNorm(graph);
    expect(folded.nodes[0]?.attrs.beta).toBe(1);
    const expected = naiveBatchNorm(gemm(graph, 0.5), 1, bnInputs.map((name) => tensor(graph, name)), 1e-5);
    expectCloseArrays(gemm(folded, 1), expected);
  });

  it('folds MatMul + Add + BatchNormalization', () => {
    const a = randomTensor([2, 3]);
    const graph = createGraph({
      inputs: [{ name: 'a', dtype: 'float32', shape: [2, 3] }],
      outputs: [{ name: 'y', dtype: 'float32', shape: [2, 4] }],
      initializers: { w: randomTensor([3, 4]), b: randomTensor([4]), ...bnParams(4) },
      nodes: [
        { name: 'mm', op: 'MatMul', inputs: ['a', 'w'], outputs: ['m'] },
        { name: 'add', op: 'Add', inputs: ['b', 'm'], outputs: ['h'] },
        { name: 'bn', op: 'BatchNormalization', inputs: ['h', ...bnInputs], outputs: ['y'] },
      ],
    });
    const linear = (g: Graph) => {
      const bias = toNumberArray(tensor(g, 'b'));
      return naiveMatMul(toNumberArray(a), toNumberArray(tensor(g, 'w')), 2, 3, 4).map((value, index) => value + (bias[index % 4] as number));
    };
    const folded = foldBatchNorm(graph);
    expect(folded.nodes.map((node) => node.op)).toEqual(['MatMul', 'Add']);
    expect(folded.nodes[1]?.outputs).toEqual(['y']);
    const expected = naiveBatchNorm(linear(graph), 1, bnInputs.map((name) => tensor(graph, name)), 1e-5);
    expectCloseArrays(linear(folded), expected);
  });

  it('leaves BatchNormalization alone when the conv output has another consumer', () => {
    const shared = createGraph({
      inputs: [{ name: 'x', dtype: 'float32', shape: [1, 1, 3, 3] }],
      outputs: [
        { name: 'y', dtype: 'float32', shape: [1, 1, 3, 3] },
        { name: 'c', dtype: 'float32', shape: [1, 1, 3, 3] },
      ],
      initializers: { w: randomTensor([1, 1, 1, 1]), ...bnParams(1) },
      nodes: [
        { op: 'Conv', inputs: ['x', 'w'], outputs: ['c'] },
        { op: 'BatchNormalization', inputs: ['c', ...bnInputs], outputs: ['y'] },
      ],
    });
    expect(foldBatchNorm(shared)).toBe(shared);
  });
});
