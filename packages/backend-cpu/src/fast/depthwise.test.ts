// The direct depthwise convolution and its gradients (fast/depthwise.ts: the WebAssembly kernels
// of src/wasm/wasm-depthwise-train.ts and the TypeScript loops) against the naive float64 loops of
// __fixtures__/conv-oracle.ts: kernels 1×1 to 7×7, strides 1-3, dilations, asymmetric pads
// (including pads wider than the kernel), odd and tiny planes (1 × N, N × 1, widths around the 4-,
// 8- and 16-lane blocks), batch 1, channel multipliers; both paths, and bit-identical WebAssembly
// results for 1 and 2 threads. Also that conv2d.ts routes depthwise gradients here.
import { expectClose } from '@efficientdl/test-utils';
import { afterAll, describe, expect, it } from 'vitest';
import { wasmDepthwiseForward, wasmDepthwiseGradInput, wasmDepthwiseGradWeight } from '../wasm/wasm-depthwise-train.js';
import { configureWasmKernels, wasmKernelInfo } from '../wasm/wasm-runtime.js';
import { type Problem, forEachTerm, shapeOf } from './__fixtures__/conv-oracle.js';
import { randomArray, seeded } from './__fixtures__/gemm-oracle.js';
import { type Conv2dShape, conv2dGradInput, conv2dGradWeight } from './conv2d.js';
import { depthwiseForward, depthwiseGradInput, depthwiseGradWeight, isDepthwise } from './depthwise.js';

interface Operands {
  shape: Conv2dShape;
  x: Float32Array;
  w: Float32Array;
  bias: Float32Array;
  dy: Float32Array;
}

function operands(problem: Problem, seed: number): Operands {
  const shape = shapeOf(problem);
  const random = seeded(seed);
  const x = randomArray(shape.batch * shape.inChannels * shape.inHeight * shape.inWidth, random);
  const w = randomArray(shape.outChannels * shape.kernelHeight * shape.kernelWidth, random);
  const bias = randomArray(shape.outChannels, random);
  const dy = randomArray(shape.batch * shape.outChannels * shape.outHeight * shape.outWidth, random);
  return { shape, x, w, bias, dy };
}

/** y, dx, dw in float64 by enumerating every product. */
function naive({ shape, x, w, bias, dy }: Operands): { y: Float64Array; dx: Float64Array; dw: Float64Array } {
  const plane = shape.outHeight * shape.outWidth;
  const y = Float64Array.from(dy, (_, index) => bias[Math.floor(index / plane) % shape.outChannels] as number);
  const dx = new Float64Array(x.length);
  const dw = new Float64Array(w.length);
  forEachTerm(shape, (yIndex, xIndex, wIndex) => {
    y[yIndex] = (y[yIndex] as number) + (x[xIndex] as number) * (w[wIndex] as number);
    dx[xIndex] = (dx[xIndex] as number) + (dy[yIndex] as number) * (w[wIndex] as number);
    dw[wIndex] = (dw[wIndex] as number) + (dy[yIndex] as number) * (x[xIndex] as number);
  });
  return { y, dx, dw };
}

/**
 * The three fast results (outputs start as NaN, so unwritten elements fail): the WebAssembly
 * kernels called directly when `wasm` (whatever the size; the input gradient needs multiplier 1),
 * else the dispatching functions with the runtime disabled (the TypeScript loops).
 */
function fast({ shape, x, w, bias, dy }: Operands, wasm: boolean): { y: Float32Array; dx: Float32Array; dw: Float32Array } {
  const y = new Float32Array(dy.length).fill(Number.NaN);
  const dx = new Float32Array(x.length).fill(Number.NaN);
  const dw = new Float32Array(w.length).fill(Number.NaN);
  if (!wasm) {
    depthwiseForward(shape, x, w, bias, y);
    depthwiseGradInput(shape, dy, w, dx);
    depthwiseGradWeight(shape, x, dy, dw);
    return { y, dx, dw };
  }
  expect(wasmDepthwiseForward(shape, x, w, bias, y)).toBe(true);
  if (shape.outChannels === shape.inChannels) expect(wasmDepthwiseGradInput(shape, dy, w, dx)).toBe(true);
  else depthwiseGradInput(shape, dy, w, dx);
  expect(wasmDepthwiseGradWeight(shape, x, dy, dw)).toBe(true);
  return { y, dx, dw };
}

const sameBits = (a: Float32Array, b: Float32Array): boolean => Buffer.from(a.buffer, a.byteOffset, a.byteLength).equals(Buffer.from(b.buffer, b.byteOffset, b.byteLength));

/** Whether the WebAssembly runtime loads here (the module is built by scripts/build-wasm.mjs). */
function wasmAvailable(): boolean {
  configureWasmKernels({ enabled: true, threads: 2 });
  return wasmKernelInfo().available;
}

