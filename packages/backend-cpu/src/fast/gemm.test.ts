// The blocked GEMM against a naive triple loop written here (float64), on random shapes that
// include odd sizes, 1×N / N×1, sizes that are not multiples of the 4×4 tile or the blocks,
// transposes, alpha/beta, offsets and leading dimensions.
import { describe, expect, it } from 'vitest';
import { type GemmCase, checkPaddedGemm } from './__fixtures__/gemm-oracle.js';
import { sgemm } from './gemm.js';

function runCase(testCase: GemmCase, seed: number): void {
  checkPaddedGemm(testCase, seed, { ldbPadding: 2, ldcPadding: 1, tolerance: { rtol: 1e-5, atol: 1e-5 } });
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
