// Schema tests for MatMul (1-D promotion, batch broadcasting) and Gemm (transposes, C broadcast).
import { describe, expect, it } from 'vitest';
import { DTypeError, ShapeError } from '../errors.js';
import { expectInferError, infer, info, shapeOf } from './schema-test-support.js';

describe('MatMul', () => {
  it('follows numpy matmul shapes', () => {
    expect(shapeOf('MatMul', [info('float32', [2, 3]), info('float32', [3, 4])])).toEqual([2, 4]);
    expect(shapeOf('MatMul', [info('float32', [5, 1, 2, 3]), info('float32', [7, 3, 4])])).toEqual([5, 7, 2, 4]);
    expect(shapeOf('MatMul', [info('float32', [3]), info('float32', [3, 4])])).toEqual([4]);
    expect(shapeOf('MatMul', [info('float32', [2, 3]), info('float32', [3])])).toEqual([2]);
    expect(shapeOf('MatMul', [info('float32', [3]), info('float32', [3])])).toEqual([]);
    expect(shapeOf('MatMul', [info('float32', ['N', 'S', 8]), info('float32', [8, 16])])).toEqual(['N', 'S', 16]);
  });

  it('rejects inner-dim mismatches naming both shapes', () => {
    const error = expectInferError(() => infer('MatMul', [info('float32', [2, 3]), info('float32', [4, 5])], { node: 'fc' }), ShapeError, 'MatMul', 'fc');
    expect(error.message).toContain('(2, 3)');
    expect(error.message).toContain('(4, 5)');
  });

  it('rejects mixed dtypes', () => {
    expectInferError(() => infer('MatMul', [info('float32', [2, 3]), info('float16', [3, 4])]), DTypeError, 'MatMul');
  });
});

describe('Gemm', () => {
  it('handles transA/transB and a broadcast bias', () => {
    expect(shapeOf('Gemm', [info('float32', [4, 3]), info('float32', [5, 4]), info('float32', [5])], { attrs: { transA: 1, transB: 1 } })).toEqual([3, 5]);
    expect(shapeOf('Gemm', [info('float32', ['N', 8]), info('float32', [8, 2]), info('float32', [1, 2])])).toEqual(['N', 2]);
  });

  it('rejects bad ranks, inner dims and biases', () => {
    expectInferError(() => infer('Gemm', [info('float32', [2, 3, 4]), info('float32', [4, 2])]), ShapeError, 'Gemm');
    expectInferError(() => infer('Gemm', [info('float32', [2, 3]), info('float32', [4, 2])]), ShapeError, 'Gemm');
    expectInferError(() => infer('Gemm', [info('float32', [2, 3]), info('float32', [3, 2]), info('float32', [3])]), ShapeError, 'Gemm');
  });
});
