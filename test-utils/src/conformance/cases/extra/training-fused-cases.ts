// Conformance cases for the fused training ops (ai.efficientdl ReluGrad, BatchNormTraining,
// BatchNormTrainingGrad) and for the fast paths they rely on (2×2/stride-2 MaxPool and
// MaxPoolGrad, per-channel ReduceSum/ReduceMean). Expected values worked out by hand below.
import { EFFICIENTDL_DOMAIN } from '@efficientdl/ir';
import type { OpCase } from '../../op-case.js';
import { f32, ints } from '../basic/case-helpers.js';

const domain = EFFICIENTDL_DOMAIN;
const ROOT6 = Math.sqrt(6);

// X (N=2, C=2, 1, 2) = n0: c0 [1, 3], c1 [2, 2]; n1: c0 [5, 7], c1 [2, 2].
// Channel 0: mean 4, biased variance (9 + 1 + 1 + 9) / 4 = 5; channel 1: mean 2, variance 0.
// epsilon 1 → 1/√(var + ε) = 1/√6 and 1.
const BN_X = f32([2, 2, 1, 2], [1, 3, 2, 2, 5, 7, 2, 2]);
const BN_SCALE = f32([2], [2, 1]);
const BN_BIAS = f32([2], [0.5, -1]);
const BN_MEAN = f32([2], [4, 2]);
const BN_VAR = f32([2], [5, 0]);

// Backward with dY = c0 [1, 0 | 0, 0], c1 all ones, M = 4 per channel:
// c0: dB = 1, x̂ = (x − 4)/√6, dScale = Σ dY·x̂ = −3/√6, dX = (2/√6)(dY − 1/4 + (x − 4)/8)
//     → [0.75, −0.75, −0.25, 0.25] / √6;  c1: dB = 4, x̂ = 0, dScale = 0, dX = 1 − 4/4 = 0.
const BN_DY = f32([2, 2, 1, 2], [1, 0, 1, 1, 0, 0, 1, 1]);

// 2×2 windows of (1, 1, 2, 4): [1 3; 2 3] max 3 first at 1 (a tie with 5), [3 0; 5 5] max 5 first at 6.
const POOL_X = f32([1, 1, 2, 4], [1, 3, 3, 0, 2, 3, 5, 5]);
const POOL_ATTRS = { kernel_shape: [2, 2], strides: [2, 2] };

