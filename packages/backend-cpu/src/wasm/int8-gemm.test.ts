// int8Gemm (WebAssembly kernel for large sizes) against its plain integer loop and against an
// independent float64 formula: int8/uint8 operand combinations, zero points, odd k, sizes that
// cross the tile and block edges (extreme zero points included), int32 wrap-around; results must
// match bit for bit.
import { afterAll, describe, expect, it } from 'vitest';
import { int8Gemm, int8GemmReference } from './int8-gemm.js';
import { partitionOutput } from './partition.js';
import { configureWasmKernels, wasmKernelInfo } from './wasm-runtime.js';

function seeded(seed: number): () => number {
  let state = seed >>> 0;
  return () => {
    state = (Math.imul(state, 1664525) + 1013904223) >>> 0;
    return state / 2 ** 32;
  };
}

function randomBytes(length: number, unsigned: boolean, random: () => number): Int8Array | Uint8Array {
  const values = Array.from({ length }, () => Math.floor(random() * 256) - (unsigned ? 0 : 128));
  return unsigned ? Uint8Array.from(values) : Int8Array.from(values);
}

/** Independent oracle: float64 sums (exact here), wrapped to int32 at the end. */
function float64Product(a: ArrayLike<number>, b: ArrayLike<number>, shape: { m: number; n: number; k: number }, zeros: [number, number]): Int32Array {
  const { m, n, k } = shape;
  const out = new Int32Array(m * n);
  for (let row = 0; row < m; row++) {
    for (let col = 0; col < n; col++) {
      let sum = 0;
      for (let depth = 0; depth < k; depth++) sum += ((a[row * k + depth] as number) - zeros[0]) * ((b[depth * n + col] as number) - zeros[1]);
      out[row * n + col] = sum;
    }
  }
  return out;
}

/** Equal arrays, failing fast on the first difference (a full diff of large arrays is slow). */
function expectSameValues(actual: Int32Array, expected: Int32Array): void {
  expect(actual.length).toBe(expected.length);
  const index = actual.findIndex((value, at) => value !== expected[at]);
  expect(index === -1 ? undefined : { index, actual: actual[index], expected: expected[index] }).toBeUndefined();
}

describe('int8Gemm', () => {
  afterAll(() => configureWasmKernels({ threads: 2 }));

  it('runs on the WebAssembly kernel', () => {
    expect(wasmKernelInfo().available).toBe(true);
  });

  it('matches the integer oracle exactly for int8/uint8 operands and zero points', () => {
    const random = seeded(3);
    const shapes: [number, number, number][] = [[1, 64, 65], [64, 1, 129], [17, 23, 31], [33, 70, 1030], [100, 9, 7], [8, 2050, 3]];
    for (const [m, n, k] of shapes) {
      for (const [aUnsigned, bUnsigned] of [[false, false], [true, false], [false, true], [true, true]]) {
        const a = randomBytes(m * k, aUnsigned as boolean, random);
        const b = randomBytes(k * n, bUnsigned as boolean, random);
        const zeros: [number, number] = [aUnsigned ? 131 : -3, bUnsigned ? 7 : 0];
        const result = int8Gemm({ m, n, k, a, b, aZeroPoint: zeros[0], bZeroPoint: zeros[1] });
        expectSameValues(result, float64Product(a, b, { m, n, k }, zeros));
      }
    }
  });

  it('is exact across every block and tile edge of the kernel', () => {
    // assembly/gemm-int8.ts blocks: 4 × 8 micro-tiles (clipped ones go through a scratch tile),
    // depth blocks of 512 (C accumulated after the first, down to a last block of one depth),
    // 24-row A blocks, 512-column B blocks; packed A rows go 16 depths at a time, then pairs
    const random = seeded(11);
    const shapes: [number, number, number][] = [[53, 530, 600], [3, 5, 1100], [6, 13, 67], [29, 8, 1025]];
    for (const [m, n, k] of shapes) {
      for (const [aUnsigned, bUnsigned] of [[false, false], [true, true]]) {
        const a = randomBytes(m * k, aUnsigned as boolean, random);
        const b = randomBytes(k * n, bUnsigned as boolean, random);
        const zeros: [number, number] = [aUnsigned ? 255 : 0, bUnsigned ? 0 : -128];
        const result = int8Gemm({ m, n, k, a, b, aZeroPoint: zeros[0], bZeroPoint: zeros[1] });
        expectSameValues(result, float64Product(a, b, { m, n, k }, zeros));
      }
    }
  });

  it('handles offsets and leading dimensions like the plain loop', () => {
    const random = seeded(9);
    const [m, n, k] = [37, 41, 43];
    const a = randomBytes(5 + m * (k + 2), false, random);
    const b = randomBytes(3 + k * (n + 1), true, random);
    const options = { m, n, k, a, b, aOffset: 5, bOffset: 3, lda: k + 2, ldb: n + 1, aZeroPoint: 1, bZeroPoint: 128, cOffset: 2, ldc: n + 4 };
    const expected = new Int32Array(2 + m * (n + 4));
    int8GemmReference({ ...options, c: expected });
    expect(int8Gemm({ ...options, c: new Int32Array(expected.length) })).toEqual(expected);
  });

  it('wraps int32 sums like the reference and is identical for 1 and 2 threads', () => {
    const [m, n, k] = [2, 16, 40000]; // 255² · 40000 > 2³¹
    const a = new Uint8Array(m * k).fill(255);
    const b = new Uint8Array(k * n).fill(255);
    const expected = new Int32Array(m * n);
    int8GemmReference({ m, n, k, a, b, c: expected });
    expect(expected[0]).toBe((255 * 255 * k) | 0);
    expect(int8Gemm({ m, n, k, a, b })).toEqual(expected);
    const random = seeded(5);
    const x = randomBytes(300 * 200, false, random);
    const y = randomBytes(200 * 90, false, random);
    expect(partitionOutput({ m: 300, n: 90, k: 200, threads: 2 })).toHaveLength(2);
    configureWasmKernels({ threads: 1 });
    const single = int8Gemm({ m: 300, n: 90, k: 200, a: x, b: y });
    configureWasmKernels({ threads: 2 });
    expect(int8Gemm({ m: 300, n: 90, k: 200, a: x, b: y })).toEqual(single);
  });
});
