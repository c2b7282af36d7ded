// Conformance cases for Resize (values from ONNX's operator documentation examples, checked by
// hand) and the ai.efficientdl training gradients (hand-computed small examples).
import { EFFICIENTDL_DOMAIN } from '@efficientdl/ir';
import type { OpCase } from '../../op-case.js';
import { f32, tensor } from './oracles.js';

const square = f32([1, 1, 2, 2], [1, 2, 3, 4]);
const scales = (values: number[]) => f32([values.length], values);
const sizes = (values: number[]) => tensor('int64', [values.length], values);
const third = 1 / 3;

export const RESIZE_CASES: readonly OpCase[] = [
  {
    name: 'Resize/nearest_upsample_asymmetric_floor',
    op: 'Resize',
    inputs: [square, undefined, scales([1, 1, 2, 2])],
    attrs: { mode: 'nearest', coordinate_transformation_mode: 'asymmetric', nearest_mode: 'floor' },
    expected: [f32([1, 1, 4, 4], [1, 1, 2, 2, 1, 1, 2, 2, 3, 3, 4, 4, 3, 3, 4, 4])],
  },
  {
    name: 'Resize/linear_half_pixel_upsample',
    op: 'Resize',
    inputs: [square, undefined, scales([1, 1, 2, 2])],
    attrs: { mode: 'linear' },
    expected: [f32([1, 1, 4, 4], [1, 1.25, 1.75, 2, 1.5, 1.75, 2.25, 2.5, 2.5, 2.75, 3.25, 3.5, 3, 3.25, 3.75, 4])],
  },
  {
    name: 'Resize/linear_align_corners_sizes',
    op: 'Resize',
    inputs: [f32([1, 1, 1, 2], [0, 3]), undefined, undefined, sizes([1, 1, 1, 4])],
    attrs: { mode: 'linear', coordinate_transformation_mode: 'align_corners' },
    expected: [f32([1, 1, 1, 4], [0, 1, 2, 3])],
    tolerance: { rtol: 1e-6, atol: 1e-6 },
  },
  {
    name: 'Resize/nearest_downsample_sizes_half_pixel',
    op: 'Resize',
    inputs: [f32([1, 1, 2, 4], [1, 2, 3, 4, 5, 6, 7, 8]), undefined, undefined, sizes([1, 1, 1, 3])],
    attrs: { mode: 'nearest' },
    expected: [f32([1, 1, 1, 3], [1, 2, 4])],
  },
  {
    name: 'Resize/nearest_round_prefer_ceil_axes',
    op: 'Resize',
    inputs: [f32([1, 4], [1, 2, 3, 4]), undefined, scales([0.5])],
    attrs: { mode: 'nearest', nearest_mode: 'round_prefer_ceil', axes: [1] },
    // half_pixel: x=0 → 0.5 → 1 (value 2), x=1 → 2.5 → 3 (value 4)
    expected: [f32([1, 2], [2, 4])],
  },
  {
    name: 'Resize/linear_pytorch_half_pixel_downsample',
    op: 'Resize',
    inputs: [f32([1, 1, 1, 4], [1, 2, 3, 4]), undefined, undefined, sizes([1, 1, 1, 3])],
    attrs: { mode: 'linear', coordinate_transformation_mode: 'pytorch_half_pixel' },
    // scale 3/4: x → (x + 0.5)·4/3 − 0.5 = 1/6, 3/2, 17/6
    expected: [f32([1, 1, 1, 3], [1 + 1 / 6, 2.5, 3 + 5 / 6])],
    tolerance: { rtol: 1e-6, atol: 1e-6 },
  },
  {
    name: 'Resize/tf_crop_and_resize_extrapolation',
    op: 'Resize',
    inputs: [f32([1, 3], [0, 10, 20]), f32([4], [0, 0.5, 1, 1.5]), undefined, sizes([1, 3])],
    attrs: { mode: 'linear', coordinate_transformation_mode: 'tf_crop_and_resize', extrapolation_value: -1 },
    // axis 1: x → 0.5·2 + x·(1.0)·2/2 = 1, 2, 3 (3 is outside → −1)
    expected: [f32([1, 3], [10, 20, -1])],
  },
  { name: 'Resize/linear_third_steps', op: 'Resize', inputs: [f32([3], [0, 3, 6]), undefined, undefined, sizes([7])], attrs: { mode: 'linear', coordinate_transformation_mode: 'align_corners' }, expected: [f32([7], [0, 1, 2, 3, 4, 5, 6])], tolerance: { rtol: third * 1e-5, atol: 1e-5 } },
];

const ones = (shape: number[]) => f32(shape, new Array<number>(shape.reduce((product, dim) => product * dim, 1)).fill(1));

