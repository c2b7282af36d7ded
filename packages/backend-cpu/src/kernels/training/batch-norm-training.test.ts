// BatchNormTraining / BatchNormTrainingGrad — the WebAssembly SIMD kernels (called directly, any
// size) and the TypeScript loops (runtime disabled) — against a naive float64 formula written
// here: mean, biased variance, y = (x − mean)/√(var + ε)·scale + B, and the closed-form gradient
// dx = scale/σ · (dy − mean(dy) − x̂ · mean(dy·x̂)), dScale = Σ dy·x̂, dB = Σ dy. Shapes: odd inner
// sizes (tails of the 4- / 8- / 16-lane loops), inner 1 ((N, C) input), batch 1, a large mean
// (cancellation), 1-D (N, C, L); and bit-identical WebAssembly results for 1 and 2 threads.
import type { TensorData } from '@efficientdl/ir';
import { expectClose, randomTensorData } from '@efficientdl/test-utils';
import { afterAll, describe, expect, it } from 'vitest';
import type { KernelContext } from '../../kernel-registry.js';
import { wasmBatchNormBackward, wasmBatchNormForward } from '../../wasm/wasm-batch-norm-train.js';
import { configureWasmKernels, wasmKernelInfo } from '../../wasm/wasm-runtime.js';
import { batchNormTrainingGradKernel, batchNormTrainingKernel } from './batch-norm-training.js';

const at = (op: string): KernelContext => ({ op, node: `${op}_test`, outputCount: 3 });
const EPSILON = 1e-3;

interface Problem {
  shape: number[];
  offset?: number;
}

function layoutOf(shape: number[]) {
  return { batch: shape[0] as number, channels: shape[1] as number, inner: shape.slice(2).reduce((product, dim) => product * dim, 1) };
}

/** Naive float64 forward and backward for channel-major (N, C, inner) data. */
function naive(x: Float32Array, dy: Float32Array, scale: Float32Array, bias: Float32Array, shape: number[]) {
  const { batch, channels, inner } = layoutOf(shape);
  const count = batch * inner;
  const index = (n: number, c: number, i: number) => (n * channels + c) * inner + i;
  const y = new Float64Array(x.length);
  const dx = new Float64Array(x.length);
  const [mean, variance, dScale, dBias] = [0, 1, 2, 3].map(() => new Float64Array(channels)) as [Float64Array, Float64Array, Float64Array, Float64Array];
  for (let c = 0; c < channels; c++) {
    const values: number[] = [];
    const gradients: number[] = [];
    for (let n = 0; n < batch; n++) {
      for (let i = 0; i < inner; i++) {
        values.push(x[index(n, c, i)] as number);
        gradients.push(dy[index(n, c, i)] as number);
      }
    }
    const average = values.reduce((sum, value) => sum + value, 0) / count;
    const spread = values.reduce((sum, value) => sum + (value - average) ** 2, 0) / count;
    const sigma = Math.sqrt(spread + EPSILON);
    const normalized = values.map((value) => (value - average) / sigma);
    const meanGradient = gradients.reduce((sum, value) => sum + value, 0) / count;
    const meanProduct = gradients.reduce((sum, value, k) => sum + value * (normalized[k] as number), 0) / count;
    mean[c] = average;
    variance[c] = spread;
    dScale[c] = meanProduct * count;
    dBias[c] = meanGradient * count;
    let k = 0;
    for (let n = 0; n < batch; n++) {
      for (let i = 0; i < inner; i++, k++) {
        y[index(n, c, i)] = (normalized[k] as number) * (scale[c] as number) + (bias[c] as number);
        dx[index(n, c, i)] = ((scale[c] as number) / sigma) * ((gradients[k] as number) - meanGradient - (normalized[k] as number) * meanProduct);
      }
    }
  }
  return { y, mean, variance, dx, dScale, dBias };
}

function operands(problem: Problem, seed: number) {
  const channels = problem.shape[1] as number;
  const x = randomTensorData(problem.shape, { seed }).data as Float32Array;
  if (problem.offset) for (let index = 0; index < x.length; index++) x[index] = (x[index] as number) + (problem.offset as number);
  const dy = randomTensorData(problem.shape, { seed: seed + 1 }).data as Float32Array;
  const scale = randomTensorData([channels], { seed: seed + 2 }).data as Float32Array;
  const bias = randomTensorData([channels], { seed: seed + 3 }).data as Float32Array;
  return { x, dy, scale, bias };
}

