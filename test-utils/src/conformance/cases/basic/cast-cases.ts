// Conformance cases for Cast (ONNX `to` codes: 1 float32, 2 uint8, 3 int8, 5 int16, 6 int32,
// 7 int64, 9 bool, 10 float16, 11 float64, 16 bfloat16, 21 uint4, 22 int4). Expected float16/
// bfloat16/int4 results are written as raw bits/bytes computed by hand.
import { tensorData } from '@efficientdl/ir';
import type { OpCase } from '../../op-case.js';
import { bool, f32, f64, i32, i64, i64Exact, i8, tensor, u8 } from './case-helpers.js';

const bits16 = (dtype: 'float16' | 'bfloat16', values: number[]) => tensorData(dtype, [values.length], Uint16Array.from(values));
const packed = (dtype: 'int4' | 'uint4', count: number, bytes: number[]) => tensorData(dtype, [count], Uint8Array.from(bytes));

export const CAST_CASES: readonly OpCase[] = [
  { name: 'Cast/float_to_int32_truncates', op: 'Cast', inputs: [f32([5], [1.9, -1.9, 0.5, -0.5, 100])], attrs: { to: 6 }, expected: [i32([5], [1, -1, 0, 0, 100])] },
  { name: 'Cast/float_to_int64', op: 'Cast', inputs: [f64([2], [-2.7, 1e15 + 0.5])], attrs: { to: 7 }, expected: [i64([2], [-2, 1e15])] },
  { name: 'Cast/int16_to_int8_wraps', op: 'Cast', inputs: [tensor('int16', [3], [200, -129, 127])], attrs: { to: 3 }, expected: [i8([3], [-56, 127, 127])] },
  { name: 'Cast/int32_to_uint8_wraps', op: 'Cast', inputs: [i32([3], [-1, 256, 300])], attrs: { to: 2 }, expected: [u8([3], [255, 0, 44])] },
  {
    name: 'Cast/int64_to_int32_wraps',
    op: 'Cast',
    inputs: [i64Exact([3], [2n ** 32n + 5n, -1n, 2n ** 31n])],
    attrs: { to: 6 },
    expected: [i32([3], [5, -1, -2147483648])],
  },
  { name: 'Cast/int32_to_int64', op: 'Cast', inputs: [i32([2], [-7, 2147483647])], attrs: { to: 7 }, expected: [i64([2], [-7, 2147483647])] },
  { name: 'Cast/int64_to_float', op: 'Cast', inputs: [i64([2], [3, -7])], attrs: { to: 1 }, expected: [f32([2], [3, -7])] },
  { name: 'Cast/float_to_bool', op: 'Cast', inputs: [f32([4], [0, -0, 2, Number.NaN])], attrs: { to: 9 }, expected: [bool([4], [0, 0, 1, 1])] },
  { name: 'Cast/int64_to_bool', op: 'Cast', inputs: [i64([3], [0, -3, 1])], attrs: { to: 9 }, expected: [bool([3], [0, 1, 1])] },
  { name: 'Cast/bool_to_float', op: 'Cast', inputs: [bool([2], [1, 0])], attrs: { to: 1 }, expected: [f32([2], [1, 0])] },
  { name: 'Cast/bool_to_int64', op: 'Cast', inputs: [bool([2], [1, 0])], attrs: { to: 7 }, expected: [i64([2], [1, 0])] },
  {
    name: 'Cast/float_to_float16_rounds_even',
    op: 'Cast',
    // 1, 65504 (max), 1e5 (overflow → inf), 0.1, 1 + 2^-11 (tie → even 1), 1 + 3·2^-11 (tie → even 1 + 2^-9)
    inputs: [f32([6], [1, 65504, 1e5, 0.1, 1 + 2 ** -11, 1 + 3 * 2 ** -11])],
    attrs: { to: 10 },
    expected: [bits16('float16', [0x3c00, 0x7bff, 0x7c00, 0x2e66, 0x3c00, 0x3c02])],
  },
  {
    name: 'Cast/float16_to_float',
    op: 'Cast',
    inputs: [bits16('float16', [0x3c00, 0xc000, 0x7c00, 0x0001, 0x3555])],
    attrs: { to: 1 },
    // 0x0001 = 2^-24 (smallest subnormal); 0x3555 = 1.333… → 1 + 341/1024 times 2^-2 → 0.333251953125
    expected: [f32([5], [1, -2, Number.POSITIVE_INFINITY, 2 ** -24, 0.333251953125])],
  },
  {
    name: 'Cast/float_to_bfloat16_rounds_even',
    op: 'Cast',
    inputs: [f32([4], [1, 1 + 2 ** -8, 1 + 3 * 2 ** -8, -2])],
    attrs: { to: 16 },
    expected: [bits16('bfloat16', [0x3f80, 0x3f80, 0x3f82, 0xc000])],
  },
  { name: 'Cast/bfloat16_to_float64', op: 'Cast', inputs: [bits16('bfloat16', [0x3f80, 0x4049])], attrs: { to: 11 }, expected: [f64([2], [1, 3.140625])] },
  { name: 'Cast/uint8_to_int4_wraps', op: 'Cast', inputs: [u8([3], [7, 8, 255])], attrs: { to: 22 }, expected: [packed('int4', 3, [0x87, 0x0f])] },
  { name: 'Cast/int4_to_float', op: 'Cast', inputs: [packed('int4', 3, [0x87, 0x0f])], attrs: { to: 1 }, expected: [f32([3], [7, -8, -1])] },
  { name: 'Cast/uint4_to_int32', op: 'Cast', inputs: [packed('uint4', 2, [0xf1])], attrs: { to: 6 }, expected: [i32([2], [1, 15])] },
  { name: 'Cast/float_to_uint4', op: 'Cast', inputs: [f32([3], [3.7, 15, 0])], attrs: { to: 21 }, expected: [packed('uint4', 3, [0xf3, 0x00])] },
  { name: 'Cast/float16_to_int8', op: 'Cast', inputs: [bits16('float16', [0x4500, 0xc500])], attrs: { to: 3 }, expected: [i8([2], [5, -5])] },
  { name: 'Cast/unknown_to', op: 'Cast', inputs: [f32([1], [1])], attrs: { to: 99 }, expectError: 'E_ATTRIBUTE' },
];
