// Conformance cases for MatMul, Gemm, Conv and ConvTranspose: hand-computed examples and
// oracle values from ./oracles.ts (independent float64 formulas).
import { randomTensorData } from '../../../random-tensors.js';
import type { OpCase } from '../../op-case.js';
import { conv2dOracle, convTranspose2dOracle, f32, matmulOracle, tensor } from './oracles.js';

const TOLERANCE = { rtol: 1e-5, atol: 1e-5 };
const random = (shape: number[], seed: number) => randomTensorData(shape, { seed });

const batchedA = random([2, 1, 3, 5], 11);
const batchedB = random([4, 5, 7], 12);

export const LINEAR_CASES: readonly OpCase[] = [
  {
    name: 'MatMul/2x3_by_3x2_hand',
    op: 'MatMul',
    inputs: [f32([2, 3], [1, 2, 3, 4, 5, 6]), f32([3, 2], [7, 8, 9, 10, 11, 12])],
    expected: [f32([2, 2], [58, 64, 139, 154])],
  },
  { name: 'MatMul/1d_by_2d', op: 'MatMul', inputs: [f32([2], [1, 2]), f32([2, 3], [1, 2, 3, 4, 5, 6])], expected: [f32([3], [9, 12, 15])] },
  { name: 'MatMul/2d_by_1d', op: 'MatMul', inputs: [f32([2, 2], [1, 2, 3, 4]), f32([2], [1, 1])], expected: [f32([2], [3, 7])] },
  { name: 'MatMul/1d_by_1d', op: 'MatMul', inputs: [f32([3], [1, 2, 3]), f32([3], [4, 5, 6])], expected: [f32([], [32])] },
  { name: 'MatMul/broadcast_batch', op: 'MatMul', inputs: [batchedA, batchedB], expected: [matmulOracle(batchedA, batchedB)], tolerance: TOLERANCE },
  {
    name: 'MatMul/int32',
    op: 'MatMul',
    inputs: [tensor('int32', [1, 2], [3, -4]), tensor('int32', [2, 2], [5, 6, 7, 8])],
    expected: [tensor('int32', [1, 2], [-13, -14])],
  },
  {
    name: 'MatMul/int64',
    op: 'MatMul',
    inputs: [tensor('int64', [2, 1], [2, 3]), tensor('int64', [1, 2], [10, -1])],
    expected: [tensor('int64', [2, 2], [20, -2, 30, -3])],
  },
  { name: 'MatMul/inner_mismatch', op: 'MatMul', inputs: [f32([2, 3], [1, 2, 3, 4, 5, 6]), f32([2, 2], [1, 2, 3, 4])], expectError: 'E_SHAPE' },
  {
    name: 'Gemm/transA_transB_alpha_beta_row_bias_hand',
    op: 'Gemm',
    inputs: [f32([2, 2], [1, 2, 3, 4]), f32([2, 2], [1, 0, 0, 1]), f32([2], [1, 2])],
    attrs: { transA: 1, transB: 1, alpha: 2, beta: 0.5 },
    // 2·Aᵀ = [[2, 6], [4, 8]]; + 0.5·[1, 2] per row
    expected: [f32([2, 2], [2.5, 7, 4.5, 9])],
  },
  {
    name: 'Gemm/column_bias_odd_sizes',
    op: 'Gemm',
    inputs: [random([5, 3], 21), random([3, 7], 22), random([5, 1], 23)],
    attrs: { beta: 2 },
    expected: [
      (() => {
        const product = matmulOracle(random([5, 3], 21), random([3, 7], 22));
        const bias = random([5, 1], 23).data as Float32Array;
        const data = product.data as Float32Array;
        for (let index = 0; index < data.length; index++) data[index] = (data[index] as number) + 2 * (bias[Math.floor(index / 7)] as number);
        return product;
      })(),
    ],
    tolerance: TOLERANCE,
  },
  { name: 'Gemm/no_bias', op: 'Gemm', inputs: [f32([1, 2], [1, 2]), f32([2, 1], [3, 4])], expected: [f32([1, 1], [11])] },
];

const ramp9 = f32([1, 1, 3, 3], [1, 2, 3, 4, 5, 6, 7, 8, 9]);
const ones2 = f32([1, 1, 2, 2], [1, 1, 1, 1]);
const ones3 = f32([1, 1, 3, 3], [1, 1, 1, 1, 1, 1, 1, 1, 1]);
const groupedX = random([2, 4, 7, 8], 31);
const groupedW = random([6, 2, 3, 2], 32);
const groupedB = random([6], 33);
const depthX = random([1, 3, 6, 6], 34);
const depthW = random([6, 1, 3, 3], 35);
const sameX = random([1, 2, 5, 6], 36);
const sameW = random([3, 2, 3, 3], 37);

