// The pointwise convolution as one GEMM in the WebAssembly memory (wasm-pointwise.ts) against the
// naive float64 loops of fast/__fixtures__/conv-oracle.ts — batch 1 and several images, odd plane
// sizes, more and fewer output than input channels — through conv2dForward (no bias) as well as
// directly; bit-identical for 1 and 2 threads; and the shapes it declines (stride, padding, groups).
import { expectClose } from '@efficientdl/test-utils';
import { afterAll, describe, expect, it } from 'vitest';
import { type Problem, naiveConv, shapeOf } from '../fast/__fixtures__/conv-oracle.js';
import { randomArray, seeded } from '../fast/__fixtures__/gemm-oracle.js';
import { conv2dForward } from '../fast/conv2d.js';
import { isPlainPointwise, wasmPointwise } from './wasm-pointwise.js';
import { configureWasmKernels, wasmKernelInfo } from './wasm-runtime.js';

const pointwise = (batch: number, inChannels: number, outChannels: number, input: [number, number]): Problem => ({ batch, inChannels, outChannels, group: 1, input, kernel: [1, 1] });

function operands(problem: Problem, seed: number) {
  const shape = shapeOf(problem);
  const random = seeded(seed);
  const x = randomArray(shape.batch * shape.inChannels * shape.inHeight * shape.inWidth, random);
  const w = randomArray(shape.outChannels * shape.inChannels, random);
  return { shape, x, w, expected: naiveConv(shape, x, w) };
}

describe('pointwise convolution as one GEMM', () => {
  afterAll(() => configureWasmKernels({ enabled: true, threads: 2 }));
  configureWasmKernels({ enabled: true, threads: 2 });
  const available = wasmKernelInfo().available;

  it.each([pointwise(1, 3, 5, [4, 7]), pointwise(5, 7, 3, [3, 5]), pointwise(4, 16, 24, [9, 9]), pointwise(2, 1, 6, [11, 2])])('agrees with the naive loops for %j', (problem) => {
    const { shape, x, w, expected } = operands(problem, problem.batch * 7 + problem.inChannels);
    const y = new Float32Array(expected.length).fill(Number.NaN);
    conv2dForward(shape, x, w, undefined, y);
    expectClose({ shape: [y.length], values: Array.from(y) }, { shape: [y.length], values: Array.from(expected) }, { rtol: 1e-5, atol: 1e-5 });
    if (!available) return;
    const direct = new Float32Array(expected.length).fill(Number.NaN);
    expect(wasmPointwise(shape, x, w, direct)).toBe(true);
    expectClose({ shape: [y.length], values: Array.from(direct) }, { shape: [y.length], values: Array.from(expected) }, { rtol: 1e-5, atol: 1e-5 });
  });

  it('gives bit-identical results for 1 and 2 threads', () => {
    if (!available) return;
    const { shape, x, w } = operands(pointwise(32, 24, 96, [14, 14]), 3);
    const run = () => {
      const y = new Float32Array(32 * 96 * 196);
      expect(wasmPointwise(shape, x, w, y)).toBe(true);
      return Buffer.from(y.buffer);
    };
    const twoThreads = run();
    configureWasmKernels({ threads: 1 });
    expect(run().equals(twoThreads)).toBe(true);
  });

  it('declines strided, padded and grouped 1 × 1 convolutions', () => {
    expect(isPlainPointwise(shapeOf(pointwise(2, 4, 4, [6, 6])))).toBe(true);
    expect(isPlainPointwise(shapeOf({ ...pointwise(2, 4, 4, [6, 6]), stride: [2, 2] }))).toBe(false);
    expect(isPlainPointwise(shapeOf({ ...pointwise(2, 4, 4, [6, 6]), pads: [1, 0, 0, 0] }))).toBe(false);
    expect(isPlainPointwise(shapeOf({ ...pointwise(2, 4, 4, [6, 6]), group: 2 }))).toBe(false);
  });
});
