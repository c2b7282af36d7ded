// Shape / dtype inference of the quantized, indexing and misc schemas (quantized-ops.ts,
// indexing-ops.ts, misc-ops.ts), their typed errors and differentiability flags.
import { describe, expect, it } from 'vitest';
import { DTypeError, ShapeError } from '../errors.js';
import { getOpSchema } from '../registry.js';
import { expectInferError, info, infer, int64, shapeOf } from './schema-test-support.js';

describe('quantized op schemas', () => {
  it('QLinearMatMul takes y_zero_point dtype and matmul shape', () => {
    const scale = info('float32', []);
    const [y] = infer('QLinearMatMul', [info('uint8', ['B', 2, 4]), scale, info('uint8', []), info('int8', [4, 3]), scale, info('int8', []), scale, info('int8', [])]);
    expect(y).toEqual({ dtype: 'int8', shape: ['B', 2, 3] });
  });

  it('MatMulInteger / ConvInteger give int32; zero point dtype must match', () => {
    expect(infer('MatMulInteger', [info('int8', [2, 5]), info('uint8', [5, 7])])[0]).toEqual({ dtype: 'int32', shape: [2, 7] });
    expect(infer('ConvInteger', [info('uint8', [1, 3, 8, 8]), info('uint8', [4, 3, 3, 3])], { attrs: { pads: [1, 1, 1, 1] } })[0]).toEqual({ dtype: 'int32', shape: [1, 4, 8, 8] });
    expectInferError(() => infer('MatMulInteger', [info('int8', [2, 5]), info('int8', [5, 7]), info('uint8', [])]), DTypeError, 'MatMulInteger');
  });

  it('QLinearConv checks per-channel w_scale length', () => {
    const scalar = (dtype: 'float32' | 'uint8') => info(dtype, []);
    const inputs = [info('uint8', [1, 2, 5, 5]), scalar('float32'), scalar('uint8'), info('uint8', [3, 2, 3, 3]), info('float32', [3]), info('uint8', [3]), scalar('float32'), scalar('uint8')];
    expect(shapeOf('QLinearConv', inputs)).toEqual([1, 3, 3, 3]);
    inputs[4] = info('float32', [2]);
    expectInferError(() => infer('QLinearConv', inputs), ShapeError, 'QLinearConv');
  });

  it('DynamicQuantizeLinear has three outputs', () => {
    expect(infer('DynamicQuantizeLinear', [info('float32', [2, 'N'])], { outputCount: 3 })).toEqual([
      { dtype: 'uint8', shape: [2, 'N'] },
      { dtype: 'float32', shape: [] },
      { dtype: 'uint8', shape: [] },
    ]);
  });
});

describe('indexing op schemas', () => {
  it('GatherND output is indices.shape[:-1] + data.shape[batch + k:]', () => {
    expect(shapeOf('GatherND', [info('float32', [2, 3, 4, 5]), info('int64', [2, 7, 2])], { attrs: { batch_dims: 1 } })).toEqual([2, 7, 5]);
    expectInferError(() => infer('GatherND', [info('float32', [2, 3]), info('int64', [4, 3])]), ShapeError, 'GatherND');
  });

  it('ScatterND keeps data shape and checks updates', () => {
    expect(shapeOf('ScatterND', [info('float32', [4, 5]), info('int64', [3, 1]), info('float32', [3, 5])], { attrs: { reduction: 'max' } })).toEqual([4, 5]);
    expectInferError(() => infer('ScatterND', [info('float32', [4, 5]), info('int64', [3, 1]), info('float32', [3, 4])]), ShapeError, 'ScatterND');
  });

  it('Einsum infers explicit, implicit and ellipsis outputs', () => {
    expect(shapeOf('Einsum', [info('float32', ['B', 2, 3]), info('float32', ['B', 3, 4])], { attrs: { equation: 'bij,bjk->bik' } })).toEqual(['B', 2, 4]);
    expect(shapeOf('Einsum', [info('float32', [3, 2])], { attrs: { equation: 'ba' } })).toEqual([2, 3]);
    expect(shapeOf('Einsum', [info('float32', [5, 3, 3])], { attrs: { equation: '...ii->...i' } })).toEqual([5, 3]);
    expect(shapeOf('Einsum', [info('float32', [2, 1, 4, 3]), info('float32', [6, 3, 7])], { attrs: { equation: '...ij,...jk' } })).toEqual([2, 6, 4, 7]);
    expectInferError(() => infer('Einsum', [info('float32', [2, 3])], { attrs: { equation: 'ijk->i' } }), ShapeError, 'Einsum');
  });
});

describe('misc op schemas', () => {
  it('ConstantOfShape reads a known shape and the value dtype', () => {
    expect(infer('ConstantOfShape', [int64([2, 3])])[0]).toEqual({ dtype: 'float32', shape: [2, 3] });
    expect(infer('ConstantOfShape', [info('int64', [2])])[0]?.shape).toHaveLength(2);
  });

  it('Sum broadcasts all inputs; LRN keeps the shape', () => {
    expect(shapeOf('Sum', [info('float32', [2, 1]), info('float32', [3]), info('float32', [])])).toEqual([2, 3]);
    expect(shapeOf('LRN', [info('float32', [1, 4, 5, 5])], { attrs: { size: 3 } })).toEqual([1, 4, 5, 5]);
  });

  it('NonMaxSuppression has a symbolic selection count', () => {
    const [selected] = infer('NonMaxSuppression', [info('float32', [1, 6, 4]), info('float32', [1, 2, 6]), int64([3])]);
    expect(selected?.dtype).toBe('int64');
    expect(typeof selected?.shape[0]).toBe('string');
    expect(selected?.shape[1]).toBe(3);
    expectInferError(() => infer('NonMaxSuppression', [info('float32', [1, 6, 4]), info('float32', [1, 2, 5])]), ShapeError, 'NonMaxSuppression');
  });

  it('marks Sum/Mean/Max/Min differentiable and the integer / detection ops not', () => {
    for (const op of ['Sum', 'Mean', 'Max', 'Min']) expect([op, getOpSchema(op).differentiable]).toEqual([op, true]);
    const fixed = 'QLinearMatMul QLinearConv MatMulInteger ConvInteger DynamicQuantizeLinear GatherND ScatterND Einsum NonMaxSuppression ConstantOfShape LRN';
    for (const op of fixed.split(' ')) expect([op, getOpSchema(op).differentiable]).toEqual([op, false]);
  });
});

describe('DequantizeLinear zero point of shape (1) with a scalar scale', () => {
  it('is accepted (as ONNX reference does) while other mismatches still fail', () => {
    expect(shapeOf('DequantizeLinear', [info('int4', [5]), info('float32', []), info('int4', [1])])).toEqual([5]);
    expectInferError(() => infer('DequantizeLinear', [info('int8', [5]), info('float32', []), info('int8', [1, 1])]), ShapeError, 'DequantizeLinear');
  });
});
