// Schema tests for Reshape (0, -1, allowzero, unknown shape), Flatten, Transpose, Squeeze,
// Unsqueeze, Expand and Concat.
import { describe, expect, it } from 'vitest';
import { DTypeError, ShapeError } from '../errors.js';
import { expectInferError, infer, info, int64, shapeOf } from './schema-test-support.js';

const f = (shape: (number | string)[]) => info('float32', shape);

describe('Reshape', () => {
  it('resolves 0 (copy) and -1 (infer)', () => {
    expect(shapeOf('Reshape', [f([2, 3, 4]), int64([0, -1])])).toEqual([2, 12]);
    expect(shapeOf('Reshape', [f([2, 3, 4]), int64([-1, 2, 2])])).toEqual([6, 2, 2]);
    expect(shapeOf('Reshape', [f(['N', 3, 4]), int64([0, 12])])).toEqual(['N', 12]);
  });

  it('allowzero keeps a literal 0 dim', () => {
    expect(shapeOf('Reshape', [f([0, 4]), int64([0, 4])], { attrs: { allowzero: 1 } })).toEqual([0, 4]);
    expectInferError(() => infer('Reshape', [f([0, 4]), int64([0, -1])], { attrs: { allowzero: 1 } }), ShapeError, 'Reshape');
  });

  it('uses a fresh symbol for -1 with symbolic input and fresh dims for unknown shapes', () => {
    expect(shapeOf('Reshape', [f(['N', 3]), int64([-1, 3])], { node: 'rs' })).toEqual(['rs_dim0', 3]);
    expect(shapeOf('Reshape', [f([2, 3]), info('int64', [3])], { node: 'rs' })).toEqual(['rs_dim0', 'rs_dim1', 'rs_dim2']);
  });

  it('rejects incompatible sizes naming op, node and shapes', () => {
    const error = expectInferError(() => infer('Reshape', [f([2, 3]), int64([4, 2])], { node: 'view1' }), ShapeError, 'Reshape', 'view1');
    expect(error.message).toContain('(2, 3)');
    expectInferError(() => infer('Reshape', [f([2, 3]), int64([-1, -1])]), ShapeError, 'Reshape');
    expectInferError(() => infer('Reshape', [f([2, 3]), int64([-1, 4])]), ShapeError, 'Reshape');
    expectInferError(() => infer('Reshape', [f([2, 3]), info('int32', [2])]), DTypeError, 'Reshape');
  });
});

describe('Flatten and Transpose', () => {
  it('Flatten splits at axis (negative and symbolic)', () => {
    expect(shapeOf('Flatten', [f([2, 3, 4, 5])])).toEqual([2, 60]);
    expect(shapeOf('Flatten', [f([2, 3, 4, 5])], { attrs: { axis: -1 } })).toEqual([24, 5]);
    expect(shapeOf('Flatten', [f([2, 3])], { attrs: { axis: 0 } })).toEqual([1, 6]);
    expect(shapeOf('Flatten', [f(['N', 3, 4])])).toEqual(['N', 12]);
    expectInferError(() => infer('Flatten', [f([2, 3])], { attrs: { axis: 3 } }), ShapeError, 'Flatten');
  });

  it('Transpose permutes (default reverses)', () => {
    expect(shapeOf('Transpose', [f([2, 3, 4])])).toEqual([4, 3, 2]);
    expect(shapeOf('Transpose', [f(['N', 3, 4])], { attrs: { perm: [0, 2, 1] } })).toEqual(['N', 4, 3]);
    expectInferError(() => infer('Transpose', [f([2, 3])], { attrs: { perm: [0, 0] } }), ShapeError, 'Transpose');
  });
});

describe('Squeeze, Unsqueeze, Expand, Concat', () => {
  it('Squeeze removes given or all unit dims', () => {
    expect(shapeOf('Squeeze', [f([1, 3, 1, 2]), int64([-2])])).toEqual([1, 3, 2]);
    expect(shapeOf('Squeeze', [f([1, 3, 1, 2])])).toEqual([3, 2]);
    expectInferError(() => infer('Squeeze', [f([2, 3]), int64([0])]), ShapeError, 'Squeeze');
  });

  it('Unsqueeze inserts at output positions (negative allowed)', () => {
    expect(shapeOf('Unsqueeze', [f([3, 4]), int64([0, -1])])).toEqual([1, 3, 4, 1]);
    expect(shapeOf('Unsqueeze', [f([3]), int64([1])])).toEqual([3, 1]);
    expect(shapeOf('Unsqueeze', [f([3]), info('int64', [2])], { node: 'u' })).toEqual(['u_dim0', 'u_dim1', 'u_dim2']);
  });

  it('Expand broadcasts bidirectionally', () => {
    expect(shapeOf('Expand', [f([3, 1]), int64([2, 1, 4])])).toEqual([2, 3, 4]);
    expectInferError(() => infer('Expand', [f([3, 2]), int64([4, 4])]), ShapeError, 'Expand');
  });

  it('Concat sums the axis and checks other dims and dtypes', () => {
    expect(shapeOf('Concat', [f([2, 3]), f([2, 5]), f([2, 1])], { attrs: { axis: -1 } })).toEqual([2, 9]);
    expect(shapeOf('Concat', [f(['N', 3]), f([4, 3])], { attrs: { axis: 0 }, node: 'cat' })).toEqual(['cat_dim0', 3]);
    expectInferError(() => infer('Concat', [f([2, 3]), f([3, 3])], { attrs: { axis: 1 } }), ShapeError, 'Concat');
    expectInferError(() => infer('Concat', [f([2, 3]), info('int64', [2, 3])], { attrs: { axis: 1 } }), DTypeError, 'Concat');
  });
});
