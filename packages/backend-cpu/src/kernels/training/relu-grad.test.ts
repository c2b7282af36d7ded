// ReluGrad's (and Relu's) WebAssembly job (src/wasm/wasm-elementwise-train.ts) against the definition dX = X > 0 ? dY : 0
// element by element with Object.is (−0, +0 and NaN in X and dY included), on lengths that end
// inside and outside the 8-lane loop, split across two threads; and the kernel's dispatch on a
// large tensor gives the same bits as the TypeScript loop on a small one.
import { type TensorData, fromNumbers } from '@efficientdl/ir';
import { afterAll, describe, expect, it } from 'vitest';
import { wasmRelu, wasmReluGrad } from '../../wasm/wasm-elementwise-train.js';
import { configureWasmKernels, wasmKernelInfo } from '../../wasm/wasm-runtime.js';
import { reluGradKernel } from './relu-grad.js';

const SPECIAL = [0, -0, Number.NaN, Number.POSITIVE_INFINITY, Number.NEGATIVE_INFINITY, 1e-40, -1e-40, 3, -3];

/** Values in [-0.5, 0.5) from a seeded linear congruential generator (fast for millions of elements). */
function uniform(length: number, seed: number): Float32Array {
  let state = seed >>> 0;
  return Float32Array.from({ length }, () => {
    state = (Math.imul(state, 1664525) + 1013904223) >>> 0;
    return state / 2 ** 32 - 0.5;
  });
}

function operands(length: number, seed: number): { x: Float32Array; dy: Float32Array } {
  const x = uniform(length, seed);
  const dy = uniform(length, seed + 1);
  for (let index = 0; index < length; index += 7) x[index] = SPECIAL[(index / 7) % SPECIAL.length] as number;
  for (let index = 3; index < length; index += 11) dy[index] = SPECIAL[(index / 11) % SPECIAL.length] as number;
  return { x, dy };
}

function expectDefinition(dx: Float32Array, { x, dy }: { x: Float32Array; dy: Float32Array }): void {
  let mismatch = -1;
  for (let index = 0; index < x.length && mismatch < 0; index++) {
    if (!Object.is(dx[index], (x[index] as number) > 0 ? dy[index] : 0)) mismatch = index;
  }
  if (mismatch >= 0) expect({ index: mismatch, x: x[mismatch], dy: dy[mismatch], dx: dx[mismatch] }).toBe('dx = x > 0 ? dy : 0');
}

describe('ReluGrad WebAssembly job', () => {
  afterAll(() => configureWasmKernels({ enabled: true, threads: 2 }));
  configureWasmKernels({ enabled: true, threads: 2 });
  const available = wasmKernelInfo().available;

  it.each([1, 7, 8, 13, 1001, (1 << 22) + 5])('equals X > 0 ? dY : 0 bit for bit for %i elements', (length) => {
    if (!available) return;
    const data = operands(length, length);
    const dx = new Float32Array(length).fill(Number.NaN);
    expect(wasmReluGrad(data.dy, data.x, dx)).toBe(true);
    expectDefinition(dx, data);
  });

  it.each([5, 8, 1003])('Relu job equals X > 0 ? X : +0 bit for bit for %i elements', (length) => {
    if (!available) return;
    const { x } = operands(length, 40 + length);
    const y = new Float32Array(length).fill(Number.NaN);
    expect(wasmRelu(x, y)).toBe(true);
    for (let index = 0; index < length; index++) expect(Object.is(y[index], (x[index] as number) > 0 ? x[index] : 0)).toBe(true);
  });

  it('dispatches large tensors to the job and small ones to the loop, with the same results', () => {
    const data = operands(70000, 5);
    const tensor = (values: Float32Array): TensorData => ({ dtype: 'float32', shape: [values.length], data: values });
    const context = { op: 'ReluGrad', node: 'ReluGrad_test', outputCount: 1 };
    const [large] = reluGradKernel([tensor(data.dy), tensor(data.x)], {}, context) as [TensorData];
    expectDefinition(large.data as Float32Array, data);
    const [small] = reluGradKernel([fromNumbers('float32', [3], [1, -0, 2]), fromNumbers('float32', [3], [1, 1, -1])], {}, context) as [TensorData];
    expect(Array.from(small.data as Float32Array)).toEqual([1, -0, 0]);
  });
});
