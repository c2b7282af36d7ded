// Schema tests for elementwise ops: broadcasting, symbolic dims, dtype rules, Cast/Constant/Shape.
import { describe, expect, it } from 'vitest';
import { AttributeError, DTypeError, ShapeError } from '../errors.js';
import { getOpSchema } from '../registry.js';
import { fromNumbers } from '../tensor-data.js';
import { expectInferError, float32, infer, info, shapeOf } from './schema-test-support.js';

describe('binary arithmetic', () => {
  it('broadcasts numpy-style, including symbolic dims', () => {
    expect(shapeOf('Add', [info('float32', [2, 1, 4]), info('float32', [3, 1])])).toEqual([2, 3, 4]);
    expect(shapeOf('Mul', [info('float32', ['N', 3]), info('float32', [3])])).toEqual(['N', 3]);
    expect(shapeOf('Sub', [info('float32', ['N', 1]), info('float32', [1, 5])])).toEqual(['N', 5]);
    expect(shapeOf('Div', [info('float32', []), info('float32', [2, 2])])).toEqual([2, 2]);
  });

  it('rejects mismatched dtypes with a DTypeError naming op and node', () => {
    const error = expectInferError(() => infer('Add', [info('float32', [2]), info('int64', [2])], { node: 'add7' }), DTypeError, 'Add', 'add7');
    expect(error.message).toContain('int64');
  });

  it('rejects non-broadcastable shapes with a ShapeError naming the shapes', () => {
    const error = expectInferError(() => infer('Mul', [info('float32', [2, 3]), info('float32', [4])]), ShapeError, 'Mul');
    expect(error.message).toContain('(2, 3)');
    expect(error.message).toContain('(4)');
  });

  it('rejects wrong input counts', () => {
    expectInferError(() => infer('Add', [info('float32', [2])]), ShapeError, 'Add');
  });

  it('Pow keeps the base dtype even with an integer exponent', () => {
    expect(infer('Pow', [info('float32', [2, 3]), info('int64', [])])[0]).toEqual({ dtype: 'float32', shape: [2, 3] });
  });

  it('comparisons produce bool', () => {
    expect(infer('Less', [info('float32', [3]), info('float32', [1])])[0]?.dtype).toBe('bool');
    expect(infer('Equal', [info('bool', [3]), info('bool', [3])])[0]?.dtype).toBe('bool');
  });
});

describe('unary ops', () => {
  it('keeps shape and dtype', () => {
    for (const op of ['Neg', 'Abs', 'Exp', 'Log', 'Sqrt', 'Reciprocal', 'Erf', 'Sigmoid', 'Tanh', 'Relu', 'LeakyRelu', 'Gelu', 'HardSwish']) {
      expect(infer(op, [info('float32', ['N', 4])])[0]).toEqual({ dtype: 'float32', shape: ['N', 4] });
    }
  });

  it('float-only ops reject integer inputs', () => {
    expectInferError(() => infer('Exp', [info('int32', [2])]), DTypeError, 'Exp');
    expectInferError(() => infer('Not', [info('float32', [2])]), DTypeError, 'Not');
  });

  it('validates Gelu approximate', () => {
    expect(() => infer('Gelu', [info('float32', [2])], { attrs: { approximate: 'fast' } })).toThrow(AttributeError);
  });

  it('marks differentiability as in the op table', () => {
    expect(getOpSchema('Relu').differentiable).toBe(true);
    expect(getOpSchema('Cast').differentiable).toBe(true);
    expect(getOpSchema('Equal').differentiable).toBe(false);
    expect(getOpSchema('Shape').differentiable).toBe(false);
  });
});

describe('Where, Clip, Cast, Dropout', () => {
  it('Where broadcasts all three inputs', () => {
    expect(shapeOf('Where', [info('bool', [2, 1]), info('float32', [3]), info('float32', [1, 3])])).toEqual([2, 3]);
    expectInferError(() => infer('Where', [info('float32', [2]), info('float32', [2]), info('float32', [2])]), DTypeError, 'Where');
  });

  it('Clip accepts scalar min/max of the same dtype', () => {
    expect(shapeOf('Clip', [info('float32', [2, 3]), float32([0], []), undefined])).toEqual([2, 3]);
    expectInferError(() => infer('Clip', [info('float32', [2]), info('float32', [2])]), ShapeError, 'Clip');
  });

  it('Cast changes the dtype by ONNX code', () => {
    expect(infer('Cast', [info('float32', [2])], { attrs: { to: 7 } })[0]?.dtype).toBe('int64');
    expect(infer('Cast', [info('float32', [2])], { attrs: { to: 10 } })[0]?.dtype).toBe('float16');
    expect(() => infer('Cast', [info('float32', [2])], { attrs: { to: 999 } })).toThrow(AttributeError);
  });

  it('Dropout adds a bool mask output on request', () => {
    const outputs = infer('Dropout', [info('float32', [2, 3])], { outputCount: 2 });
    expect(outputs[1]).toEqual({ dtype: 'bool', shape: [2, 3] });
    expectInferError(() => infer('Dropout', [info('float32', [2])], { outputCount: 3 }), ShapeError, 'Dropout');
  });
});

describe('Constant and Shape', () => {
  it('Constant reports the dtype/shape of its value attribute', () => {
    const value = fromNumbers('int32', [2, 2], [1, 2, 3, 4]);
    expect(infer('Constant', [], { attrs: { value } })[0]).toEqual({ dtype: 'int32', shape: [2, 2] });
    expect(infer('Constant', [], { attrs: { value_ints: [1, 2, 3] } })[0]).toEqual({ dtype: 'int64', shape: [3] });
    expect(infer('Constant', [], { attrs: { value_float: 1.5 } })[0]).toEqual({ dtype: 'float32', shape: [] });
    expect(() => infer('Constant', [], {})).toThrow(AttributeError);
  });

  it('Shape honours start and end with clamping and negatives', () => {
    expect(infer('Shape', [info('float32', ['N', 3, 4, 5])])[0]).toEqual({ dtype: 'int64', shape: [4] });
    expect(shapeOf('Shape', [info('float32', [2, 3, 4, 5])], { attrs: { start: 1, end: -1 } })).toEqual([2]);
    expect(shapeOf('Shape', [info('float32', [2, 3])], { attrs: { start: -10, end: 10 } })).toEqual([2]);
  });
});
