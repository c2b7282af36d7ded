// Test fixtures shared by the GEMM and convolution tests: a seeded uniform generator in
// [-0.5, 0.5), and the padded-storage GEMM check against a naive float64 triple loop.
import { type Tolerance, expectClose } from '@efficientdl/test-utils';
import { sgemm } from '../gemm.js';

/** A seeded linear congruential generator of uniform values in [-0.5, 0.5). */
export function seeded(seed: number): () => number {
  let state = seed >>> 0;
  return () => {
    state = (Math.imul(state, 1664525) + 1013904223) >>> 0;
    return state / 2 ** 32 - 0.5;
  };
}

export function randomArray(length: number, random: () => number): Float32Array {
  return Float32Array.from({ length }, () => random());
}

export interface GemmCase {
  m: number;
  n: number;
  k: number;
  transA: boolean;
  transB: boolean;
  alpha: number;
  beta: number;
}

export interface PaddedGemmOptions {
  /** Extra elements per row of B and C beyond the matrix width. */
  ldbPadding: number;
  ldcPadding: number;
  tolerance: Tolerance;
}

/**
 * Runs sgemm on storage with offsets (A 5, B 7, C 3) and leading dimensions larger than the
 * matrices, checks C against float64, and returns C.
 */
export function checkPaddedGemm(testCase: GemmCase, seed: number, options: PaddedGemmOptions): Float32Array {
  const { m, n, k, transA, transB, alpha, beta } = testCase;
  const random = seeded(seed);
  const lda = (transA ? m : k) + 3;
  const ldb = (transB ? k : n) + options.ldbPadding;
  const ldc = n + options.ldcPadding;
  const a = randomArray(5 + lda * (transA ? k : m), random);
  const b = randomArray(7 + ldb * (transB ? n : k), random);
  const c = randomArray(3 + ldc * m, random);
  const expected = Float64Array.from(c);
  for (let row = 0; row < m; row++) {
    for (let col = 0; col < n; col++) {
      let sum = 0;
      for (let depth = 0; depth < k; depth++) {
        const aValue = (transA ? a[5 + depth * lda + row] : a[5 + row * lda + depth]) as number;
        const bValue = (transB ? b[7 + col * ldb + depth] : b[7 + depth * ldb + col]) as number;
        sum += aValue * bValue;
      }
      const index = 3 + row * ldc + col;
      expected[index] = alpha * sum + beta * (c[index] as number);
    }
  }
  sgemm({ m, n, k, a, b, c, aOffset: 5, bOffset: 7, cOffset: 3, lda, ldb, ldc, transA, transB, alpha, beta });
  expectClose(c, expected, options.tolerance);
  return c;
}
