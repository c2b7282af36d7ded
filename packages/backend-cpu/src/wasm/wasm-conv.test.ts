// The WebAssembly convolutions — implicit GEMM (assembly/conv-f32.ts), Winograd F(2 × 2, 3 × 3)
// (assembly/winograd-f32.ts), F(4 × 4, 3 × 3) (winograd4-f32.ts) and depthwise (depthwise-f32.ts) — against the naive float64 convolution of
// fast/__fixtures__/conv-oracle.ts followed by naive activation and 2 × 2 max pooling written
// here: strides 1-3, dilations, groups and depthwise, asymmetric pads, odd and tiny outputs (1 × N,
// N × 1, not multiples of the 2 × 8 panel or of 4 tiles), 1 × 1 kernels, ReLU / Clip / pool
// epilogues, both SIMD builds, and bit-identical results for 1 and 2 threads.
import { expectClose } from '@efficientdl/test-utils';
import { afterAll, describe, expect, it } from 'vitest';
import { type Problem, naiveConv, shapeOf } from '../fast/__fixtures__/conv-oracle.js';
import { randomArray, seeded } from '../fast/__fixtures__/gemm-oracle.js';
import type { Conv2dShape } from '../fast/conv2d.js';
import { type ConvAlgorithm, type ConvEpilogue, wasmConv2d, winogradApplies } from './wasm-conv.js';
import { configureWasmKernels, wasmKernelInfo } from './wasm-runtime.js';

function activate(value: number, epilogue: ConvEpilogue): number {
  const activation = epilogue.activation ?? 'none';
  if (activation === 'relu') return Math.max(value, 0);
  if (typeof activation === 'object') return Math.min(Math.max(value, activation.clipMin), activation.clipMax);
  return value;
}

/** Naive epilogue: activation, then floor-mode 2 × 2 / stride 2 max pooling. */
function naiveEpilogue(shape: Conv2dShape, y: Float64Array, epilogue: ConvEpilogue): { values: Float64Array; dims: number[] } {
  const activated = y.map((value) => activate(value, epilogue));
  const { batch, outChannels, outHeight, outWidth } = shape;
  if (!epilogue.pool) return { values: activated, dims: [batch, outChannels, outHeight, outWidth] };
  const [height, width] = [Math.floor(outHeight / 2), Math.floor(outWidth / 2)];
  const pooled = new Float64Array(batch * outChannels * height * width);
  for (let plane = 0; plane < batch * outChannels; plane++) {
    for (let row = 0; row < height; row++) {
      for (let col = 0; col < width; col++) {
        let best = Number.NEGATIVE_INFINITY;
        for (const [dr, dc] of [[0, 0], [0, 1], [1, 0], [1, 1]] as const) {
          best = Math.max(best, activated[(plane * outHeight + 2 * row + dr) * outWidth + 2 * col + dc] as number);
        }
        pooled[(plane * height + row) * width + col] = best;
      }
    }
  }
  return { values: pooled, dims: [batch, outChannels, height, width] };
}

function run(problem: Problem, epilogue: ConvEpilogue, seed: number, algorithm: ConvAlgorithm = 'implicit-gemm'): Float32Array {
  const shape = shapeOf(problem);
  const random = seeded(seed);
  const x = randomArray(shape.batch * shape.inChannels * shape.inHeight * shape.inWidth, random);
  const weights = randomArray(shape.outChannels * (shape.inChannels / shape.group) * shape.kernelHeight * shape.kernelWidth, random);
  const bias = seed % 2 === 0 ? randomArray(shape.outChannels, random) : undefined;
  const expected = naiveEpilogue(shape, naiveConv(shape, x, weights, bias), epilogue);
  const y = new Float32Array(expected.values.length).fill(Number.NaN);
  expect(wasmConv2d({ shape, x, weights, bias, y, epilogue, algorithm })).toBe(true);
  // F(4 × 4, 3 × 3) transforms (factors up to 8 and 1/24) round a few times more than the others
  const atol = algorithm === 'winograd4' ? 1e-4 : 1e-5;
  expectClose({ shape: expected.dims, values: Array.from(y) }, { shape: expected.dims, values: Array.from(expected.values) }, { rtol: 1e-4, atol });
  return y;
}