function expectAgrees(actual: Float32Array, expected: Float64Array): void {
  expectClose({ shape: [actual.length], values: Array.from(actual) }, { shape: [expected.length], values: Array.from(expected) }, { rtol: 1e-4, atol: 1e-4 });
}

const depthwise = (problem: Omit<Problem, 'group' | 'outChannels'> & { multiplier?: number }): Problem => ({
  ...problem,
  group: problem.inChannels,
  outChannels: problem.inChannels * (problem.multiplier ?? 1),
});

const PROBLEMS: Problem[] = [
  depthwise({ batch: 3, inChannels: 5, input: [7, 7], kernel: [7, 7], pads: [3, 3, 3, 3] }),
  depthwise({ batch: 2, inChannels: 4, input: [14, 14], kernel: [7, 7], stride: [2, 2], pads: [3, 3, 3, 3] }),
  depthwise({ batch: 2, inChannels: 3, input: [13, 11], kernel: [3, 3], pads: [1, 1, 1, 1] }),
  depthwise({ batch: 1, inChannels: 3, input: [9, 20], kernel: [5, 5], stride: [1, 2], pads: [2, 2, 2, 2] }),
  depthwise({ batch: 2, inChannels: 2, input: [10, 9], kernel: [3, 3], stride: [3, 3], pads: [1, 0, 2, 1] }),
  depthwise({ batch: 2, inChannels: 3, input: [11, 12], kernel: [3, 2], dilation: [2, 3], pads: [2, 1, 0, 3] }),
  depthwise({ batch: 2, inChannels: 3, input: [9, 9], kernel: [3, 3], stride: [2, 2], dilation: [2, 2], pads: [2, 2, 2, 2] }),
  depthwise({ batch: 3, inChannels: 4, input: [5, 6], kernel: [1, 1] }),
  depthwise({ batch: 2, inChannels: 3, input: [7, 5], kernel: [1, 1], stride: [2, 2], pads: [1, 0, 0, 1] }),
  depthwise({ batch: 1, inChannels: 2, input: [1, 23], kernel: [1, 5], stride: [1, 2], pads: [0, 2, 0, 2] }),
  depthwise({ batch: 2, inChannels: 2, input: [17, 1], kernel: [3, 1], pads: [1, 0, 1, 0] }),
  depthwise({ batch: 2, inChannels: 2, input: [4, 4], kernel: [3, 3], pads: [0, 5, 0, 0] }),
  depthwise({ batch: 2, inChannels: 2, input: [6, 33], kernel: [3, 3], pads: [1, 1, 1, 1] }),
  depthwise({ batch: 2, inChannels: 2, input: [6, 6], kernel: [3, 3], pads: [1, 1, 1, 1], multiplier: 3 }),
  depthwise({ batch: 2, inChannels: 2, input: [8, 8], kernel: [3, 3], stride: [2, 2], pads: [1, 1, 1, 1], multiplier: 2 }),
];

describe('depthwise convolution and gradients vs naive loops', () => {
  afterAll(() => configureWasmKernels({ enabled: true, threads: 2 }));
  PROBLEMS.forEach((problem, index) => {
    it(`agrees on both paths for ${JSON.stringify(problem)}`, () => {
      const problemOperands = operands(problem, 300 + index);
      expect(isDepthwise(problemOperands.shape)).toBe(true);
      const expected = naive(problemOperands);
      for (const wasm of wasmAvailable() ? [true, false] : [false]) {
        configureWasmKernels({ enabled: wasm, threads: 2 });
        const actual = fast(problemOperands, wasm);
        expectAgrees(actual.y, expected.y);
        expectAgrees(actual.dx, expected.dx);
        expectAgrees(actual.dw, expected.dw);
      }
    });
  });

  it('gives bit-identical WebAssembly results for 1 and 2 threads', () => {
    if (!wasmAvailable()) return;
    const problemOperands = operands(depthwise({ batch: 16, inChannels: 48, input: [14, 14], kernel: [5, 5], pads: [2, 2, 2, 2] }), 7);
    const twoThreads = fast(problemOperands, true);
    configureWasmKernels({ threads: 1 });
    const oneThread = fast(problemOperands, true);
    for (const key of ['y', 'dx', 'dw'] as const) expect(sameBits(oneThread[key], twoThreads[key])).toBe(true);
  });

  it('is what conv2dGradInput / conv2dGradWeight compute for depthwise shapes', () => {
    configureWasmKernels({ enabled: true, threads: 2 });
    const problemOperands = operands(depthwise({ batch: 4, inChannels: 8, input: [9, 9], kernel: [3, 3], stride: [2, 2], pads: [1, 1, 1, 1] }), 11);
    const { shape, x, w, dy } = problemOperands;
    const direct = fast(problemOperands, wasmAvailable());
    const dx = new Float32Array(x.length);
    const dw = new Float32Array(w.length);
    conv2dGradInput(shape, dy, w, dx);
    conv2dGradWeight(shape, x, dy, dw);
    expect(dx).toEqual(direct.dx);
    expect(dw).toEqual(direct.dw);
  });
});
