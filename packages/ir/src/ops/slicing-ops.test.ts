// Schema tests for Split, Slice (ONNX clamping, negative steps), Gather, Pad and Resize.
import { describe, expect, it } from 'vitest';
import { AttributeError, DTypeError, ShapeError } from '../errors.js';
import { expectInferError, float32, infer, info, int64, shapeOf } from './schema-test-support.js';

const f = (shape: (number | string)[]) => info('float32', shape);

describe('Split', () => {
  it('splits by the split input, num_outputs, or evenly by output count', () => {
    expect(infer('Split', [f([2, 10]), int64([3, 7])], { attrs: { axis: 1 }, outputCount: 2 }).map((o) => o.shape)).toEqual([
      [2, 3],
      [2, 7],
    ]);
    expect(infer('Split', [f([7])], { attrs: { num_outputs: 3 }, outputCount: 3 }).map((o) => o.shape)).toEqual([[3], [3], [1]]);
    expect(infer('Split', [f([6, 2])], { outputCount: 3 }).map((o) => o.shape)).toEqual([[2, 2], [2, 2], [2, 2]]);
  });

  it('rejects splits that do not add up', () => {
    expectInferError(() => infer('Split', [f([10]), int64([3, 3])], { outputCount: 2 }), ShapeError, 'Split');
    expectInferError(() => infer('Split', [f([7])], { outputCount: 2 }), ShapeError, 'Split');
  });
});

describe('Slice', () => {
  it('clamps starts/ends and handles negative indices and steps', () => {
    expect(shapeOf('Slice', [f([10, 5]), int64([1]), int64([-1]), int64([0])])).toEqual([8, 5]);
    expect(shapeOf('Slice', [f([10, 5]), int64([0, 1]), int64([1e9, 1e9]), int64([0, 1]), int64([3, 2])])).toEqual([4, 2]);
    expect(shapeOf('Slice', [f([10]), int64([-1]), int64([-1e9]), int64([0]), int64([-1])])).toEqual([10]);
    expect(shapeOf('Slice', [f([10]), int64([8]), int64([2]), int64([0]), int64([-2])])).toEqual([3]);
    expect(shapeOf('Slice', [f([10]), int64([5]), int64([2])])).toEqual([0]);
  });

  it('gives symbolic dims for unknown starts, ends or axes', () => {
    expect(shapeOf('Slice', [f([10, 5]), info('int64', [1]), int64([3]), int64([1])], { node: 's' })).toEqual([10, 's_dim1']);
    expect(shapeOf('Slice', [f([10, 5]), int64([0]), int64([3]), info('int64', [1])], { node: 's' })).toEqual(['s_dim0', 's_dim1']);
  });

  it('rejects zero steps', () => {
    expectInferError(() => infer('Slice', [f([4]), int64([0]), int64([4]), int64([0]), int64([0])]), ShapeError, 'Slice');
  });
});

describe('Gather', () => {
  it('replaces the axis by the indices shape', () => {
    expect(shapeOf('Gather', [f([5, 4, 3]), info('int64', [2, 6])], { attrs: { axis: 1 } })).toEqual([5, 2, 6, 3]);
    expect(shapeOf('Gather', [f([5, 4]), info('int32', [])])).toEqual([4]);
    expectInferError(() => infer('Gather', [f([5, 4]), int64([5])]), ShapeError, 'Gather');
    expectInferError(() => infer('Gather', [f([5, 4]), info('float32', [2])]), DTypeError, 'Gather');
  });
});

describe('Pad', () => {
  it('adds begin/end pads on all or selected axes (negative pads crop)', () => {
    expect(shapeOf('Pad', [f([1, 3, 4, 4]), int64([0, 0, 1, 2, 0, 0, 1, 2])])).toEqual([1, 3, 6, 8]);
    expect(shapeOf('Pad', [f([1, 3, 4, 4]), int64([1, -1]), undefined, int64([-1])], { attrs: { mode: 'reflect' } })).toEqual([1, 3, 4, 4]);
    expect(shapeOf('Pad', [f([2, 4]), int64([2, 0]), float32([0], []), int64([1])])).toEqual([2, 6]);
  });

  it('rejects bad pads and modes', () => {
    expectInferError(() => infer('Pad', [f([2, 4]), int64([1, 1])]), ShapeError, 'Pad');
    expect(() => infer('Pad', [f([2]), int64([1, 1])], { attrs: { mode: 'mirror' } })).toThrow(AttributeError);
  });
});

describe('Resize', () => {
  it('uses floor(dim * scale) for scales and sizes directly', () => {
    expect(shapeOf('Resize', [f([1, 3, 5, 5]), undefined, float32([1, 1, 2, 1.5])])).toEqual([1, 3, 10, 7]);
    expect(shapeOf('Resize', [f([1, 3, 5, 5]), undefined, undefined, int64([1, 3, 8, 9])], { attrs: { mode: 'linear' } })).toEqual([1, 3, 8, 9]);
    expect(shapeOf('Resize', [f([1, 3, 5, 5]), undefined, undefined, int64([8, 9])], { attrs: { axes: [2, 3] } })).toEqual([1, 3, 8, 9]);
  });

  it('keep_aspect_ratio_policy scales uniformly', () => {
    const attrs = { axes: [2, 3], keep_aspect_ratio_policy: 'not_larger' };
    expect(shapeOf('Resize', [f([1, 1, 4, 8]), undefined, undefined, int64([8, 8])], { attrs })).toEqual([1, 1, 4, 8]);
    const larger = { axes: [2, 3], keep_aspect_ratio_policy: 'not_smaller' };
    expect(shapeOf('Resize', [f([1, 1, 4, 8]), undefined, undefined, int64([8, 8])], { attrs: larger })).toEqual([1, 1, 8, 16]);
  });

  it('needs exactly one of scales and sizes; validates modes', () => {
    expectInferError(() => infer('Resize', [f([1, 1, 4, 4])]), ShapeError, 'Resize');
    expect(() => infer('Resize', [f([1, 1, 4, 4]), undefined, float32([1, 1, 2, 2])], { attrs: { mode: 'area' } })).toThrow(AttributeError);
  });
});