const PROBLEMS: Problem[] = [
  { batch: 3, inChannels: 1, outChannels: 16, group: 1, input: [28, 28], kernel: [3, 3], pads: [1, 1, 1, 1] },
  { batch: 2, inChannels: 16, outChannels: 32, group: 1, input: [14, 14], kernel: [3, 3], pads: [1, 1, 1, 1] },
  { batch: 4, inChannels: 2, outChannels: 5, group: 1, input: [9, 8], kernel: [3, 3], stride: [2, 2], pads: [1, 1, 1, 1] },
  { batch: 2, inChannels: 3, outChannels: 3, group: 1, input: [11, 13], kernel: [3, 3], stride: [3, 3], pads: [1, 1, 1, 1] },
  { batch: 3, inChannels: 2, outChannels: 3, group: 1, input: [9, 11], kernel: [3, 2], dilation: [2, 3], pads: [2, 1, 0, 3] },
  { batch: 3, inChannels: 4, outChannels: 6, group: 2, input: [6, 5], kernel: [3, 3], stride: [1, 2], pads: [0, 2, 1, 0] },
  { batch: 3, inChannels: 8, outChannels: 8, group: 8, input: [7, 6], kernel: [3, 3], stride: [2, 2], pads: [1, 1, 0, 1] },
  { batch: 2, inChannels: 5, outChannels: 7, group: 1, input: [5, 19], kernel: [1, 1] },
  { batch: 1, inChannels: 3, outChannels: 2, group: 1, input: [1, 37], kernel: [1, 5], pads: [0, 2, 0, 2] },
  { batch: 2, inChannels: 3, outChannels: 4, group: 1, input: [29, 1], kernel: [3, 1], pads: [1, 0, 1, 0] },
  { batch: 1, inChannels: 300, outChannels: 3, group: 1, input: [3, 3], kernel: [1, 1] },
  { batch: 2, inChannels: 2, outChannels: 2, group: 1, input: [4, 4], kernel: [3, 3], pads: [0, 5, 0, 0] },
];

