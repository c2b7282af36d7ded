// Conformance cases for MaxPool, AveragePool, GlobalAveragePool and the normalizations:
// hand-computed values (small inputs whose means and variances are easy to check).
import type { OpCase } from '../../op-case.js';
import { f32, tensor } from './oracles.js';

const ramp16 = f32([1, 1, 4, 4], Array.from({ length: 16 }, (_, index) => index + 1));
const ramp9 = f32([1, 1, 3, 3], [1, 2, 3, 4, 5, 6, 7, 8, 9]);
const int64 = (shape: number[], values: number[]) => tensor('int64', shape, values);

export const POOL_CASES: readonly OpCase[] = [
  {
    name: 'MaxPool/2x2_stride2_with_indices',
    op: 'MaxPool',
    inputs: [f32([1, 1, 2, 4], [1, 5, 2, 0, 3, 4, 8, 7])],
    attrs: { kernel_shape: [2, 2], strides: [2, 2] },
    outputCount: 2,
    expected: [f32([1, 1, 1, 2], [5, 8]), int64([1, 1, 1, 2], [1, 6])],
  },
  {
    name: 'MaxPool/column_major_indices_second_channel',
    op: 'MaxPool',
    inputs: [f32([1, 2, 2, 2], [0, 0, 0, 0, 1, 9, 2, 3])],
    attrs: { kernel_shape: [2, 2], storage_order: 1 },
    outputCount: 2,
    // channel 1 max 9 at (h=0, w=1): column-major offset h + w·H = 2, plus channel offset 4
    expected: [f32([1, 2, 1, 1], [0, 9]), int64([1, 2, 1, 1], [0, 6])],
  },
  { name: 'MaxPool/ceil_mode_3x3_stride2', op: 'MaxPool', inputs: [ramp16], attrs: { kernel_shape: [3, 3], strides: [2, 2], ceil_mode: 1 }, expected: [f32([1, 1, 2, 2], [11, 12, 15, 16])] },
  {
    name: 'MaxPool/ceil_mode_last_window_dropped',
    op: 'MaxPool',
    inputs: [f32([1, 1, 2, 2], [1, 2, 3, 4])],
    attrs: { kernel_shape: [1, 1], strides: [2, 2], ceil_mode: 1 },
    expected: [f32([1, 1, 1, 1], [1])],
  },
  {
    name: 'MaxPool/pads_negative_values',
    op: 'MaxPool',
    inputs: [f32([1, 1, 2, 2], [-1, -2, -3, -4])],
    attrs: { kernel_shape: [2, 2], pads: [1, 1, 1, 1], strides: [2, 2] },
    // padding never wins: each window holds exactly one input element
    expected: [f32([1, 1, 2, 2], [-1, -2, -3, -4])],
  },
  { name: 'MaxPool/1d_dilation', op: 'MaxPool', inputs: [f32([1, 1, 6], [3, 1, 4, 1, 5, 9])], attrs: { kernel_shape: [2], dilations: [2] }, expected: [f32([1, 1, 4], [4, 1, 5, 9])] },
  { name: 'AveragePool/2x2_stride1', op: 'AveragePool', inputs: [ramp9], attrs: { kernel_shape: [2, 2] }, expected: [f32([1, 1, 2, 2], [3, 4, 6, 7])] },
  {
    name: 'AveragePool/pads_exclude_pad',
    op: 'AveragePool',
    inputs: [ramp9],
    attrs: { kernel_shape: [3, 3], pads: [1, 1, 1, 1] },
    expected: [f32([1, 1, 3, 3], [3, 3.5, 4, 4.5, 5, 5.5, 6, 6.5, 7])],
  },
  {
    name: 'AveragePool/pads_include_pad',
    op: 'AveragePool',
    inputs: [ramp9],
    attrs: { kernel_shape: [3, 3], pads: [1, 1, 1, 1], count_include_pad: 1 },
    expected: [f32([1, 1, 3, 3], [12 / 9, 21 / 9, 16 / 9, 27 / 9, 5, 33 / 9, 24 / 9, 39 / 9, 28 / 9])],
    tolerance: { rtol: 1e-6, atol: 1e-6 },
  },
  { name: 'AveragePool/ceil_mode', op: 'AveragePool', inputs: [ramp9], attrs: { kernel_shape: [2, 2], strides: [2, 2], ceil_mode: 1 }, expected: [f32([1, 1, 2, 2], [3, 4.5, 7.5, 9])] },
  { name: 'GlobalAveragePool/two_channels', op: 'GlobalAveragePool', inputs: [f32([1, 2, 2, 2], [1, 2, 3, 4, 10, 10, 10, 14])], expected: [f32([1, 2, 1, 1], [2.5, 11])] },
];

