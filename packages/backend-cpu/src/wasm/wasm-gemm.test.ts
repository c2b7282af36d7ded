// The WebAssembly float32 GEMM (through sgemm, which routes large problems to it) against a
// naive float64 triple loop written here: random shapes incl. odd sizes, 1×N / N×1, sizes that
// are not multiples of the 2×16 tile or of the cache blocks, every transpose, alpha/beta,
// offsets and leading dimensions, both SIMD builds; bit-identical results for 1 and 2 threads; TS fallback.
import { afterAll, describe, expect, it } from 'vitest';
import { type GemmCase, checkPaddedGemm } from '../fast/__fixtures__/gemm-oracle.js';
import { sgemm } from '../fast/gemm.js';
import { partitionOutput } from './partition.js';
import { configureWasmKernels, wasmKernelInfo } from './wasm-runtime.js';

/** Runs sgemm on padded storage and checks it against float64; returns C for identity checks. */
function runCase(testCase: GemmCase, seed: number): Float32Array {
  // fp32 accumulation-order error grows with k (operands in [-0.5, 0.5])
  const tolerance = { rtol: 1e-5, atol: 1e-6 * Math.max(testCase.k, 8) };
  return checkPaddedGemm(testCase, seed, { ldbPadding: 1, ldcPadding: 2, tolerance });
}

const SHAPES: [number, number, number][] = [
  [1, 4096, 7], [4096, 1, 5], [1, 1, 9000], [17, 19, 23], [4, 8, 512], [5, 9, 257],
  [97, 33, 31], [33, 130, 300], [200, 9, 600], [5, 2100, 3], [63, 65, 67],
];

describe('WebAssembly float32 GEMM', () => {
  afterAll(() => configureWasmKernels({ enabled: true, threads: 2, relaxedSimd: true }));

  it('is built and loaded (the package build compiles assembly/)', () => {
    expect(wasmKernelInfo()).toMatchObject({ available: true, enabled: true });
  });

  it('matches the naive product for every transpose combination and shape', () => {
    let seed = 11;
    for (const [m, n, k] of SHAPES) {
      for (const transA of [false, true]) {
        for (const transB of [false, true]) runCase({ m, n, k, transA, transB, alpha: 1, beta: 0 }, seed++);
      }
    }
  });

  it('applies alpha and beta (scale, accumulate) and k = 0', () => {
    runCase({ m: 29, n: 31, k: 37, transA: false, transB: true, alpha: -0.5, beta: 1 }, 3);
    runCase({ m: 40, n: 17, k: 300, transA: true, transB: false, alpha: 2, beta: 0.25 }, 4);
    const c = new Float32Array(64 * 64).fill(2);
    sgemm({ m: 64, n: 64, k: 0, a: new Float32Array(0), b: new Float32Array(0), c, beta: 0.5 });
    expect(c.every((value) => value === 1)).toBe(true);
  });

  it('overwrites NaN in C when beta = 0', () => {
    const c = new Float32Array(32 * 32).fill(Number.NaN);
    sgemm({ m: 32, n: 32, k: 32, a: new Float32Array(32 * 32).fill(1), b: new Float32Array(32 * 32).fill(0.5), c });
    expect(c.every((value) => value === 16)).toBe(true);
  });

  it('shares B packing and row blocks of C between 2 threads for every transpose, alpha / beta and odd sizes', () => {
    configureWasmKernels({ threads: 2 });
    let seed = 500;
    for (const [m, n, k] of [[257, 130, 300], [200, 300, 520], [131, 17, 700]] as [number, number, number][]) {
      expect(partitionOutput({ m, n, k, threads: 2 })[0]?.cols).toBe(n); // rows split: the shared path
      for (const transA of [false, true]) {
        for (const transB of [false, true]) runCase({ m, n, k, transA, transB, alpha: seed % 2 ? 1 : -0.75, beta: [0, 1, 0.5][seed % 3] as number }, seed++);
      }
    }
  });

  it('gives bit-identical results for 1 and 2 threads', () => {
    for (const [m, n, k] of [[300, 70, 190], [12, 900, 200]] as [number, number, number][]) {
      expect(partitionOutput({ m, n, k, threads: 2 })).toHaveLength(2);
      configureWasmKernels({ threads: 1 });
      const single = runCase({ m, n, k, transA: false, transB: false, alpha: 1, beta: 0 }, 77);
      configureWasmKernels({ threads: 2 });
      expect(wasmKernelInfo().threads).toBe(2);
      const double = runCase({ m, n, k, transA: false, transB: false, alpha: 1, beta: 0 }, 77);
      expect(double).toEqual(single);
    }
  });

  it('respawns workers that exited after being idle (2 s) and gives the same result', async () => {
    configureWasmKernels({ threads: 2 });
    expect(partitionOutput({ m: 64, n: 300, k: 160, threads: 2 })).toHaveLength(2);
    const first = runCase({ m: 64, n: 300, k: 160, transA: false, transB: true, alpha: 1, beta: 0 }, 21);
    await new Promise((resolve) => setTimeout(resolve, 2300));
    const second = runCase({ m: 64, n: 300, k: 160, transA: false, transB: true, alpha: 1, beta: 0 }, 21);
    expect(second).toEqual(first);
  });

  it('loads the relaxed-SIMD build (turning V8\'s flag on where needed) and the plain build on request, with equal results', () => {
    expect(wasmKernelInfo().relaxedSimd).toBe(true);
    configureWasmKernels({ relaxedSimd: false });
    expect(wasmKernelInfo().relaxedSimd).toBe(false);
    let seed = 300;
    for (const [m, n, k] of SHAPES.slice(0, 6)) runCase({ m, n, k, transA: seed % 2 === 0, transB: seed % 3 === 0, alpha: 1, beta: 0 }, seed++);
    configureWasmKernels({ relaxedSimd: true });
    expect(wasmKernelInfo().relaxedSimd).toBe(true);
  });

  it('falls back to the TypeScript kernel when disabled', () => {
    configureWasmKernels({ enabled: false });
    expect(wasmKernelInfo()).toMatchObject({ available: false, reason: 'disabled' });
    runCase({ m: 33, n: 20, k: 19, transA: true, transB: true, alpha: 1.5, beta: 0.5 }, 5);
    configureWasmKernels({ enabled: true });
  });
});

describe('partitionOutput', () => {
  it('covers every element of C exactly once, in whole micro-tiles', () => {
    for (const [m, n, threads] of [[1, 1, 2], [100, 7, 3], [7, 1000, 2], [4096, 4096, 5], [9, 9, 8]]) {
      const owners = new Uint8Array((m as number) * (n as number));
      const tiles = partitionOutput({ m: m as number, n: n as number, k: 1 << 20, threads: threads as number });
      expect(tiles.length).toBeLessThanOrEqual(threads as number);
      for (const tile of tiles) {
        expect(tile.row0 % 4 === 0 && tile.col0 % 8 === 0).toBe(true);
        for (let row = tile.row0; row < tile.row0 + tile.rows; row++) {
          for (let col = tile.col0; col < tile.col0 + tile.cols; col++) owners[row * (n as number) + col]! += 1;
        }
      }
      expect(owners.every((count) => count === 1)).toBe(true);
    }
  });

  it('keeps small problems on one thread', () => {
    expect(partitionOutput({ m: 16, n: 16, k: 16, threads: 2 })).toHaveLength(1);
  });
});
