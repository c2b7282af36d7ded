// The blocked GEMM against a naive triple loop written here (float64), on random shapes that
// include odd sizes, 1×N / N×1, sizes that are not multiples of the 4×4 tile or the blocks,
// transposes, alpha/beta, offsets and leading dimensions.
import { expectClose } from '@efficientdl/test-utils';
import { describe, expect, it } from 'vitest';
import { sgemm } from './gemm.js';

function seeded(seed: number): () => number {
  let state = seed >>> 0;
  return () => {
    state = (Math.imul(state, 1664525) + 1013904223) >>> 0;
    return state / 2 ** 32 - 0.5;
  };
}

function randomArray(length: number, random: () => number): Float32Array {
  return Float32Array.from({ length }, () => random());
}

interface Case {
  m: number;
  n: number;
  k: number;
  transA: boolean;
  transB: boolean;
  alpha: number;
  beta: number;
}

function runCase(testCase: Case, seed: number): void {
  const { m, n, k, transA, transB, alpha, beta } = testCase;
  const random = seeded(seed);
  // storage with padding on both ends and a leading dimension larger than the matrix
  const lda = (transA ? m : k) + 3;
  const ldb = (transB ? k : n) + 2;
  const ldc = n + 1;
  const a = randomArray(5 + lda * (transA ? k : m), random);
  const b = randomArray(7 + ldb * (transB ? n : k), random);
  const c = randomArray(3 + ldc * m, random);
  const expected = Float64Array.from(c);
  for (let row = 0; row < m; row++) {
    for (let col = 0; col < n; col++) {
      let sum = 0;
      for (let depth = 0; depth < k; depth++) {
        const aValue = transA ? a[5 + depth * lda + row] : a[5 + row * lda + depth];
        const bValue = transB ? b[7 + col * ldb + depth] : b[7 + depth * ldb + col];
        sum += (aValue as number) * (bValue as number);
      }
      const index = 3 + row * ldc + col;
      expected[index] = alpha * sum + beta * (c[index] as number);
    }
  }
  sgemm({ m, n, k, a, b, c, aOffset: 5, bOffset: 7, cOffset: 3, lda, ldb, ldc, transA, transB, alpha, beta });
  expectClose(c, expected, { rtol: 1e-5, atol: 1e-5 });
}

describe('sgemm (blocked, packed, 4×4 micro-tile)', () => {
  const shapes: [number, number, number][] = [
    [1, 1, 1], [1, 17, 5], [13, 1, 9], [7, 9, 1], [4, 4, 4], [5, 3, 2], [33, 29, 31],
    [64, 65, 63], [70, 1030, 3], [3, 5, 300], [130, 7, 513],
  ];
  it('matches the naive product for every transpose combination and shape', () => {
    let seed = 1;
    for (const [m, n, k] of shapes) {
      for (const transA of [false, true]) {
        for (const transB of [false, true]) {
          runCase({ m, n, k, transA, transB, alpha: 1, beta: 0 }, seed++);
        }
      }
    }
  });
  it('applies alpha and beta (accumulate, scale, overwrite)', () => {
    runCase({ m: 9, n: 11, k: 13, transA: false, transB: true, alpha: -0.5, beta: 1 }, 91);
    runCase({ m: 17, n: 6, k: 260, transA: true, transB: false, alpha: 2, beta: 0.25 }, 92);
  });
  it('leaves C scaled by beta when k = 0 and overwrites NaN when beta = 0', () => {
    const c = new Float32Array([1, 2, 3, 4]);
    sgemm({ m: 2, n: 2, k: 0, a: new Float32Array(0), b: new Float32Array(0), c, beta: 3 });
    expect(Array.from(c)).toEqual([3, 6, 9, 12]);
    const nan = new Float32Array([Number.NaN, Number.NaN]);
    sgemm({ m: 1, n: 2, k: 1, a: new Float32Array([2]), b: new Float32Array([1, 5]), c: nan });
    expect(Array.from(nan)).toEqual([2, 10]);
  });
});