const epsilon = 1e-5;
const inv = (variance: number) => 1 / Math.sqrt(variance + epsilon);

export const NORMALIZATION_CASES: readonly OpCase[] = [
  {
    name: 'BatchNormalization/inference',
    op: 'BatchNormalization',
    inputs: [f32([1, 2, 1, 2], [1, 2, 3, 5]), f32([2], [1, 2]), f32([2], [0, 1]), f32([2], [1, 4]), f32([2], [4, 1])],
    // channel 0: (x − 1)/√(4 + ε); channel 1: 2·(x − 4)/√(1 + ε) + 1
    expected: [f32([1, 2, 1, 2], [0, inv(4), -2 * inv(1) + 1, 2 * inv(1) + 1])],
    tolerance: { rtol: 1e-5, atol: 1e-5 },
  },
  {
    name: 'BatchNormalization/training_mode_running_stats',
    op: 'BatchNormalization',
    inputs: [f32([2, 1, 1, 2], [1, 3, 5, 7]), f32([1], [1]), f32([1], [0]), f32([1], [10]), f32([1], [2])],
    attrs: { training_mode: 1, momentum: 0.5 },
    outputCount: 3,
    // batch mean 4, population variance 5
    expected: [f32([2, 1, 1, 2], [-3, -1, 1, 3].map((value) => value * inv(5))), f32([1], [7]), f32([1], [3.5])],
    tolerance: { rtol: 1e-5, atol: 1e-5 },
  },
  {
    name: 'LayerNormalization/last_axis_with_stats',
    op: 'LayerNormalization',
    inputs: [f32([2, 2], [1, 3, 2, 2]), f32([2], [1, 2]), f32([2], [0, 1])],
    outputCount: 3,
    // row 0: mean 2, var 1; row 1: mean 2, var 0
    expected: [f32([2, 2], [-inv(1), 2 * inv(1) + 1, 0, 1]), f32([2, 1], [2, 2]), f32([2, 1], [inv(1), inv(0)])],
    tolerance: { rtol: 1e-5, atol: 1e-5 },
  },
  {
    name: 'LayerNormalization/axis1_over_two_dims',
    op: 'LayerNormalization',
    inputs: [f32([1, 2, 2], [0, 2, 4, 6]), f32([1], [2])],
    attrs: { axis: 1 },
    // mean 3, variance 5, scale 2 broadcast
    expected: [f32([1, 2, 2], [-3, -1, 1, 3].map((value) => 2 * value * inv(5)))],
    tolerance: { rtol: 1e-5, atol: 1e-5 },
  },
  {
    name: 'GroupNormalization/two_groups_per_channel_affine',
    op: 'GroupNormalization',
    inputs: [f32([1, 4, 1, 1], [1, 3, 10, 20]), f32([4], [1, 2, 3, 4]), f32([4], [0, 0, 1, 1])],
    attrs: { num_groups: 2 },
    // group 0: {1, 3} mean 2 var 1; group 1: {10, 20} mean 15 var 25
    expected: [f32([1, 4, 1, 1], [-inv(1), 2 * inv(1), -3 * 5 * inv(25) + 1, 4 * 5 * inv(25) + 1])],
    tolerance: { rtol: 1e-5, atol: 1e-5 },
  },
  {
    name: 'InstanceNormalization/per_plane',
    op: 'InstanceNormalization',
    inputs: [f32([1, 2, 2], [0, 4, 1, 1]), f32([2], [2, 3]), f32([2], [1, -1])],
    // plane 0: mean 2 var 4; plane 1: constant → normalized 0
    expected: [f32([1, 2, 2], [-2 * 2 * inv(4) + 1, 2 * 2 * inv(4) + 1, -1, -1])],
    tolerance: { rtol: 1e-5, atol: 1e-5 },
  },
];