describe('WebAssembly implicit-GEMM convolution', () => {
  afterAll(() => configureWasmKernels({ enabled: true, threads: 2, relaxedSimd: true }));

  it('matches the naive convolution with bias and no epilogue', () => {
    PROBLEMS.forEach((problem, index) => run(problem, {}, 10 + index));
  });

  it('computes 3 × 3 / stride 1 convolutions by Winograd F(2 × 2, 3 × 3) and F(4 × 4, 3 × 3) (the latter to atol 1e-4)', () => {
    const problems: Problem[] = [
      ...PROBLEMS.filter((problem) => winogradApplies(shapeOf(problem))),
      { batch: 2, inChannels: 5, outChannels: 37, group: 1, input: [11, 9], kernel: [3, 3], pads: [1, 1, 1, 1] },
      { batch: 3, inChannels: 4, outChannels: 3, group: 1, input: [7, 23], kernel: [3, 3], pads: [0, 2, 1, 0] },
      { batch: 1, inChannels: 6, outChannels: 2, group: 1, input: [4, 4], kernel: [3, 3] },
      { batch: 2, inChannels: 70, outChannels: 66, group: 1, input: [5, 6], kernel: [3, 3], pads: [1, 1, 1, 1] },
    ];
    expect(problems.length).toBeGreaterThan(4);
    for (const algorithm of ['winograd', 'winograd4'] as const) {
      problems.forEach((problem, index) => {
        run(problem, {}, 100 + index, algorithm);
        run(problem, { activation: 'relu', pool: true }, 110 + index, algorithm);
        run(problem, { activation: { clipMin: -0.3, clipMax: 0.4 } }, 120 + index, algorithm);
      });
    }
  });

  it('computes depthwise convolutions directly (multipliers, strides, dilations, kernel sizes)', () => {
    const problems: Problem[] = [
      { batch: 2, inChannels: 8, outChannels: 8, group: 8, input: [13, 37], kernel: [3, 3], pads: [1, 1, 1, 1] },
      { batch: 3, inChannels: 3, outChannels: 6, group: 3, input: [9, 11], kernel: [3, 3], stride: [2, 2], pads: [1, 1, 0, 1] },
      { batch: 1, inChannels: 4, outChannels: 4, group: 4, input: [12, 19], kernel: [5, 5], stride: [3, 3], pads: [2, 2, 2, 2] },
      { batch: 2, inChannels: 5, outChannels: 5, group: 5, input: [10, 10], kernel: [3, 3], dilation: [2, 3], pads: [2, 3, 2, 3] },
      { batch: 1, inChannels: 2, outChannels: 2, group: 2, input: [1, 40], kernel: [1, 7], pads: [0, 3, 0, 3] },
      { batch: 2, inChannels: 6, outChannels: 6, group: 6, input: [4, 3], kernel: [3, 3] },
    ];
    problems.forEach((problem, index) => {
      run(problem, {}, 130 + index, 'depthwise');
      run(problem, { activation: 'relu' }, 140 + index, 'depthwise');
      run(problem, { activation: { clipMin: 0, clipMax: 0.25 } }, 150 + index, 'depthwise');
    });
  });

  it('applies ReLU, Clip and the fused 2 × 2 max pool (odd output sizes drop the last row / column)', () => {
    const pooled: Problem[] = [
      { batch: 2, inChannels: 3, outChannels: 5, group: 1, input: [9, 13], kernel: [3, 3], pads: [1, 1, 1, 1] },
      { batch: 3, inChannels: 1, outChannels: 16, group: 1, input: [28, 28], kernel: [3, 3], pads: [1, 1, 1, 1] },
      { batch: 1, inChannels: 2, outChannels: 3, group: 1, input: [2, 17], kernel: [1, 1] },
    ];
    pooled.forEach((problem, index) => {
      run(problem, { activation: 'relu', pool: true }, 40 + index);
      run(problem, { pool: true }, 50 + index);
      run(problem, { activation: { clipMin: -0.1, clipMax: 0.2 } }, 60 + index);
      run(problem, { activation: 'relu' }, 70 + index);
    });
  });

  it('runs the plain-SIMD build too', () => {
    configureWasmKernels({ relaxedSimd: false });
    expect(wasmKernelInfo().relaxedSimd).toBe(false);
    PROBLEMS.slice(0, 4).forEach((problem, index) => run(problem, { activation: 'relu', pool: index % 2 === 0 }, 80 + index));
    configureWasmKernels({ relaxedSimd: true });
  });

  it('gives bit-identical results for 1 and 2 threads', () => {
    const problem: Problem = { batch: 8, inChannels: 16, outChannels: 32, group: 1, input: [14, 14], kernel: [3, 3], pads: [1, 1, 1, 1] };
    for (const algorithm of ['implicit-gemm', 'winograd', 'winograd4'] as const) {
      configureWasmKernels({ threads: 1 });
      const single = run(problem, { activation: 'relu', pool: true }, 90, algorithm);
      configureWasmKernels({ threads: 2 });
      const double = run(problem, { activation: 'relu', pool: true }, 90, algorithm);
      expect(Array.from(double)).toEqual(Array.from(single));
    }
    const depthwise: Problem = { batch: 4, inChannels: 32, outChannels: 32, group: 32, input: [40, 40], kernel: [3, 3], pads: [1, 1, 1, 1] };
    configureWasmKernels({ threads: 1 });
    const single = run(depthwise, { activation: 'relu' }, 91, 'depthwise');
    configureWasmKernels({ threads: 2 });
    expect(Array.from(run(depthwise, { activation: 'relu' }, 91, 'depthwise'))).toEqual(Array.from(single));
  });
});