type Outputs = { y: Float32Array; mean: Float32Array; variance: Float32Array; dx: Float32Array; dScale: Float32Array; dBias: Float32Array };

/** Forward and backward: the WebAssembly kernels directly, or the op kernels (loops when the runtime is off). */
function run(problem: Problem, data: ReturnType<typeof operands>, wasm: boolean): Outputs {
  const { shape } = problem;
  const channels = shape[1] as number;
  if (wasm) {
    const forward = { y: new Float32Array(data.x.length), mean: new Float32Array(channels), variance: new Float32Array(channels) };
    expect(wasmBatchNormForward(layoutOf(shape), { ...data, epsilon: EPSILON }, forward)).toBe(true);
    const backward = { dx: new Float32Array(data.x.length), dScale: new Float32Array(channels), dBias: new Float32Array(channels) };
    expect(wasmBatchNormBackward(layoutOf(shape), { ...data, mean: forward.mean, variance: forward.variance, epsilon: EPSILON }, backward)).toBe(true);
    return { ...forward, ...backward };
  }
  const tensor = (values: Float32Array, dims: number[]): TensorData => ({ dtype: 'float32', shape: dims, data: values });
  const attrs = { epsilon: EPSILON };
  const [y, mean, variance] = batchNormTrainingKernel([tensor(data.x, shape), tensor(data.scale, [channels]), tensor(data.bias, [channels])], attrs, at('BatchNormTraining')) as [TensorData, TensorData, TensorData];
  const gradInputs = [tensor(data.dy, shape), tensor(data.x, shape), tensor(data.scale, [channels]), mean, variance];
  const [dx, dScale, dBias] = batchNormTrainingGradKernel(gradInputs, attrs, at('BatchNormTrainingGrad')) as [TensorData, TensorData, TensorData];
  const values = (t: TensorData) => t.data as Float32Array;
  return { y: values(y), mean: values(mean), variance: values(variance), dx: values(dx), dScale: values(dScale), dBias: values(dBias) };
}

const PROBLEMS: Problem[] = [
  { shape: [3, 5, 7, 7] },
  { shape: [2, 4, 6, 5] },
  { shape: [4, 3, 1, 1] },
  { shape: [1, 6, 9, 11] },
  { shape: [5, 7] },
  { shape: [3, 4, 19] },
  { shape: [2, 3, 8, 8], offset: 300 },
  { shape: [2, 2, 33, 3] },
];

const sameBits = (a: Float32Array, b: Float32Array): boolean => Buffer.from(a.buffer, a.byteOffset, a.byteLength).equals(Buffer.from(b.buffer, b.byteOffset, b.byteLength));

function wasmAvailable(): boolean {
  configureWasmKernels({ enabled: true, threads: 2 });
  return wasmKernelInfo().available;
}

describe('batch normalization for training vs the naive formula', () => {
  afterAll(() => configureWasmKernels({ enabled: true, threads: 2 }));
  PROBLEMS.forEach((problem, index) => {
    it(`agrees on both paths for ${JSON.stringify(problem)}`, () => {
      const data = operands(problem, 40 + 10 * index);
      const expected = naive(data.x, data.dy, data.scale, data.bias, problem.shape);
      for (const wasm of wasmAvailable() ? [true, false] : [false]) {
        configureWasmKernels({ enabled: wasm });
        const actual = run(problem, data, wasm);
        for (const key of ['y', 'mean', 'variance', 'dx', 'dScale', 'dBias'] as const) {
          const values = actual[key];
          // the variance of an offset channel is a small difference of large sums
          const atol = key === 'mean' || key === 'variance' ? 1e-5 * (1 + (problem.offset ?? 0)) : 2e-5;
          expectClose({ shape: [values.length], values: Array.from(values) }, { shape: [values.length], values: Array.from(expected[key]) }, { rtol: 1e-4, atol });
        }
      }
    });
  });

  it('gives bit-identical WebAssembly results for 1 and 2 threads', () => {
    if (!wasmAvailable()) return;
    const problem = { shape: [32, 32, 28, 28] }; // 3 · 800k elements of work: two threads
    const data = operands(problem, 7);
    const twoThreads = run(problem, data, true);
    configureWasmKernels({ threads: 1 });
    const oneThread = run(problem, data, true);
    for (const key of ['y', 'mean', 'variance', 'dx', 'dScale', 'dBias'] as const) expect(sameBits(oneThread[key], twoThreads[key])).toBe(true);
  });
});