export const TRAINING_FUSED_CASES: readonly OpCase[] = [
  {
    name: 'ReluGrad/passes_dy_where_x_positive',
    op: 'ReluGrad',
    domain,
    inputs: [f32([2, 2], [1, 2, 3, 4]), f32([2, 2], [-1, 0, 0.5, 2])],
    expected: [f32([2, 2], [0, 0, 3, 4])],
  },
  { name: 'ReluGrad/shape_mismatch', op: 'ReluGrad', domain, inputs: [f32([3], [1, 2, 3]), f32([2], [1, 2])], expectError: 'E_SHAPE' },
  {
    name: 'BatchNormTraining/batch_statistics',
    op: 'BatchNormTraining',
    domain,
    inputs: [BN_X, BN_SCALE, BN_BIAS],
    attrs: { epsilon: 1 },
    outputCount: 3,
    expected: [
      f32([2, 2, 1, 2], [0.5 - ROOT6, 0.5 - 2 / ROOT6, -1, -1, 0.5 + 2 / ROOT6, 0.5 + ROOT6, -1, -1]),
      BN_MEAN,
      BN_VAR,
    ],
  },
  {
    name: 'BatchNormTraining/scale_not_per_channel',
    op: 'BatchNormTraining',
    domain,
    inputs: [BN_X, f32([3], [1, 1, 1]), BN_BIAS],
    outputCount: 3,
    expectError: 'E_SHAPE',
  },
  {
    name: 'BatchNormTrainingGrad/closed_form',
    op: 'BatchNormTrainingGrad',
    domain,
    inputs: [BN_DY, BN_X, BN_SCALE, BN_MEAN, BN_VAR],
    attrs: { epsilon: 1 },
    outputCount: 3,
    expected: [
      f32([2, 2, 1, 2], [0.75 / ROOT6, -0.75 / ROOT6, 0, 0, -0.25 / ROOT6, 0.25 / ROOT6, 0, 0]),
      f32([2], [-3 / ROOT6, 0]),
      f32([2], [1, 4]),
    ],
  },
  {
    name: 'BatchNormTrainingGrad/dy_shape_mismatch',
    op: 'BatchNormTrainingGrad',
    domain,
    inputs: [f32([2, 2, 1, 1], [1, 1, 1, 1]), BN_X, BN_SCALE, BN_MEAN, BN_VAR],
    outputCount: 3,
    expectError: 'E_SHAPE',
  },
  {
    name: 'MaxPool/2x2_fast_path_ties_keep_first',
    op: 'MaxPool',
    inputs: [POOL_X],
    attrs: POOL_ATTRS,
    outputCount: 2,
    expected: [f32([1, 1, 1, 2], [3, 5]), { dtype: 'int64', shape: [1, 1, 1, 2], data: BigInt64Array.from([1n, 6n]) }],
  },
  {
    name: 'MaxPool/2x2_fast_path_odd_size_floors',
    op: 'MaxPool',
    // 3×3 → 1×1: the window [1 2; 4 3] (the last row and column are dropped)
    inputs: [f32([1, 1, 3, 3], [1, 2, 0, 4, 3, 9, 9, 9, 9])],
    attrs: POOL_ATTRS,
    expected: [f32([1, 1, 1, 1], [4])],
  },
  {
    name: 'MaxPool/2x2_fast_path_nan',
    op: 'MaxPool',
    // a NaN first element wins (nothing compares greater); a later NaN never does
    inputs: [f32([2, 1, 2, 2], [Number.NaN, 1, 2, 3, 1, Number.NaN, 0, 2])],
    attrs: POOL_ATTRS,
    expected: [f32([2, 1, 1, 1], [Number.NaN, 2])],
  },
  {
    name: 'MaxPoolGrad/2x2_fast_path_routes_to_first_max',
    op: 'MaxPoolGrad',
    domain,
    inputs: [POOL_X, f32([1, 1, 1, 2], [10, 20])],
    attrs: { ...POOL_ATTRS, pads: [0, 0, 0, 0] },
    expected: [f32([1, 1, 2, 4], [0, 10, 0, 0, 0, 0, 20, 0])],
  },
  {
    name: 'ReduceSum/per_channel_nchw',
    op: 'ReduceSum',
    // x = 1…8 as (2, 2, 1, 2): channel 0 = 1 + 2 + 5 + 6, channel 1 = 3 + 4 + 7 + 8
    inputs: [f32([2, 2, 1, 2], [1, 2, 3, 4, 5, 6, 7, 8]), ints([0, 2, 3])],
    expected: [f32([1, 2, 1, 1], [14, 22])],
  },
  {
    name: 'ReduceMean/per_channel_no_keepdims',
    op: 'ReduceMean',
    inputs: [f32([2, 2, 1, 2], [1, 2, 3, 4, 5, 6, 7, 8]), ints([0, 2, 3])],
    attrs: { keepdims: 0 },
    expected: [f32([2], [3.5, 5.5])],
  },
  {
    name: 'ReduceSum/two_kept_axes_in_the_middle',
    op: 'ReduceSum',
    // x[n, c, h, w] = 8n + 4c + 2h + w; Σ over n, w = 18 + 16c + 8h
    inputs: [f32([2, 2, 2, 2], Array.from({ length: 16 }, (_, index) => index)), ints([0, 3])],
    attrs: { keepdims: 0 },
    expected: [f32([2, 2], [18, 26, 34, 42])],
  },
];
