// Schema tests for Reduce* (axes input, keepdims, noop_with_empty_axes, unknown axes), ArgMax,
// CumSum and TopK.
import { describe, expect, it } from 'vitest';
import { DTypeError, ShapeError } from '../errors.js';
import { expectInferError, infer, info, int64, shapeOf } from './schema-test-support.js';

const f = (shape: (number | string)[]) => info('float32', shape);

describe('Reduce*', () => {
  it('reduces known axes with and without keepdims (negative axes allowed)', () => {
    expect(shapeOf('ReduceSum', [f([2, 3, 4]), int64([1])])).toEqual([2, 1, 4]);
    expect(shapeOf('ReduceMean', [f([2, 3, 4]), int64([-1, 0])], { attrs: { keepdims: 0 } })).toEqual([3]);
    expect(shapeOf('ReduceMax', [f(['N', 3, 4]), int64([2])], { attrs: { keepdims: 0 } })).toEqual(['N', 3]);
  });

  it('reduces everything when axes are absent, unless noop_with_empty_axes', () => {
    expect(shapeOf('ReduceMin', [f([2, 3])])).toEqual([1, 1]);
    expect(shapeOf('ReduceSum', [f([2, 3])], { attrs: { keepdims: 0 } })).toEqual([]);
    expect(shapeOf('ReduceSum', [f([2, 3]), int64([])], { attrs: { noop_with_empty_axes: 1 } })).toEqual([2, 3]);
  });

  it('gives fresh symbolic dims of the right rank when axes are unknown', () => {
    expect(shapeOf('ReduceSum', [f([2, 3, 4]), info('int64', [2])], { node: 'r', attrs: { keepdims: 0 } })).toEqual(['r_dim0']);
    expect(shapeOf('ReduceSum', [f([2, 3]), info('int64', [1])], { node: 'r' })).toEqual(['r_dim0', 'r_dim1']);
  });

  it('rejects out-of-range axes and non-int64 axes', () => {
    expectInferError(() => infer('ReduceSum', [f([2, 3]), int64([2])], { node: 'sum1' }), ShapeError, 'ReduceSum', 'sum1');
    expectInferError(() => infer('ReduceSum', [f([2, 3]), info('float32', [1])]), DTypeError, 'ReduceSum');
  });
});

describe('ArgMax, CumSum, TopK', () => {
  it('ArgMax returns int64 with keepdims handling', () => {
    expect(infer('ArgMax', [f([2, 5])], { attrs: { axis: -1 } })[0]).toEqual({ dtype: 'int64', shape: [2, 1] });
    expect(shapeOf('ArgMax', [f([2, 5])], { attrs: { axis: 1, keepdims: 0 } })).toEqual([2]);
  });

  it('CumSum keeps shape and checks its axis', () => {
    expect(shapeOf('CumSum', [f([2, 5]), int64([1])])).toEqual([2, 5]);
    expectInferError(() => infer('CumSum', [f([2, 5]), int64([2])]), ShapeError, 'CumSum');
  });

  it('TopK sets the axis dim to K (symbolic when unknown)', () => {
    expect(infer('TopK', [f([3, 10]), int64([4])])).toEqual([
      { dtype: 'float32', shape: [3, 4] },
      { dtype: 'int64', shape: [3, 4] },
    ]);
    expect(infer('TopK', [f([3, 10]), info('int64', [1])], { node: 't', attrs: { axis: 0 } })[0]?.shape).toEqual(['t_dim0', 10]);
    expectInferError(() => infer('TopK', [f([3, 10]), int64([11])]), ShapeError, 'TopK');
  });
});
