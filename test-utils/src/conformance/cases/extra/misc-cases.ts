// Conformance cases for ConstantOfShape, LRN, Sum / Mean / Max / Min and NonMaxSuppression.
// Expected values worked out by hand (LRN from its closed formula; NMS by listing IoUs).
import { fromNumbers } from '@efficientdl/ir';
import type { OpCase } from '../../op-case.js';
import { f32, i32, i64, ints, scalar } from '../basic/case-helpers.js';

// NMS boxes [y1, x1, y2, x2]: box 1 overlaps box 0 with IoU 0.9 / 1.1 ≈ 0.82; box 2 is disjoint.
const NMS_BOXES = f32([1, 3, 4], [0, 0, 1, 1, 0, 0.1, 1, 1.1, 0, 5, 1, 6]);

export const MISC_CASES: readonly OpCase[] = [
  { name: 'ConstantOfShape/default_float_zero', op: 'ConstantOfShape', inputs: [ints([2, 3])], expected: [f32([2, 3], [0, 0, 0, 0, 0, 0])] },
  { name: 'ConstantOfShape/int32_value', op: 'ConstantOfShape', inputs: [ints([3])], attrs: { value: fromNumbers('int32', [1], [7]) }, expected: [i32([3], [7, 7, 7])] },
  { name: 'ConstantOfShape/empty_shape_is_scalar', op: 'ConstantOfShape', inputs: [ints([])], attrs: { value: fromNumbers('float32', [1], [2.5]) }, expected: [f32([], [2.5])] },
  {
    name: 'LRN/size3_channels',
    op: 'LRN',
    // x = [1, 2, 3] over C; size 3, alpha 3, beta 1, bias 1: divisor 1 + (3/3)·Σ window squares
    // c0: 1 / (1 + 1 + 4) = 1/6, c1: 2 / (1 + 14) = 2/15, c2: 3 / (1 + 13) = 3/14
    inputs: [f32([1, 3, 1], [1, 2, 3])],
    attrs: { size: 3, alpha: 3, beta: 1, bias: 1 },
    expected: [f32([1, 3, 1], [1 / 6, 2 / 15, 3 / 14])],
  },
  {
    name: 'LRN/size2_beta_half',
    op: 'LRN',
    // size 2: window [c, c + 1]; alpha 2, beta 0.5, bias 0: c0: 3 / sqrt(9 + 16) = 0.6, c1: 4 / sqrt(16) = 1
    inputs: [f32([1, 2, 1, 1], [3, 4])],
    attrs: { size: 2, alpha: 2, beta: 0.5, bias: 0 },
    expected: [f32([1, 2, 1, 1], [0.6, 1])],
  },
  { name: 'Sum/three_broadcast', op: 'Sum', inputs: [f32([2, 2], [1, 2, 3, 4]), f32([2], [10, 20]), f32([2, 1], [100, 200])], expected: [f32([2, 2], [111, 122, 213, 224])] },
  { name: 'Sum/single_input', op: 'Sum', inputs: [f32([2], [1, 2])], expected: [f32([2], [1, 2])] },
  { name: 'Mean/two', op: 'Mean', inputs: [f32([2], [1, 2]), f32([2], [3, 6])], expected: [f32([2], [2, 4])] },
  { name: 'Max/int64_broadcast', op: 'Max', inputs: [i64([3], [1, 5, -2]), i64([], [2])], expected: [i64([3], [2, 5, 2])] },
  { name: 'Min/float_nan_propagates', op: 'Min', inputs: [f32([3], [1, Number.NaN, 3]), f32([3], [2, 0, -1])], expected: [f32([3], [1, Number.NaN, -1])] },
  { name: 'Sum/dtype_mismatch', op: 'Sum', inputs: [f32([1], [1]), fromNumbers('float64', [1], [1])], expectError: 'E_DTYPE' },
  {
    name: 'NonMaxSuppression/suppresses_overlap',
    op: 'NonMaxSuppression',
    // scores 0.9, 0.8, 0.7: box 0 kept, box 1 suppressed (IoU 0.82 > 0.5), box 2 kept
    inputs: [NMS_BOXES, f32([1, 1, 3], [0.9, 0.8, 0.7]), i64([1], [10]), f32([1], [0.5])],
    expected: [i64([2, 3], [0, 0, 0, 0, 0, 2])],
  },
  {
    name: 'NonMaxSuppression/high_iou_threshold_keeps_all_by_score',
    op: 'NonMaxSuppression',
    // IoU 0.82 ≤ 0.85 keeps box 1; visiting order by score: 2, 0, 1
    inputs: [NMS_BOXES, f32([1, 1, 3], [0.5, 0.4, 0.9]), i64([1], [10]), f32([1], [0.85])],
    expected: [i64([3, 3], [0, 0, 2, 0, 0, 0, 0, 0, 1])],
  },
  {
    name: 'NonMaxSuppression/score_threshold_and_max_output',
    op: 'NonMaxSuppression',
    // score > 0.75 leaves boxes 0, 1; max 1 per class keeps only box 0
    inputs: [NMS_BOXES, f32([1, 1, 3], [0.9, 0.8, 0.7]), i64([1], [1]), f32([1], [0.99]), f32([1], [0.75])],
    expected: [i64([1, 3], [0, 0, 0])],
  },
  {
    name: 'NonMaxSuppression/center_point_box_two_classes',
    op: 'NonMaxSuppression',
    // [xc, yc, w, h]: box 0 = unit square at origin, box 1 = same shifted by 0.1 (IoU ≈ 0.82), two classes
    inputs: [f32([1, 2, 4], [0.5, 0.5, 1, 1, 0.6, 0.5, 1, 1]), f32([1, 2, 2], [0.9, 0.8, 0.1, 0.2]), i64([1], [5]), f32([1], [0.5])],
    attrs: { center_point_box: 1 },
    expected: [i64([2, 3], [0, 0, 0, 0, 1, 1])],
  },
  { name: 'NonMaxSuppression/no_max_output_selects_none', op: 'NonMaxSuppression', inputs: [NMS_BOXES, f32([1, 1, 3], [0.9, 0.8, 0.7])], expected: [i64([0, 3], [])] },
  { name: 'NonMaxSuppression/bad_boxes_shape', op: 'NonMaxSuppression', inputs: [f32([1, 3, 3], new Array(9).fill(0)), f32([1, 1, 3], [1, 1, 1]), scalar('int64', 1)], expectError: 'E_SHAPE' },
];
