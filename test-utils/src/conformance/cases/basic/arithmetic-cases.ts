// Conformance cases for Add Sub Mul Div Pow: hand-computed values covering same-shape, row,
// column and scalar broadcasting, empty tensors, integer wrap-around and truncating division,
// exact int64 (beyond 2^53), float16, plus bad-shape / bad-dtype errors.
import type { OpCase } from '../../op-case.js';
import { f32, f64, i32, i64, i64Exact, i8, iota, scalar, tensor, u8 } from './case-helpers.js';

const TWO_POW_40 = 2n ** 40n;

export const ARITHMETIC_CASES: readonly OpCase[] = [
  { name: 'Add/same_shape', op: 'Add', inputs: [f32([2, 2], [1, 2, 3, 4]), f32([2, 2], [10, 20, 30, 40])], expected: [f32([2, 2], [11, 22, 33, 44])] },
  { name: 'Add/row_broadcast', op: 'Add', inputs: [iota([2, 3]), f32([3], [10, 20, 30])], expected: [f32([2, 3], [10, 21, 32, 13, 24, 35])] },
  { name: 'Add/row_broadcast_left', op: 'Add', inputs: [f32([3], [10, 20, 30]), iota([2, 3])], expected: [f32([2, 3], [10, 21, 32, 13, 24, 35])] },
  { name: 'Add/outer_broadcast', op: 'Add', inputs: [f32([2, 1], [1, 2]), f32([1, 3], [10, 20, 30])], expected: [f32([2, 3], [11, 21, 31, 12, 22, 32])] },
  { name: 'Add/scalar', op: 'Add', inputs: [f32([2, 2], [1, 2, 3, 4]), scalar('float32', 0.5)], expected: [f32([2, 2], [1.5, 2.5, 3.5, 4.5])] },
  {
    name: 'Add/middle_broadcast_3d',
    op: 'Add',
    inputs: [iota([2, 2, 2]), f32([2, 1, 2], [100, 200, 300, 400])],
    // out[i,j,k] = 4i + 2j + k + b[i,0,k]
    expected: [f32([2, 2, 2], [100, 201, 102, 203, 304, 405, 306, 407])],
  },
  { name: 'Add/empty', op: 'Add', inputs: [f32([0, 3], []), f32([3], [1, 2, 3])], expected: [f32([0, 3], [])] },
  { name: 'Add/int8_wraps', op: 'Add', inputs: [i8([2], [127, -128]), i8([2], [1, -1])], expected: [i8([2], [-128, 127])] },
  { name: 'Add/uint8_wraps', op: 'Add', inputs: [u8([2], [250, 3]), u8([2], [10, 4])], expected: [u8([2], [4, 7])] },
  { name: 'Add/int32', op: 'Add', inputs: [i32([3], [1, -2, 2147483647]), i32([3], [5, 2, 1])], expected: [i32([3], [6, 0, -2147483648])] },
  {
    name: 'Add/int64_exact',
    op: 'Add',
    inputs: [i64Exact([2], [TWO_POW_40 * 4096n + 1n, -5n]), i64Exact([2], [TWO_POW_40 * 4096n, 3n])],
    expected: [i64Exact([2], [TWO_POW_40 * 8192n + 1n, -2n])],
  },
  { name: 'Add/float64', op: 'Add', inputs: [f64([2], [0.1, 1e300]), f64([2], [0.2, 1e300])], expected: [f64([2], [0.30000000000000004, 2e300])] },
  {
    name: 'Add/float16',
    op: 'Add',
    inputs: [tensor('float16', [2], [1.5, 2]), tensor('float16', [2], [0.25, 0.5])],
    expected: [tensor('float16', [2], [1.75, 2.5])],
  },
  { name: 'Add/bad_broadcast', op: 'Add', inputs: [f32([2, 3], [0, 0, 0, 0, 0, 0]), f32([4], [0, 0, 0, 0])], expectError: 'E_SHAPE' },
  { name: 'Add/mixed_dtypes', op: 'Add', inputs: [f32([1], [1]), i32([1], [1])], expectError: 'E_DTYPE' },
  { name: 'Add/bool_rejected', op: 'Add', inputs: [tensor('bool', [1], [1]), tensor('bool', [1], [1])], expectError: 'E_DTYPE' },

  { name: 'Sub/broadcast', op: 'Sub', inputs: [f32([2, 2], [5, 3, 1, 0]), f32([2], [1, 4])], expected: [f32([2, 2], [4, -1, 0, -4])] },
  { name: 'Sub/uint8_wraps', op: 'Sub', inputs: [u8([1], [3]), u8([1], [5])], expected: [u8([1], [254])] },
  { name: 'Sub/int64', op: 'Sub', inputs: [i64([2], [10, -3]), i64([], [4])], expected: [i64([2], [6, -7])] },

  { name: 'Mul/column_broadcast', op: 'Mul', inputs: [iota([2, 3]), f32([2, 1], [2, -1])], expected: [f32([2, 3], [0, 2, 4, -3, -4, -5])] },
  // 65536² = 2^32 ≡ 0 and 46341² = 2147488281 ≡ -2147479015 (mod 2^32, signed).
  { name: 'Mul/int32_wraps_exactly', op: 'Mul', inputs: [i32([2], [65536, 46341]), i32([2], [65536, 46341])], expected: [i32([2], [0, -2147479015])] },
  { name: 'Mul/int64', op: 'Mul', inputs: [i64([3], [3, -4, 0]), i64([3], [7, 5, 9])], expected: [i64([3], [21, -20, 0])] },

  { name: 'Div/float', op: 'Div', inputs: [f32([3], [1, -3, 1]), f32([3], [2, 4, 0])], expected: [f32([3], [0.5, -0.75, Number.POSITIVE_INFINITY])] },
  { name: 'Div/int32_truncates', op: 'Div', inputs: [i32([4], [7, -7, 7, -7]), i32([4], [2, 2, -2, -2])], expected: [i32([4], [3, -3, -3, 3])] },
  { name: 'Div/int64_truncates', op: 'Div', inputs: [i64([4], [7, -7, 7, -7]), i64([], [2])], expected: [i64([4], [3, -3, 3, -3])] },
  { name: 'Div/uint8', op: 'Div', inputs: [u8([2], [255, 7]), u8([2], [2, 7])], expected: [u8([2], [127, 1])] },

  { name: 'Pow/float', op: 'Pow', inputs: [f32([3], [2, 3, 4]), f32([3], [3, 2, 0.5])], expected: [f32([3], [8, 9, 2])] },
  { name: 'Pow/scalar_exponent', op: 'Pow', inputs: [f32([2, 2], [1, -2, 3, 0.5]), scalar('float32', 2)], expected: [f32([2, 2], [1, 4, 9, 0.25])] },
  { name: 'Pow/float_base_int64_exponent', op: 'Pow', inputs: [f32([2], [2, 3]), i64([1], [2])], expected: [f32([2], [4, 9])] },
  { name: 'Pow/int32', op: 'Pow', inputs: [i32([2], [2, -3]), i32([2], [3, 3])], expected: [i32([2], [8, -27])] },
  { name: 'Pow/int64', op: 'Pow', inputs: [i64([3], [2, -3, 5]), i64([3], [10, 3, 0])], expected: [i64([3], [1024, -27, 1])] },
];
