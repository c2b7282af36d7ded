// Gradchecks (float64) of MatMul (2-D, batched with broadcasting, 1-D promotion) and Gemm
// (alpha, beta, transA, transB, C broadcast).
import { gradcheck, gradcheckTensor } from '@efficientdl/test-utils';
import { describe, it } from 'vitest';
import * as F from '../functional.js';

const input = (shape: number[], seed: number) => gradcheckTensor(shape, { seed });

describe('MatMul gradient', () => {
  const cases: [number[], number[]][] = [
    [[3, 4], [4, 2]],
    [[2, 3, 4], [2, 4, 5]],
    [[2, 1, 3, 4], [5, 4, 2]],
    [[3, 4], [2, 4, 2]],
    [[4], [4, 3]],
    [[2, 3, 4], [4]],
    [[4], [4]],
    [[4], [2, 4, 3]],
  ];
  for (const [left, right] of cases) {
    it(`${JSON.stringify(left)} @ ${JSON.stringify(right)}`, () => {
      gradcheck(F.matmul, [input(left, 1), input(right, 2)]);
    });
  }
});

describe('Gemm gradient', () => {
  const settings: [string, F.GemmOptions, number[], number[], number[] | undefined][] = [
    ['plain with C (M, N)', {}, [3, 4], [4, 2], [3, 2]],
    ['alpha, beta, C (N)', { alpha: 0.7, beta: -1.3 }, [3, 4], [4, 2], [2]],
    ['transA, C (M, 1)', { transA: true, beta: 0.5 }, [4, 3], [4, 2], [3, 1]],
    ['transB, C scalar', { transB: true, alpha: 2 }, [3, 4], [2, 4], []],
    ['transA and transB, no C', { transA: true, transB: true }, [4, 3], [2, 4], undefined],
  ];
  for (const [name, options, aShape, bShape, cShape] of settings) {
    it(name, () => {
      const inputs = [input(aShape, 3), input(bShape, 4), ...(cShape ? [input(cShape, 5)] : [])];
      gradcheck((a, b, c) => F.gemm(a, b, c, options), inputs);
    });
  }
});
