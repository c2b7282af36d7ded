// The 2×2 / stride-2 MaxPoolGrad fast paths — the WebAssembly job (src/wasm/wasm-elementwise-train.ts,
// called directly) and the one-pass loop (max-pool-2x2-grad.ts) — and the MaxPool values job against
// the general window loop (maxPoolArgmax: dY routed to each window's first maximum, whose value is
// the window's), with many ties and NaNs, odd heights
// and widths (rows / columns outside every window stay 0), widths around the 4-window SIMD step,
// and planes split between two threads. Element by element with Object.is.
import { type TensorData, fromNumbers } from '@efficientdl/ir';
import { randomTensorData } from '@efficientdl/test-utils';
import { afterAll, describe, expect, it } from 'vitest';
import type { KernelContext } from '../../kernel-registry.js';
import { wasmMaxPool2x2, wasmMaxPool2x2Grad } from '../../wasm/wasm-elementwise-train.js';
import { configureWasmKernels, wasmKernelInfo } from '../../wasm/wasm-runtime.js';
import { maxPoolArgmax } from '../pooling/max-pool.js';
import { poolSetup } from '../pooling/pool-setup.js';
import { maxPool2x2GradFused } from './max-pool-2x2-grad.js';

const at: KernelContext = { op: 'MaxPoolGrad', node: 'MaxPoolGrad_test', outputCount: 1 };
const POOL = { kernel_shape: [2, 2], strides: [2, 2], pads: [0, 0, 0, 0], dilations: [1, 1], ceil_mode: 0, storage_order: 0 };

/** Small integers (many ties) with NaNs every 13th element. */
function tiedInput(shape: number[], seed: number): TensorData {
  const random = randomTensorData(shape, { seed, low: -3, high: 3, dtype: 'int32' });
  return fromNumbers('float32', shape, Array.from(random.data as Int32Array, (value, index) => (index % 13 === 5 ? Number.NaN : value)));
}

/** The general loop's routing: dx[first maximum of window o] += dy[o]. */
function expected(x: TensorData, dy: Float32Array): Float32Array {
  const setup = poolSetup(x.shape, POOL, at);
  const argmax = new Int32Array(dy.length);
  maxPoolArgmax(setup, x.data as Float32Array, new Float32Array(dy.length), argmax);
  const dx = new Float32Array(x.data.length);
  const inPlane = x.data.length / setup.planes;
  const outPlane = dy.length / setup.planes;
  argmax.forEach((position, index) => {
    dx[Math.floor(index / outPlane) * inPlane + position] = dy[index] as number;
  });
  return dx;
}

function expectSameElements(actual: Float32Array, wanted: Float32Array): void {
  expect(actual.length).toBe(wanted.length);
  for (let index = 0; index < wanted.length; index++) {
    if (!Object.is(actual[index], wanted[index])) expect([index, actual[index]]).toEqual([index, wanted[index]]);
  }
}

describe('2×2 stride-2 MaxPoolGrad fast paths vs the general loop', () => {
  afterAll(() => configureWasmKernels({ enabled: true, threads: 2 }));
  configureWasmKernels({ enabled: true, threads: 2 });
  const available = wasmKernelInfo().available;
  const shapes = [[2, 3, 6, 7], [1, 2, 9, 17], [3, 1, 2, 8], [1, 1, 5, 3], [2, 2, 4, 18], [64, 16, 28, 28]];

  it.each(shapes)('agrees for X (%i, %i, %i, %i)', (...shape: number[]) => {
    const x = tiedInput(shape, shape.reduce((sum, dim) => sum + dim, 0));
    const setup = poolSetup(x.shape, POOL, at);
    const dy = randomTensorData(setup.outputShape as number[], { seed: 3 }).data as Float32Array;
    const wanted = expected(x, dy);
    const fused = new Float32Array(wanted.length);
    maxPool2x2GradFused(setup, x.data as Float32Array, dy, fused);
    expectSameElements(fused, wanted);
    if (!available) return;
    const fromWasm = new Float32Array(wanted.length).fill(Number.NaN);
    const geometry = { planes: setup.planes, height: shape[2] as number, width: shape[3] as number };
    expect(wasmMaxPool2x2Grad(geometry, x.data as Float32Array, dy, fromWasm)).toBe(true);
    expectSameElements(fromWasm, wanted);
    // the forward values job: the general loop's window maxima
    const values = new Float32Array(dy.length);
    maxPoolArgmax(setup, x.data as Float32Array, values, new Int32Array(dy.length));
    const pooled = new Float32Array(dy.length).fill(-1);
    expect(wasmMaxPool2x2(geometry, x.data as Float32Array, pooled)).toBe(true);
    expectSameElements(pooled, values);
  });
});
