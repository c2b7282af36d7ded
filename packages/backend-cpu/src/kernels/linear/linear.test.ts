// MatMul and Gemm: the float32 GEMM paths against the readable naive loops on random shapes
// (batched broadcasting, 1-D promotion, odd sizes, transposes), plus typed errors.
import type { TensorData } from '@efficientdl/ir';
import { expectClose, randomTensorData } from '@efficientdl/test-utils';
import { describe, expect, it } from 'vitest';
import { gemm } from './gemm.js';
import { matmul } from './matmul.js';

const context = { op: 'MatMul', node: 'matmul_test', outputCount: 1 };

describe('MatMul fast vs naive', () => {
  const shapes: [number[], number[]][] = [
    [[7], [7]], [[5], [5, 3]], [[4, 6], [6]], [[1, 9], [9, 1]], [[9, 1], [1, 9]],
    [[2, 1, 5, 3], [4, 3, 6]], [[3, 17, 13], [13, 19]], [[65, 33], [33, 70]],
  ];
  shapes.forEach(([aShape, bShape], index) => {
    it(`${JSON.stringify(aShape)} x ${JSON.stringify(bShape)}`, () => {
      const a = randomTensorData(aShape, { seed: index + 1 });
      const b = randomTensorData(bShape, { seed: index + 50 });
      const fast = matmul(a, b, context, true);
      const naive = matmul(a, b, context, false);
      expect(fast.shape).toEqual(naive.shape);
      expectClose(fast, naive, { rtol: 1e-5, atol: 1e-5 });
    });
  });
  it('throws ShapeError / DTypeError naming op, node and shapes', () => {
    const a = randomTensorData([2, 3]);
    expect(() => matmul(a, randomTensorData([4, 2]), context)).toThrowError(/MatMul \(node 'matmul_test'\).*\(2, 3\), \(4, 2\)/);
    expect(() => matmul(a, randomTensorData([3, 2], { dtype: 'float64' }), context)).toThrowError(/float32.*float64/);
  });
});

describe('Gemm fast vs naive', () => {
  const gemmContext = { ...context, op: 'Gemm' };
  it('agrees for every transpose combination with broadcast C', () => {
    for (const [transA, transB] of [[0, 0], [1, 0], [0, 1], [1, 1]] as const) {
      const a = randomTensorData(transA ? [11, 6] : [6, 11], { seed: 3 + transA });
      const b = randomTensorData(transB ? [9, 11] : [11, 9], { seed: 7 + transB });
      for (const cShape of [[9], [6, 1], [6, 9], []]) {
        const c = randomTensorData(cShape, { seed: 11 });
        const attrs = { transA, transB, alpha: 0.5, beta: -2 };
        const fast = gemm([a, b, c], attrs, gemmContext, true);
        const naive = gemm([a, b, c], attrs, gemmContext, false);
        expectClose(fast, naive, { rtol: 1e-5, atol: 1e-5 });
      }
    }
  });
  it('rejects a C that cannot broadcast to (M, N)', () => {
    const inputs: TensorData[] = [randomTensorData([2, 3]), randomTensorData([3, 4]), randomTensorData([3])];
    expect(() => gemm(inputs, {}, gemmContext)).toThrowError(/Gemm \(node 'matmul_test'\).*\(3\)/);
  });
});
