// Schema tests for QuantizeLinear / DequantizeLinear: output dtypes and the per-tensor,
// per-axis and blocked scale shapes.
import { describe, expect, it } from 'vitest';
import { DTypeError, ShapeError } from '../errors.js';
import { expectInferError, infer, info } from './schema-test-support.js';

describe('QuantizeLinear', () => {
  it('outputs the zero point dtype, output_dtype, or uint8', () => {
    expect(infer('QuantizeLinear', [info('float32', [2, 3]), info('float32', []), info('int8', [])])[0]).toEqual({ dtype: 'int8', shape: [2, 3] });
    expect(infer('QuantizeLinear', [info('float32', [2, 3]), info('float32', [])], { attrs: { output_dtype: 22 } })[0]?.dtype).toBe('int4');
    expect(infer('QuantizeLinear', [info('float32', [2, 3]), info('float32', [])])[0]?.dtype).toBe('uint8');
    expectInferError(() => infer('QuantizeLinear', [info('float32', [2]), info('float32', []), info('int8', [])], { attrs: { output_dtype: 2 } }), DTypeError, 'QuantizeLinear');
  });

  it('checks per-axis and blocked scale shapes', () => {
    expect(infer('QuantizeLinear', [info('float32', [4, 3]), info('float32', [4]), info('uint8', [4])], { attrs: { axis: 0 } })[0]?.shape).toEqual([4, 3]);
    expect(infer('QuantizeLinear', [info('float32', [4, 10]), info('float32', [4, 3]), info('int4', [4, 3])], { attrs: { axis: 1, block_size: 4 } })[0]?.dtype).toBe('int4');
    expectInferError(() => infer('QuantizeLinear', [info('float32', [4, 3]), info('float32', [3])], { attrs: { axis: 0 } }), ShapeError, 'QuantizeLinear');
    expectInferError(() => infer('QuantizeLinear', [info('float32', [4, 10]), info('float32', [4, 2])], { attrs: { block_size: 4 } }), ShapeError, 'QuantizeLinear');
    expectInferError(() => infer('QuantizeLinear', [info('float32', [4]), info('float32', []), info('int8', [1, 1])]), ShapeError, 'QuantizeLinear');
  });
});

describe('DequantizeLinear', () => {
  it('outputs the scale dtype and accepts int4/uint4/int32 inputs', () => {
    expect(infer('DequantizeLinear', [info('int4', [8, 8]), info('float16', [8, 2]), info('int4', [8, 2])], { attrs: { block_size: 4 } })[0]).toEqual({
      dtype: 'float16',
      shape: [8, 8],
    });
    expect(infer('DequantizeLinear', [info('int32', [5]), info('float32', [])])[0]?.dtype).toBe('float32');
  });

  it('rejects mismatched zero point dtype and float inputs', () => {
    expectInferError(() => infer('DequantizeLinear', [info('int8', [2]), info('float32', []), info('uint8', [])]), DTypeError, 'DequantizeLinear');
    expectInferError(() => infer('DequantizeLinear', [info('float32', [2]), info('float32', [])]), DTypeError, 'DequantizeLinear');
  });
});