export const TRAINING_CASES: readonly OpCase[] = [
  {
    name: 'ConvGradInput/overlap_counts',
    op: 'ConvGradInput',
    domain: EFFICIENTDL_DOMAIN,
    inputs: [ones([1, 1, 2, 2]), ones([1, 1, 2, 2])],
    attrs: { input_shape: [1, 1, 3, 3] },
    // each input element receives one contribution per window covering it
    expected: [f32([1, 1, 3, 3], [1, 2, 1, 2, 4, 2, 1, 2, 1])],
  },
  {
    name: 'ConvGradInput/stride2_pad1',
    op: 'ConvGradInput',
    domain: EFFICIENTDL_DOMAIN,
    inputs: [f32([1, 1, 2, 2], [1, 2, 3, 4]), f32([1, 1, 2, 2], [1, 10, 100, 1000])],
    attrs: { input_shape: [1, 1, 2, 2], strides: [2, 2], pads: [1, 1, 1, 1] },
    // output (i, j) window starts at (2i − 1, 2j − 1); input (a, b) meets tap (a − 2i + 1, b − 2j + 1)
    expected: [f32([1, 1, 2, 2], [1000, 200, 30, 4])],
  },
  {
    name: 'ConvGradWeight/window_sums',
    op: 'ConvGradWeight',
    domain: EFFICIENTDL_DOMAIN,
    inputs: [f32([1, 1, 3, 3], [1, 2, 3, 4, 5, 6, 7, 8, 9]), ones([1, 1, 2, 2])],
    attrs: { weight_shape: [1, 1, 2, 2] },
    expected: [f32([1, 1, 2, 2], [12, 16, 24, 28])],
  },
  {
    name: 'ConvGradWeight/depthwise_two_images',
    op: 'ConvGradWeight',
    domain: EFFICIENTDL_DOMAIN,
    inputs: [f32([2, 2, 1, 2], [1, 2, 3, 4, 5, 6, 7, 8]), f32([2, 2, 1, 1], [1, 1, 1, -1])],
    attrs: { weight_shape: [2, 1, 1, 2], group: 2 },
    // channel 0: [1, 2]·1 + [5, 6]·1; channel 1: [3, 4]·1 + [7, 8]·(−1)
    expected: [f32([2, 1, 1, 2], [6, 8, -4, -4])],
  },
  {
    name: 'MaxPoolGrad/routes_to_max',
    op: 'MaxPoolGrad',
    domain: EFFICIENTDL_DOMAIN,
    inputs: [f32([1, 1, 2, 4], [1, 5, 2, 0, 3, 4, 8, 7]), f32([1, 1, 1, 2], [10, 20])],
    attrs: { kernel_shape: [2, 2], strides: [2, 2] },
    expected: [f32([1, 1, 2, 4], [0, 10, 0, 0, 0, 0, 20, 0])],
  },
  {
    name: 'MaxPoolGrad/overlapping_windows_accumulate',
    op: 'MaxPoolGrad',
    domain: EFFICIENTDL_DOMAIN,
    inputs: [f32([1, 1, 1, 3], [1, 9, 2]), f32([1, 1, 1, 2], [1, 2])],
    attrs: { kernel_shape: [1, 2] },
    expected: [f32([1, 1, 1, 3], [0, 3, 0])],
  },
  {
    name: 'AveragePoolGrad/spread_evenly',
    op: 'AveragePoolGrad',
    domain: EFFICIENTDL_DOMAIN,
    inputs: [f32([1, 1, 1, 1], [4])],
    attrs: { kernel_shape: [2, 2], input_shape: [1, 1, 2, 2] },
    expected: [ones([1, 1, 2, 2])],
  },
  {
    name: 'AveragePoolGrad/pads_exclude_pad',
    op: 'AveragePoolGrad',
    domain: EFFICIENTDL_DOMAIN,
    inputs: [f32([1, 1, 1, 2], [6, 3])],
    attrs: { kernel_shape: [1, 3], strides: [1, 2], pads: [0, 1, 0, 1], input_shape: [1, 1, 1, 3] },
    // window 0 covers x0, x1 (÷2); window 1 covers x1, x2 (÷2)
    expected: [f32([1, 1, 1, 3], [3, 4.5, 1.5])],
  },
  { name: 'ConvGradInput/dy_shape_mismatch', op: 'ConvGradInput', domain: EFFICIENTDL_DOMAIN, inputs: [ones([1, 1, 3, 3]), ones([1, 1, 2, 2])], attrs: { input_shape: [1, 1, 3, 3] }, expectError: 'E_SHAPE' },
];
