// The batched im2col/GEMM convolution (forward, dX, dW) against the naive float64 loops of
// __fixtures__/conv-oracle.ts, for batch > 1, strides, dilations, groups, asymmetric padding, odd sizes and 1×1
// kernels, with chunk budgets that give one chunk, one image per chunk and uneven chunks — through
// the dispatching functions, so the WebAssembly paths (weight gradient in the memory, input
// gradient as a forward convolution, depthwise kernels) run where they apply.
import { expectClose } from '@efficientdl/test-utils';
import { afterAll, describe, expect, it } from 'vitest';
import { wasmConvGradWeight } from '../wasm/wasm-conv-grad-weight.js';
import { configureWasmKernels, wasmKernelInfo } from '../wasm/wasm-runtime.js';
import { randomArray, seeded } from './__fixtures__/gemm-oracle.js';
import { planChunks } from './conv-batching.js';
import { type Problem, forEachTerm, shapeOf } from './__fixtures__/conv-oracle.js';
import { type Conv2dShape, conv2dForward, conv2dGradInput, conv2dGradWeight } from './conv2d.js';

/** Budgets: the default (one chunk here), 1 (one image per chunk) and 2.5 images' scratch (uneven chunks). */
function budgetsFor(shape: Conv2dShape): (number | undefined)[] {
  const patch = (shape.inChannels / shape.group) * shape.kernelHeight * shape.kernelWidth;
  const perImage = (patch + shape.outChannels / shape.group) * shape.outHeight * shape.outWidth;
  return [undefined, 1, Math.floor(2.5 * perImage)];
}

function check(problem: Problem, seed: number): void {
  const shape = shapeOf(problem);
  const random = seeded(seed);
  const xLength = shape.batch * shape.inChannels * shape.inHeight * shape.inWidth;
  const yLength = shape.batch * shape.outChannels * shape.outHeight * shape.outWidth;
  const wLength = shape.outChannels * (shape.inChannels / shape.group) * shape.kernelHeight * shape.kernelWidth;
  const x = randomArray(xLength, random);
  const w = randomArray(wLength, random);
  const bias = randomArray(shape.outChannels, random);
  const dy = randomArray(yLength, random);
  const planeOut = shape.outHeight * shape.outWidth;
  const y = Array.from({ length: yLength }, (_, index) => bias[Math.floor(index / planeOut) % shape.outChannels] as number);
  const dx = new Array<number>(xLength).fill(0);
  const dw = new Array<number>(wLength).fill(0);
  forEachTerm(shape, (yIndex, xIndex, wIndex) => {
    y[yIndex] = (y[yIndex] as number) + (x[xIndex] as number) * (w[wIndex] as number);
    dx[xIndex] = (dx[xIndex] as number) + (dy[yIndex] as number) * (w[wIndex] as number);
    dw[wIndex] = (dw[wIndex] as number) + (dy[yIndex] as number) * (x[xIndex] as number);
  });
  const tolerance = { rtol: 1e-4, atol: 1e-4 };
  // the WebAssembly paths, then the TypeScript im2col / GEMM fallback
  for (const [enabled, budget] of [true, false].flatMap((wasm) => budgetsFor(shape).map((value) => [wasm, value] as const))) {
    configureWasmKernels({ enabled });
    const options = { maxScratchFloats: budget };
    const yFast = new Float32Array(yLength).fill(Number.NaN);
    const dxFast = new Float32Array(xLength).fill(Number.NaN);
    const dwFast = new Float32Array(wLength).fill(Number.NaN);
    conv2dForward(shape, x, w, bias, yFast, options);
    conv2dGradInput(shape, dy, w, dxFast, options);
    conv2dGradWeight(shape, x, dy, dwFast, options);
    expectClose({ shape: [yLength], values: Array.from(yFast) }, { shape: [yLength], values: y }, tolerance);
    expectClose({ shape: [xLength], values: Array.from(dxFast) }, { shape: [xLength], values: dx }, tolerance);
    expectClose({ shape: [wLength], values: Array.from(dwFast) }, { shape: [wLength], values: dw }, tolerance);
  }
}

