// Conformance cases for unary math, activations and Clip. Transcendental expected values come
// from Python's math module (erf, tanh, exp) evaluated independently; the rest are by hand.
import type { OpCase } from '../../op-case.js';
import { f32, f64, i32, i64, i8, scalar, tensor } from './case-helpers.js';

const INF = Number.POSITIVE_INFINITY;

export const UNARY_CASES: readonly OpCase[] = [
  { name: 'Neg/float', op: 'Neg', inputs: [f32([3], [1.5, -2, 0])], expected: [f32([3], [-1.5, 2, -0])] },
  { name: 'Neg/int8_min_wraps', op: 'Neg', inputs: [i8([2], [-128, 5])], expected: [i8([2], [-128, -5])] },
  { name: 'Neg/int64', op: 'Neg', inputs: [i64([2], [7, -9])], expected: [i64([2], [-7, 9])] },
  { name: 'Neg/uint8_rejected', op: 'Neg', inputs: [tensor('uint8', [1], [1])], expectError: 'E_DTYPE' },
  { name: 'Abs/float', op: 'Abs', inputs: [f32([2, 2], [-1.5, 2, -0, -3])], expected: [f32([2, 2], [1.5, 2, 0, 3])] },
  { name: 'Abs/int32', op: 'Abs', inputs: [i32([2], [-3, 4])], expected: [i32([2], [3, 4])] },
  { name: 'Abs/int64', op: 'Abs', inputs: [i64([2], [-3, 4])], expected: [i64([2], [3, 4])] },
  { name: 'Exp/values', op: 'Exp', inputs: [f32([4], [0, 1, -1, 100])], expected: [f32([4], [1, Math.E, 0.36787944117144233, INF])] },
  { name: 'Exp/float64', op: 'Exp', inputs: [f64([1], [2])], expected: [f64([1], [7.38905609893065])], tolerance: { rtol: 1e-14 } },
  { name: 'Exp/int_rejected', op: 'Exp', inputs: [i32([1], [1])], expectError: 'E_DTYPE' },
  { name: 'Log/values', op: 'Log', inputs: [f32([4], [1, Math.E, 0.5, 0])], expected: [f32([4], [0, 1, -Math.LN2, -INF])] },
  { name: 'Sqrt/values', op: 'Sqrt', inputs: [f32([4], [4, 2, 0, -1])], expected: [f32([4], [2, Math.SQRT2, 0, Number.NaN])] },
  { name: 'Reciprocal/values', op: 'Reciprocal', inputs: [f32([3], [2, -4, 0.5])], expected: [f32([3], [0.5, -0.25, 2])] },
  {
    name: 'Erf/float64',
    op: 'Erf',
    inputs: [f64([10], [0, 0.1, 0.5, 1, -1, 2, 2.4, 2.6, 3, -4])],
    expected: [
      f64([10], [
        0, 0.1124629160182849, 0.5204998778130465, 0.8427007929497149, -0.8427007929497149, 0.9953222650189527,
        0.999311486103355, 0.9997639655834707, 0.9999779095030014, -0.9999999845827421,
      ]),
    ],
    tolerance: { rtol: 1e-7, atol: 1e-12 },
  },
  {
    name: 'Sigmoid/stable',
    op: 'Sigmoid',
    inputs: [f32([5], [0, 2, -2, -100, 100])],
    expected: [f32([5], [0.5, 0.8807970779778823, 0.11920292202211755, 3.7200759760208356e-44, 1])],
  },
  { name: 'Tanh/values', op: 'Tanh', inputs: [f32([3], [0, 0.5, -1])], expected: [f32([3], [0, 0.46211715726000974, -0.7615941559557649])] },
  { name: 'Relu/float', op: 'Relu', inputs: [f32([2, 2], [-1, 0, 2.5, -0.1])], expected: [f32([2, 2], [0, 0, 2.5, 0])] },
  { name: 'Relu/int64', op: 'Relu', inputs: [i64([2], [-3, 5])], expected: [i64([2], [0, 5])] },
  { name: 'LeakyRelu/alpha', op: 'LeakyRelu', inputs: [f32([3], [-2, 3, 0])], attrs: { alpha: 0.1 }, expected: [f32([3], [-0.2, 3, 0])] },
  { name: 'LeakyRelu/default_alpha', op: 'LeakyRelu', inputs: [f32([1], [-100])], expected: [f32([1], [-1])] },
  {
    name: 'Gelu/erf',
    op: 'Gelu',
    inputs: [f32([5], [-2, -0.5, 0, 1, 3])],
    expected: [f32([5], [-0.04550026389635842, -0.15426876936299344, 0, 0.8413447460685429, 2.99595030590511])],
  },
  {
    name: 'Gelu/tanh',
    op: 'Gelu',
    inputs: [f32([5], [-2, -0.5, 0, 1, 3])],
    attrs: { approximate: 'tanh' },
    expected: [f32([5], [-0.04540230591222494, -0.15428599017485606, 0, 0.8411919906082768, 2.996362607918227])],
  },
  {
    name: 'HardSwish/values',
    op: 'HardSwish',
    inputs: [f32([5], [-4, -1, 0, 1, 4])],
    // x · clamp(x/6 + 1/2, 0, 1)
    expected: [f32([5], [0, -1 / 3, 0, 2 / 3, 4])],
  },
  {
    name: 'Clip/min_max',
    op: 'Clip',
    inputs: [f32([4], [-2, 0.5, 3, 1]), scalar('float32', 0), scalar('float32', 1)],
    expected: [f32([4], [0, 0.5, 1, 1])],
  },
  { name: 'Clip/max_only', op: 'Clip', inputs: [f32([3], [-2, 0.5, 3]), undefined, scalar('float32', 1)], expected: [f32([3], [-2, 0.5, 1])] },
  { name: 'Clip/min_only', op: 'Clip', inputs: [f32([3], [-2, 0.5, 3]), scalar('float32', 0)], expected: [f32([3], [0, 0.5, 3])] },
  { name: 'Clip/no_bounds', op: 'Clip', inputs: [f32([2], [-2, 3])], expected: [f32([2], [-2, 3])] },
  {
    name: 'Clip/int64',
    op: 'Clip',
    inputs: [i64([3], [-5, 5, 100]), scalar('int64', -1), scalar('int64', 10)],
    expected: [i64([3], [-1, 5, 10])],
  },
  { name: 'Clip/int32', op: 'Clip', inputs: [i32([3], [-5, 5, 100]), scalar('int32', 0), scalar('int32', 50)], expected: [i32([3], [0, 5, 50])] },
  { name: 'Clip/min_dtype_mismatch', op: 'Clip', inputs: [f32([1], [1]), scalar('int32', 0)], expectError: 'E_DTYPE' },
];
