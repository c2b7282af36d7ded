// Conformance cases for QuantizeLinear / DequantizeLinear: per-tensor, per-axis and blocked
// parameters, round-half-to-even ties, saturation to int8/uint8/int16/int4/uint4, int32 input.
// Expected values worked out by hand (x / scale → ties to even → + zero point → clamp).
import type { OpCase } from '../../op-case.js';
import { f32, i32, i8, scalar, tensor, u8 } from './case-helpers.js';

export const QUANTIZATION_CASES: readonly OpCase[] = [
  {
    name: 'QuantizeLinear/uint8_ties_even_saturate',
    op: 'QuantizeLinear',
    // x / 2 = [0, 0.5, 2.5, 3.5, -0.5, 127.5, 150, -150] → [0, 0, 2, 4, 0, 128, 150, -150] + 128
    inputs: [f32([8], [0, 1, 5, 7, -1, 255, 300, -300]), scalar('float32', 2), scalar('uint8', 128)],
    expected: [u8([8], [128, 128, 130, 132, 128, 255, 255, 0])],
  },
  { name: 'QuantizeLinear/default_uint8', op: 'QuantizeLinear', inputs: [f32([4], [-1, 0.4, 0.6, 300]), scalar('float32', 1)], expected: [u8([4], [0, 0, 1, 255])] },
  {
    name: 'QuantizeLinear/per_axis0_int8',
    op: 'QuantizeLinear',
    inputs: [f32([2, 3], [1, 2, 3, -4, -5, -6]), f32([2], [1, 2]), i8([2], [0, -1])],
    attrs: { axis: 0 },
    expected: [i8([2, 3], [1, 2, 3, -3, -3, -4])],
  },
  {
    name: 'QuantizeLinear/per_axis1_output_dtype',
    op: 'QuantizeLinear',
    inputs: [f32([2, 3], [1, 2, 3, -4, -5, -6]), f32([3], [1, 0.5, 0.25])],
    attrs: { output_dtype: 3 },
    expected: [i8([2, 3], [1, 4, 12, -4, -10, -24])],
  },
  {
    name: 'QuantizeLinear/blocked_int4',
    op: 'QuantizeLinear',
    // blocks of 2 along axis 1: [1, 2] / 1 + 0, [3, 4] / 2 + 1 = [1.5→2, 2] + 1
    inputs: [f32([1, 4], [1, 2, 3, 4]), f32([1, 2], [1, 2]), tensor('int4', [1, 2], [0, 1])],
    attrs: { axis: 1, block_size: 2 },
    expected: [tensor('int4', [1, 4], [1, 2, 3, 3])],
  },
  { name: 'QuantizeLinear/int4_saturates', op: 'QuantizeLinear', inputs: [f32([2], [10, -10]), scalar('float32', 1), tensor('int4', [], [0])], expected: [tensor('int4', [2], [7, -8])] },
  { name: 'QuantizeLinear/uint4_saturates', op: 'QuantizeLinear', inputs: [f32([2], [20, 3]), scalar('float32', 1), tensor('uint4', [], [0])], expected: [tensor('uint4', [2], [15, 3])] },
  { name: 'QuantizeLinear/int16', op: 'QuantizeLinear', inputs: [f32([2], [100, -20000]), scalar('float32', 0.5), tensor('int16', [], [0])], expected: [tensor('int16', [2], [200, -32768])] },
  { name: 'QuantizeLinear/bad_per_axis_scale', op: 'QuantizeLinear', inputs: [f32([2, 3], [0, 0, 0, 0, 0, 0]), f32([2], [1, 1])], expectError: 'E_SHAPE' },

  { name: 'DequantizeLinear/uint8', op: 'DequantizeLinear', inputs: [u8([3], [0, 128, 255]), scalar('float32', 0.5), scalar('uint8', 128)], expected: [f32([3], [-64, 0, 63.5])] },
  {
    name: 'DequantizeLinear/per_axis_int8',
    op: 'DequantizeLinear',
    inputs: [i8([2, 2], [-1, 2, 3, -4]), f32([2], [2, 0.5]), i8([2], [1, 0])],
    expected: [f32([2, 2], [-4, 1, 4, -2])],
  },
  { name: 'DequantizeLinear/int32', op: 'DequantizeLinear', inputs: [i32([2], [-1000, 5]), scalar('float32', 0.125)], expected: [f32([2], [-125, 0.625])] },
  {
    name: 'DequantizeLinear/blocked_int4',
    op: 'DequantizeLinear',
    inputs: [tensor('int4', [1, 4], [1, 2, 3, -8]), f32([1, 2], [0.5, 2]), tensor('int4', [1, 2], [1, -1])],
    attrs: { axis: 1, block_size: 2 },
    expected: [f32([1, 4], [0, 0.5, 8, -14])],
  },
  { name: 'DequantizeLinear/uint4_no_zero_point', op: 'DequantizeLinear', inputs: [tensor('uint4', [3], [0, 7, 15]), scalar('float32', 2)], expected: [f32([3], [0, 14, 30])] },
  { name: 'DequantizeLinear/zero_point_dtype_mismatch', op: 'DequantizeLinear', inputs: [i8([1], [1]), scalar('float32', 1), scalar('uint8', 0)], expectError: 'E_DTYPE' },
];
