// Extra conformance cases for declared ops/dtypes/modes the shared suite covers only with other
// dtypes (Erf float32, int32 unary ops, bool Gather) or not at all (nearest_mode ceil, dilated
// strided 2-D MaxPool, 1-D ConvTranspose, ConvTranspose output_shape beyond the full result, 2-D
// reflect Pad). Values are computed by hand; Erf values come from Python's math.erf.
import { type DType, type TensorData, fromNumbers } from '@efficientdl/ir';
import type { OpCase } from '@efficientdl/test-utils';

const t = (dtype: DType, shape: number[], values: number[]): TensorData => fromNumbers(dtype, shape, values);
const f32 = (shape: number[], values: number[]) => t('float32', shape, values);
const ramp = (count: number, start = 0) => Array.from({ length: count }, (_, index) => index + start);

export const EXTRA_CASES: readonly OpCase[] = [
  {
    name: 'Erf/float32',
    op: 'Erf',
    inputs: [f32([3], [0, 0.5, -1])],
    expected: [f32([3], [0, 0.5204998778130465, -0.8427007929497149])],
  },
  { name: 'Neg/int32', op: 'Neg', inputs: [t('int32', [2], [3, -4])], expected: [t('int32', [2], [-3, 4])] },
  { name: 'Relu/int32', op: 'Relu', inputs: [t('int32', [2], [-1, 2])], expected: [t('int32', [2], [0, 2])] },
  { name: 'ArgMax/int32', op: 'ArgMax', inputs: [t('int32', [2, 2], [1, 3, 4, 2])], attrs: { axis: 1, keepdims: 0 }, expected: [t('int64', [2], [1, 0])] },
  { name: 'Gather/bool', op: 'Gather', inputs: [t('bool', [3], [1, 0, 1]), t('int64', [2], [2, 1])], expected: [t('bool', [2], [1, 0])] },
  { name: 'Cast/float_to_int64_truncates', op: 'Cast', inputs: [f32([2], [2.7, -2.7])], attrs: { to: 7 }, expected: [t('int64', [2], [2, -2])] },
  {
    name: 'Resize/nearest_asymmetric_ceil',
    op: 'Resize',
    inputs: [f32([3], [1, 2, 3]), undefined, f32([1], [2])],
    attrs: { mode: 'nearest', coordinate_transformation_mode: 'asymmetric', nearest_mode: 'ceil' },
    // x/2 = 0, 0.5, 1, 1.5, 2, 2.5 → ceil 0, 1, 1, 2, 2, 3 (clamped to 2)
    expected: [f32([6], [1, 2, 2, 3, 3, 3])],
  },
  {
    name: 'MaxPool/2d_stride2_dilation2',
    op: 'MaxPool',
    inputs: [f32([1, 1, 5, 5], ramp(25, 1))],
    attrs: { kernel_shape: [2, 2], strides: [2, 2], dilations: [2, 2] },
    // window (i, j) taps rows 2i, 2i+2 and cols 2j, 2j+2: max at (2i+2, 2j+2) = 5(2i+2) + 2j+3
    expected: [f32([1, 1, 2, 2], [13, 15, 23, 25])],
  },
  {
    name: 'ConvTranspose/1d_stride2',
    op: 'ConvTranspose',
    inputs: [f32([1, 1, 2], [1, 2]), f32([1, 1, 2], [1, 1])],
    attrs: { strides: [2] },
    expected: [f32([1, 1, 4], [1, 1, 2, 2])],
  },
  {
    // full result (1,1,4) = [1, 1, 2, 2]; total padding 4 - 5 = -1 → pads [0, -1] (NOTSET puts
    // the extra at the end): one zero appended
    name: 'ConvTranspose/1d_output_shape_beyond_full',
    op: 'ConvTranspose',
    inputs: [f32([1, 1, 2], [1, 2]), f32([1, 1, 2], [1, 1])],
    attrs: { strides: [2], output_shape: [5] },
    expected: [f32([1, 1, 5], [1, 1, 2, 2, 0])],
  },
  {
    // full result (1,1,4,4) = 2x2 blocks of 1, 2 / 3, 4; rows: total -1 → pads [0, -1], a zero
    // row at the end; columns: total 4 - 6 = -2 → pads [-1, -1], a zero column on each side
    name: 'ConvTranspose/2d_output_shape_beyond_full',
    op: 'ConvTranspose',
    inputs: [f32([1, 1, 2, 2], [1, 2, 3, 4]), f32([1, 1, 2, 2], [1, 1, 1, 1])],
    attrs: { strides: [2, 2], output_shape: [5, 6] },
    expected: [f32([1, 1, 5, 6], [0, 1, 1, 2, 2, 0, 0, 1, 1, 2, 2, 0, 0, 3, 3, 4, 4, 0, 0, 3, 3, 4, 4, 0, 0, 0, 0, 0, 0, 0])],
  },
  {
    name: 'Pad/reflect_2d_last_axis',
    op: 'Pad',
    inputs: [f32([2, 3], ramp(6)), t('int64', [4], [0, 1, 0, 1])],
    attrs: { mode: 'reflect' },
    expected: [f32([2, 5], [1, 0, 1, 2, 1, 4, 3, 4, 5, 4])],
  },
];