describe('batched im2col/GEMM convolution vs naive loops', () => {
  afterAll(() => configureWasmKernels({ enabled: true }));
  const problems: Problem[] = [
    { batch: 5, inChannels: 3, outChannels: 4, group: 1, input: [7, 7], kernel: [3, 3], pads: [1, 1, 1, 1] },
    { batch: 4, inChannels: 2, outChannels: 5, group: 1, input: [9, 8], kernel: [3, 3], stride: [2, 2], pads: [1, 1, 1, 1] },
    { batch: 3, inChannels: 2, outChannels: 3, group: 1, input: [9, 11], kernel: [3, 2], dilation: [2, 3], pads: [2, 1, 0, 3] },
    { batch: 3, inChannels: 4, outChannels: 6, group: 2, input: [6, 5], kernel: [3, 3], stride: [1, 2], pads: [0, 2, 1, 0] },
    { batch: 4, inChannels: 3, outChannels: 6, group: 3, input: [5, 5], kernel: [3, 3], pads: [1, 1, 1, 1] },
    { batch: 3, inChannels: 4, outChannels: 4, group: 4, input: [7, 6], kernel: [3, 3], stride: [2, 2], pads: [1, 1, 0, 1] },
    { batch: 6, inChannels: 5, outChannels: 3, group: 1, input: [5, 7], kernel: [1, 1] },
    { batch: 3, inChannels: 4, outChannels: 2, group: 1, input: [7, 5], kernel: [1, 1], stride: [2, 2], pads: [1, 0, 0, 1] },
    { batch: 2, inChannels: 1, outChannels: 4, group: 1, input: [1, 23], kernel: [1, 5], stride: [1, 2], pads: [0, 2, 0, 2] },
    { batch: 3, inChannels: 2, outChannels: 3, group: 1, input: [6, 6], kernel: [4, 4], pads: [3, 3, 3, 3] },
    { batch: 2, inChannels: 2, outChannels: 2, group: 1, input: [3, 3], kernel: [3, 3], dilation: [2, 2], pads: [2, 2, 2, 2] },
    { batch: 2, inChannels: 2, outChannels: 2, group: 1, input: [4, 4], kernel: [3, 3], pads: [0, 5, 0, 0] },
    { batch: 7, inChannels: 3, outChannels: 8, group: 1, input: [13, 13], kernel: [3, 3], pads: [1, 1, 1, 1] },
  ];
  problems.forEach((problem, index) => {
    it(`agrees for ${JSON.stringify(problem)}`, () => check(problem, 100 + index));
  });
});

describe('weight gradient in the WebAssembly memory', () => {
  afterAll(() => configureWasmKernels({ enabled: true, threads: 2 }));
  it('gives bit-identical results for 1 and 2 threads, in one chunk and in several', () => {
    configureWasmKernels({ enabled: true, threads: 2 });
    if (!wasmKernelInfo().available) return;
    const shape = shapeOf({ batch: 16, inChannels: 16, outChannels: 32, group: 1, input: [14, 14], kernel: [3, 3], pads: [1, 1, 1, 1] });
    const random = seeded(9);
    const x = randomArray(16 * 16 * 14 * 14, random);
    const dy = randomArray(16 * 32 * 14 * 14, random);
    const run = (budget?: number) => {
      const dw = new Float32Array(32 * 16 * 9);
      expect(wasmConvGradWeight(shape, x, dy, dw, { maxScratchFloats: budget })).toBe(true);
      return dw;
    };
    const twoThreads = [run(), run(200000)];
    configureWasmKernels({ threads: 1 });
    expect([run(), run(200000)]).toEqual(twoThreads);
  });
});

describe('planChunks', () => {
  it('covers the batch with near-equal chunks that fit the budget', () => {
    expect(planChunks({ batch: 7, floatsPerImage: 100, budget: 300 })).toEqual([
      { first: 0, count: 2 }, { first: 2, count: 2 }, { first: 4, count: 3 },
    ]);
    expect(planChunks({ batch: 64, floatsPerImage: 100 })).toEqual([{ first: 0, count: 64 }]);
    expect(planChunks({ batch: 3, floatsPerImage: 1000, budget: 10 })).toEqual([
      { first: 0, count: 1 }, { first: 1, count: 1 }, { first: 2, count: 1 },
    ]);
  });
});
