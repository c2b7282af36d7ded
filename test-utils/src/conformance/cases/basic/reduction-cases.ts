// Conformance cases for ReduceSum/Mean/Max/Min, Softmax/LogSoftmax, ArgMax, CumSum and TopK.
// Sums over iota tensors are closed forms (x[i,j,k] = 12i + 4j + k); softmax values were
// evaluated independently in Python (math.exp of max-shifted rows).
import type { OpCase } from '../../op-case.js';
import { f32, i32, i64, iota, ints, scalar } from './case-helpers.js';

const INF = Number.POSITIVE_INFINITY;
const SOFTMAX_123 = [0.09003057317038046, 0.24472847105479764, 0.6652409557748218];
const LOG_SOFTMAX_123 = [-2.4076059644443806, -1.4076059644443804, -0.4076059644443804];
const twice = (values: number[]) => values.flatMap((value) => [value, value]);

export const REDUCTION_CASES: readonly OpCase[] = [
  { name: 'ReduceSum/all_keepdims', op: 'ReduceSum', inputs: [iota([2, 3])], expected: [f32([1, 1], [15])] },
  { name: 'ReduceSum/axis1_nokeep', op: 'ReduceSum', inputs: [iota([2, 3]), ints([1])], attrs: { keepdims: 0 }, expected: [f32([2], [3, 12])] },
  { name: 'ReduceSum/negative_axis', op: 'ReduceSum', inputs: [iota([2, 3]), ints([-2])], expected: [f32([1, 3], [3, 5, 7])] },
  // Σ_i Σ_k (12i + 4j + k) = 60 + 32j
  { name: 'ReduceSum/noncontiguous_axes', op: 'ReduceSum', inputs: [iota([2, 3, 4]), ints([0, 2])], attrs: { keepdims: 0 }, expected: [f32([3], [60, 92, 124])] },
  { name: 'ReduceSum/noop_empty_axes', op: 'ReduceSum', inputs: [iota([2, 3])], attrs: { noop_with_empty_axes: 1 }, expected: [iota([2, 3])] },
  { name: 'ReduceSum/empty_axes_reduces_all', op: 'ReduceSum', inputs: [iota([2, 3]), ints([])], attrs: { keepdims: 0 }, expected: [scalar('float32', 15)] },
  { name: 'ReduceSum/int64', op: 'ReduceSum', inputs: [i64([2, 2], [1, 2, 3, 4]), ints([0])], attrs: { keepdims: 0 }, expected: [i64([2], [4, 6])] },
  { name: 'ReduceSum/empty_input', op: 'ReduceSum', inputs: [f32([0, 3], []), ints([0])], attrs: { keepdims: 0 }, expected: [f32([3], [0, 0, 0])] },
  { name: 'ReduceSum/bad_axis', op: 'ReduceSum', inputs: [iota([2, 3]), ints([2])], expectError: 'E_SHAPE' },
  { name: 'ReduceMean/noncontiguous_axes', op: 'ReduceMean', inputs: [iota([2, 3, 4]), ints([0, 2])], attrs: { keepdims: 0 }, expected: [f32([3], [7.5, 11.5, 15.5])] },
  { name: 'ReduceMean/last_axis', op: 'ReduceMean', inputs: [iota([2, 4]), ints([-1])], expected: [f32([2, 1], [1.5, 5.5])] },
  { name: 'ReduceMean/int32_truncates', op: 'ReduceMean', inputs: [i32([2], [1, 2])], attrs: { keepdims: 0 }, expected: [i32([], [1])] },
  // max over j of 12i + 4j + k = 12i + 8 + k
  { name: 'ReduceMax/middle_axis', op: 'ReduceMax', inputs: [iota([2, 3, 4]), ints([1])], expected: [f32([2, 1, 4], [8, 9, 10, 11, 20, 21, 22, 23])] },
  { name: 'ReduceMax/negative_values', op: 'ReduceMax', inputs: [f32([2, 2], [-5, -3, -9, -4]), ints([1])], attrs: { keepdims: 0 }, expected: [f32([2], [-3, -4])] },
  { name: 'ReduceMax/empty_gives_neg_inf', op: 'ReduceMax', inputs: [f32([0, 2], []), ints([0])], attrs: { keepdims: 0 }, expected: [f32([2], [-INF, -INF])] },
  { name: 'ReduceMax/int64', op: 'ReduceMax', inputs: [i64([3], [-7, 12, 3])], attrs: { keepdims: 0 }, expected: [i64([], [12])] },
  { name: 'ReduceMin/leading_axes', op: 'ReduceMin', inputs: [iota([2, 3, 4]), ints([0, 1])], expected: [f32([1, 1, 4], [0, 1, 2, 3])] },
  { name: 'ReduceMin/int32', op: 'ReduceMin', inputs: [i32([2, 2], [4, -1, 7, 2]), ints([1])], attrs: { keepdims: 0 }, expected: [i32([2], [-1, 2])] },

  { name: 'Softmax/last_axis', op: 'Softmax', inputs: [f32([2, 3], [1, 2, 3, 1, 1, 1])], expected: [f32([2, 3], [...SOFTMAX_123, 1 / 3, 1 / 3, 1 / 3])] },
  { name: 'Softmax/stable_large', op: 'Softmax', inputs: [f32([3], [1000, 1000, -1000])], expected: [f32([3], [0.5, 0.5, 0])] },
  // column j: [j, j + 3] → [1/(1+e³), e³/(1+e³)]
  { name: 'Softmax/axis0', op: 'Softmax', inputs: [iota([2, 3])], attrs: { axis: 0 }, expected: [f32([2, 3], [0.04742587317756678, 0.04742587317756678, 0.04742587317756678, 0.9525741268224334, 0.9525741268224334, 0.9525741268224334])] },
  {
    name: 'Softmax/middle_axis_3d',
    op: 'Softmax',
    inputs: [f32([2, 3, 2], Array.from({ length: 12 }, (_, index) => index * 0.5))],
    attrs: { axis: 1 },
    expected: [f32([2, 3, 2], [...twice(SOFTMAX_123), ...twice(SOFTMAX_123)])],
  },
  { name: 'Softmax/int_rejected', op: 'Softmax', inputs: [i32([2], [1, 2])], expectError: 'E_DTYPE' },
  { name: 'Softmax/bad_axis', op: 'Softmax', inputs: [iota([2, 3])], attrs: { axis: 2 }, expectError: 'E_SHAPE' },
  { name: 'LogSoftmax/last_axis', op: 'LogSoftmax', inputs: [f32([4], [-1, 0, 5, -3])], expected: [f32([4], [-6.009506828365679, -5.009506828365679, -0.009506828365679582, -8.00950682836568])] },
  { name: 'LogSoftmax/stable_large', op: 'LogSoftmax', inputs: [f32([2], [1000, 1000])], expected: [f32([2], [-Math.LN2, -Math.LN2])] },
  {
    name: 'LogSoftmax/middle_axis_3d',
    op: 'LogSoftmax',
    inputs: [f32([2, 3, 2], Array.from({ length: 12 }, (_, index) => index * 0.5))],
    attrs: { axis: -2 },
    expected: [f32([2, 3, 2], [...twice(LOG_SOFTMAX_123), ...twice(LOG_SOFTMAX_123)])],
  },

  { name: 'ArgMax/axis1_first_tie', op: 'ArgMax', inputs: [f32([2, 3], [1, 5, 5, 7, 2, 7])], attrs: { axis: 1 }, expected: [i64([2, 1], [1, 0])] },
  { name: 'ArgMax/select_last_index', op: 'ArgMax', inputs: [f32([2, 3], [1, 5, 5, 7, 2, 7])], attrs: { axis: -1, select_last_index: 1 }, expected: [i64([2, 1], [2, 2])] },
  { name: 'ArgMax/axis0_nokeep', op: 'ArgMax', inputs: [f32([2, 3], [1, 5, 5, 7, 2, 7])], attrs: { axis: 0, keepdims: 0 }, expected: [i64([3], [1, 0, 1])] },
  { name: 'ArgMax/int64', op: 'ArgMax', inputs: [i64([4], [3, -1, 9, 2])], attrs: { keepdims: 0 }, expected: [i64([], [2])] },

  { name: 'CumSum/basic', op: 'CumSum', inputs: [f32([4], [1, 2, 3, 4]), scalar('int64', 0)], expected: [f32([4], [1, 3, 6, 10])] },
  { name: 'CumSum/exclusive', op: 'CumSum', inputs: [f32([4], [1, 2, 3, 4]), scalar('int64', 0)], attrs: { exclusive: 1 }, expected: [f32([4], [0, 1, 3, 6])] },
  { name: 'CumSum/reverse', op: 'CumSum', inputs: [f32([4], [1, 2, 3, 4]), scalar('int64', 0)], attrs: { reverse: 1 }, expected: [f32([4], [10, 9, 7, 4])] },
  { name: 'CumSum/exclusive_reverse', op: 'CumSum', inputs: [f32([4], [1, 2, 3, 4]), scalar('int64', 0)], attrs: { exclusive: 1, reverse: 1 }, expected: [f32([4], [9, 7, 4, 0])] },
  { name: 'CumSum/axis1_2d', op: 'CumSum', inputs: [iota([2, 3]), scalar('int64', 1)], expected: [f32([2, 3], [0, 1, 3, 3, 7, 12])] },
  { name: 'CumSum/negative_axis_int32', op: 'CumSum', inputs: [iota([2, 3]), scalar('int32', -2)], expected: [f32([2, 3], [0, 1, 2, 3, 5, 7])] },
  { name: 'CumSum/int64', op: 'CumSum', inputs: [i64([3], [5, -2, 10]), scalar('int64', 0)], expected: [i64([3], [5, 3, 13])] },

  {
    name: 'TopK/largest_ties_lower_index',
    op: 'TopK',
    inputs: [f32([2, 4], [1, 3, 2, 3, 5, 4, 4, 0]), ints([2])],
    outputCount: 2,
    expected: [f32([2, 2], [3, 3, 5, 4]), i64([2, 2], [1, 3, 0, 1])],
  },
  {
    name: 'TopK/smallest',
    op: 'TopK',
    inputs: [f32([2, 4], [1, 3, 2, 3, 5, 4, 4, 0]), ints([2])],
    attrs: { largest: 0 },
    outputCount: 2,
    expected: [f32([2, 2], [1, 2, 0, 4]), i64([2, 2], [0, 2, 3, 1])],
  },
  {
    name: 'TopK/axis0',
    op: 'TopK',
    inputs: [f32([2, 4], [1, 3, 2, 3, 5, 4, 4, 0]), ints([1])],
    attrs: { axis: 0 },
    outputCount: 2,
    expected: [f32([1, 4], [5, 4, 4, 3]), i64([1, 4], [1, 1, 1, 0])],
  },
  { name: 'TopK/int64', op: 'TopK', inputs: [i64([4], [7, -2, 9, 7]), ints([3])], outputCount: 2, expected: [i64([3], [9, 7, 7]), i64([3], [2, 0, 3])] },
  { name: 'TopK/k_zero', op: 'TopK', inputs: [f32([3], [1, 2, 3]), ints([0])], outputCount: 2, expected: [f32([0], []), i64([0], [])] },
  { name: 'TopK/k_too_large', op: 'TopK', inputs: [f32([3], [1, 2, 3]), ints([4])], outputCount: 2, expectError: 'E_SHAPE' },
];
