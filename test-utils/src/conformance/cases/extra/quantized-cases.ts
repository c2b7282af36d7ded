// Conformance cases for QLinearMatMul, MatMulInteger, ConvInteger, QLinearConv and
// DynamicQuantizeLinear. Expected values worked out by hand: subtract zero points, integer
// product / convolution, then (for QLinear*) · a_scale · b_scale / y_scale → ties to even → + zero
// point → clamp.
import type { OpCase } from '../../op-case.js';
import { f32, i32, i8, scalar, tensor, u8 } from '../basic/case-helpers.js';

export const QUANTIZED_CASES: readonly OpCase[] = [
  {
    name: 'MatMulInteger/uint8_zero_points',
    op: 'MatMulInteger',
    // (A − 1) = [[1, 2], [3, 4]], (B − 2) = [[1, 0], [0, 1]] → identity product
    inputs: [u8([2, 2], [2, 3, 4, 5]), u8([2, 2], [3, 2, 2, 3]), scalar('uint8', 1), scalar('uint8', 2)],
    expected: [i32([2, 2], [1, 2, 3, 4])],
  },
  {
    name: 'MatMulInteger/int8_per_row_zero_point_batched',
    op: 'MatMulInteger',
    // batch 0: rows [1,2]−0, [3,4]−1=[2,3]; B = [1, -1] → [-1, -1]; batch 1: [−1,0], [0,−1]·[1,−1] → [-1, 1]
    inputs: [i8([2, 2, 2], [1, 2, 3, 4, -1, 0, 1, 0]), i8([2], [1, -1]), i8([2], [0, 1])],
    expected: [i32([2, 2], [-1, -1, -1, 1])],
  },
  { name: 'MatMulInteger/zero_point_dtype_mismatch', op: 'MatMulInteger', inputs: [u8([1, 1], [1]), u8([1, 1], [1]), scalar('int8', 0)], expectError: 'E_DTYPE' },
  {
    name: 'QLinearMatMul/uint8_ties_to_even_and_saturation',
    op: 'QLinearMatMul',
    // A − 10 = [[1, 3]], B − 0 = [[1, 2], [1, 100]] → acc [4, 302]; · 0.5·1/1 → [2, 151] + 100 → [102, 251]
    // row 2: A − 10 = [[5, 0]] → acc [5, 10] · 0.5 = [2.5 → 2, 5] + 100 → [102, 105]
    inputs: [u8([2, 2], [11, 13, 15, 10]), scalar('float32', 0.5), scalar('uint8', 10), u8([2, 2], [1, 2, 1, 100]), scalar('float32', 1), scalar('uint8', 0), scalar('float32', 1), scalar('uint8', 100)],
    expected: [u8([2, 2], [102, 251, 102, 105])],
  },
  {
    name: 'QLinearMatMul/int8_saturates_low',
    op: 'QLinearMatMul',
    // acc = [-100 · 2] = -200 · (1·1/1) → -200 → clamp -128; 3·2 = 6 → 6
    inputs: [i8([2, 1], [-100, 3]), scalar('float32', 1), scalar('int8', 0), i8([1, 1], [2]), scalar('float32', 1), scalar('int8', 0), scalar('float32', 1), scalar('int8', 0)],
    expected: [i8([2, 1], [-128, 6])],
  },
  {
    name: 'ConvInteger/uint8_1d_zero_point',
    op: 'ConvInteger',
    // x − 1 = [0, 1, 2, 3], w = [1, 1] → [1, 3, 5]
    inputs: [u8([1, 1, 4], [1, 2, 3, 4]), u8([1, 1, 2], [1, 1]), scalar('uint8', 1)],
    expected: [i32([1, 1, 3], [1, 3, 5])],
  },
  {
    name: 'ConvInteger/per_channel_w_zero_point_pads',
    op: 'ConvInteger',
    // x = [1, 2], pads 1: [0, 1, 2, 0]; w0 − 0 = [1], w1 − 1 = [2] (kernel 1) → ch0 [0,1,2,0], ch1 [0,2,4,0]
    inputs: [i8([1, 1, 2], [1, 2]), i8([2, 1, 1], [1, 3]), undefined, i8([2], [0, 1])],
    attrs: { pads: [1, 1] },
    expected: [i32([1, 2, 4], [0, 1, 2, 0, 0, 2, 4, 0])],
  },
  {
    name: 'QLinearConv/bias_and_per_channel_scale',
    op: 'QLinearConv',
    // x − 2 = [1, 3], w = [[1], [2]] (per-channel scales 0.5, 0.25), bias [1, -2]; y_scale 1, y_zp 10
    // ch0: ([1, 3] + 1) · 0.5 = [1, 2] → [11, 12]; ch1: ([2, 6] − 2) · 0.25 = [0, 1] → [10, 11]
    inputs: [u8([1, 1, 2], [3, 5]), scalar('float32', 1), scalar('uint8', 2), u8([2, 1, 1], [1, 2]), f32([2], [0.5, 0.25]), u8([2], [0, 0]), scalar('float32', 1), scalar('uint8', 10), i32([2], [1, -2])],
    expected: [u8([1, 2, 2], [11, 12, 10, 11])],
  },
  {
    name: 'DynamicQuantizeLinear/mixed_signs',
    op: 'DynamicQuantizeLinear',
    outputCount: 3,
    // range [-1, 1.55]: scale 2.55/255 = 0.01, zero point round(1/0.01) = 100; y = round(x/0.01) + 100
    inputs: [f32([4], [-1, 0, 0.5, 1.55])],
    expected: [u8([4], [0, 100, 150, 255]), tensor('float32', [], [Math.fround(Math.fround(2.55) / 255)]), scalar('uint8', 100)],
    tolerance: { rtol: 1e-6, atol: 0 },
  },
  {
    name: 'DynamicQuantizeLinear/all_positive_zero_point_0',
    op: 'DynamicQuantizeLinear',
    outputCount: 3,
    // range [0, 5.1]: scale 0.02, zero point 0; 2 / 0.02 = 100, 5.1 / 0.02 = 255
    inputs: [f32([3], [0, 5.1, 2])],
    expected: [u8([3], [0, 255, 100]), tensor('float32', [], [Math.fround(Math.fround(5.1) / 255)]), scalar('uint8', 0)],
    tolerance: { rtol: 1e-6, atol: 0 },
  },
];