export const CONV_CASES: readonly OpCase[] = [
  { name: 'Conv/valid_2x2_ones_hand', op: 'Conv', inputs: [ramp9, ones2], expected: [f32([1, 1, 2, 2], [12, 16, 24, 28])] },
  {
    name: 'Conv/pad1_3x3_ones_hand',
    op: 'Conv',
    inputs: [ramp9, ones3],
    attrs: { pads: [1, 1, 1, 1] },
    expected: [f32([1, 1, 3, 3], [12, 21, 16, 27, 45, 33, 24, 39, 28])],
  },
  {
    name: 'Conv/group2_stride2_dilation_bias',
    op: 'Conv',
    inputs: [groupedX, groupedW, groupedB],
    attrs: { group: 2, strides: [2, 1], dilations: [1, 2], pads: [1, 0, 0, 1] },
    expected: [conv2dOracle({ x: groupedX, w: groupedW, bias: groupedB, group: 2, strides: [2, 1], dilations: [1, 2], pads: [1, 0, 0, 1] })],
    tolerance: TOLERANCE,
  },
  {
    name: 'Conv/depthwise_multiplier2',
    op: 'Conv',
    inputs: [depthX, depthW],
    attrs: { group: 3, pads: [1, 1, 1, 1], strides: [2, 2] },
    expected: [conv2dOracle({ x: depthX, w: depthW, group: 3, pads: [1, 1, 1, 1], strides: [2, 2] })],
    tolerance: TOLERANCE,
  },
  {
    name: 'Conv/auto_pad_same_upper_stride2',
    op: 'Conv',
    inputs: [sameX, sameW],
    attrs: { auto_pad: 'SAME_UPPER', strides: [2, 2] },
    // H: out 3, total pad 2 → (1, 1); W: out 3, total pad 1 → (0, 1)
    expected: [conv2dOracle({ x: sameX, w: sameW, strides: [2, 2], pads: [1, 0, 1, 1] })],
    tolerance: TOLERANCE,
  },
  {
    name: 'Conv/1d_hand',
    op: 'Conv',
    inputs: [f32([1, 1, 5], [1, 2, 3, 4, 5]), f32([1, 1, 2], [1, -1]), f32([1], [10])],
    attrs: { strides: [2], pads: [1, 0] },
    // padded [0, 1, 2, 3, 4, 5]: windows (0,1), (2,3), (4,5) → -1, -1, -1 (+10)
    expected: [f32([1, 1, 3], [9, 9, 9])],
  },
  { name: 'Conv/channel_mismatch', op: 'Conv', inputs: [random([1, 3, 4, 4], 38), random([2, 2, 3, 3], 39)], expectError: 'E_SHAPE' },
  {
    name: 'ConvTranspose/2x2_ones_hand',
    op: 'ConvTranspose',
    inputs: [f32([1, 1, 2, 2], [1, 2, 3, 4]), ones2],
    expected: [f32([1, 1, 3, 3], [1, 3, 2, 4, 10, 6, 3, 7, 4])],
  },
  (() => {
    const x = random([1, 4, 3, 4], 41);
    const w = random([4, 3, 3, 3], 42);
    const bias = random([6], 43);
    return {
      name: 'ConvTranspose/group2_stride2_pads_output_padding',
      op: 'ConvTranspose',
      inputs: [x, w, bias],
      attrs: { group: 2, strides: [2, 2], pads: [1, 0, 0, 1], output_padding: [1, 0] },
      expected: [convTranspose2dOracle({ x, w, bias, group: 2, strides: [2, 2], pads: [1, 0, 0, 1], outputPadding: [1, 0] })],
      tolerance: TOLERANCE,
    };
  })(),
  (() => {
    const x = random([1, 2, 3, 3], 44);
    const w = random([2, 1, 3, 3], 45);
    return {
      name: 'ConvTranspose/output_shape_stride2',
      op: 'ConvTranspose',
      inputs: [x, w],
      attrs: { strides: [2, 2], output_shape: [6, 6] },
      // full size 7 → total pad 1, NOTSET puts it at the start: pads (1, 1, 0, 0)
      expected: [convTranspose2dOracle({ x, w, strides: [2, 2], pads: [1, 1, 0, 0] })],
      tolerance: TOLERANCE,
    };
  })(),
];
